"""Work a process would otherwise do on its first requests, done once at start.

gunicorn's master runs it before forking (``gunicorn.conf.py``), so every worker starts with
Django, Wagtail and the site already loaded in pages it shares with the master and the other
workers: a worker's private memory is what it adds by serving, and a recycled worker answers at once.
"""

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    """Import the URLconf (Wagtail's admin and hooks included), load each site language's catalogue
    and URL reverse table, and compile the page types' templates.

    Touches neither the database nor the cache, so it is safe to run before a fork.
    """
    from wagtail.models import get_page_models

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the URLconf
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("")  # loads the language's merged catalogue
            resolver.reverse_dict  # noqa: B018 - one reverse table per active language
    for model in get_page_models():
        try:
            get_template(model.template)
        except TemplateDoesNotExist:
            continue
