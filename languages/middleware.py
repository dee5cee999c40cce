"""The visitor's language comes from the URL alone, so every URL is one language and cacheable."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware


class UrlLanguageMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware`` without the ``Vary: Accept-Language`` it adds.

    With ``i18n_patterns(prefix_default_language=False)`` an unprefixed URL is always the default
    language (Django never negotiates it from ``Accept-Language`` there) and a prefixed one is its
    prefix's language, so that ``Vary`` would only split shared caches without changing a response.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        vary_before = response.get("Vary")
        response = super().process_response(request, response)
        if vary_before is None:
            del response["Vary"]
        else:
            response["Vary"] = vary_before
        return response
