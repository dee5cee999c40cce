"""consent 0004: an existing site's live policy pages (formerly hard-coded paths) get linked once."""

import pytest

from django.db import connection

from wagtail.models import Page

from policy_pages.models import PolicyPage

from .conftest import migrate

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]


def test_live_policy_pages_at_the_old_paths_are_linked():
    root = Page.get_first_root_node()
    cookie_policy = root.add_child(instance=PolicyPage(title="Cookie Policy", slug="cookie-policy"))
    cookie_policy.save_revision().publish()
    root.add_child(instance=PolicyPage(title="Privacy Policy", slug="privacy-policy", live=False))
    migrate([("consent", "0003_consent_record_policy_versions")])
    with connection.cursor() as cursor:  # the row as the previous schema stored it
        cursor.execute(
            "INSERT INTO consent_consentsettings (banner_heading, banner_text, reconsent_text, gpc_notice,"
            " consent_lifetime_days, record_retention_days) VALUES ('h', 't', 'r', 'g', 182, 1095)"
        )

    migrate([("consent", "0004_policy_page_links")])

    with connection.cursor() as cursor:  # the row as this migration's schema stores it
        cursor.execute("SELECT cookie_policy_page_id, privacy_policy_page_id FROM consent_consentsettings")
        cookie_policy_page_id, privacy_policy_page_id = cursor.fetchone()
    assert cookie_policy_page_id == cookie_policy.pk
    assert privacy_policy_page_id is None, "a draft page is not linked"
