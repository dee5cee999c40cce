"""After migrate, a live policy page without any version (an upgraded site) gets its version 1."""

import pytest

from django.core.management import call_command

from wagtail.models import Page

from policy_pages.models import PolicyPage, PolicyVersion

pytestmark = pytest.mark.django_db


def test_migrate_freezes_live_policy_pages_that_have_no_version():
    root = Page.get_first_root_node()
    # Created live without a publish (as an older release, or a script, would have left it).
    live = root.add_child(instance=PolicyPage(title="Cookie Policy", slug="cookie-policy"))
    live.save_revision()
    root.add_child(instance=PolicyPage(title="Privacy Policy", slug="privacy-policy", live=False))
    assert not PolicyVersion.objects.exists()

    call_command("migrate", verbosity=0)

    version = PolicyVersion.objects.get()
    assert (version.page_id, version.number, version.title) == (live.pk, 1, "Cookie Policy")
    assert version.content_sha256 and version.revision_id == live.latest_revision_id

    call_command("migrate", verbosity=0)  # idempotent: a page with a version is left alone
    assert PolicyVersion.objects.count() == 1
