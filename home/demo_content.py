"""Demo home page, made the root of the default site."""

from urllib.parse import urlsplit

from django.conf import settings

from wagtail.models import Locale, Page, Site

from languages.demo import ensure_translation, publish, translation_locales

from .demo_translations import HOME_TRANSLATIONS
from .models import HomePage

INTRO = (
    "<p>This site explains, in plain language, what personal data we collect, why, how long we keep it, "
    "and how you stay in control of cookies on this site.</p>"
)


def load() -> HomePage:
    """The home page in the default language, root of the default site; created if missing."""
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Privacy at Northwind",
                slug="home-page",
                intro=INTRO,
                search_description="Northwind's privacy policy, cookie policy and cookie settings in plain language.",
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = served_address()
    if site is None:
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True)
        return home
    if (site.hostname, site.port) == ("localhost", 80) and (hostname, port) != ("localhost", 80):
        # Wagtail's placeholder site: absolute links (feeds, reports) would point at a host nobody serves.
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page has no purpose once the real home page exists.
        if type(old_root.specific) is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def load_translations(home: HomePage) -> dict[str, HomePage]:
    """The home page's German and French translations (configured languages only), created once."""
    return {
        locale.language_code: ensure_translation(
            home, locale, HOME_TRANSLATIONS[locale.language_code], publish
        )
        for locale in translation_locales(home, HOME_TRANSLATIONS)
    }


def served_address() -> tuple[str, int]:
    """Host and port the site is served on, from ``WAGTAILADMIN_BASE_URL`` (``make run``: 127.0.0.1:8000)."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL or "")
    if not parts.hostname:
        return "localhost", 80
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
