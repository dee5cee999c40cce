"""The site's home page."""

from django.conf import settings
from django.http import Http404

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from site_data.generation import shared_per_generation
from site_data.routing import SharedRoutePageMixin


class HomePage(SharedRoutePageMixin, Page):
    """Landing page: a short introduction and links to the policies below it."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def route(self, request, path_components):
        """A page missing in this language falls back to the default language's page.

        ``/de/cookie-policy/`` with no German cookie policy serves the English one (which says it is
        shown in English) rather than a 404; a path unknown in both languages stays a 404.
        """
        try:
            return super().route(request, path_components)
        except Http404:
            if self.locale.language_code == settings.LANGUAGE_CODE:
                raise
            source = self.get_translations().filter(locale__language_code=settings.LANGUAGE_CODE).first()
            if source is None:
                raise
            return source.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["policies"] = shared_per_generation(
            f"home.policies:{self.pk}", lambda: tuple(self.get_children().live().public().specific())
        )
        return context
