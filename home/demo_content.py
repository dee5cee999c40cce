"""Demo home page, made the root of the default site."""

from wagtail.models import Page, Site

from .models import HomePage

INTRO = (
    "<p>This site explains, in plain language, what personal data we collect, why, how long we keep it, "
    "and how you stay in control of cookies on this site.</p>"
)


def load() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Privacy at Northwind", slug="home-page", intro=INTRO))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page has no purpose once the real home page exists.
        if type(old_root.specific) is Page and not old_root.get_children().exists():
            old_root.delete()
    return home
