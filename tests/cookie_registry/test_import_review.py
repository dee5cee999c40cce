"""import_registry goes through review: drafts submitted as --user; --publish for superusers only."""

from __future__ import annotations

import json
from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from wagtail.models import Revision, WorkflowState

from cookie_registry.models import CookieCategory

pytestmark = pytest.mark.django_db

NEW_CATEGORY = {
    "categories": [
        {
            "key": "advertising",
            "name": "Advertising",
            "purpose": "Ads we show you.",
            "live": True,
            "cookies": [],
        }
    ]
}


@pytest.fixture
def registry_file(tmp_path):
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(NEW_CATEGORY), encoding="utf-8")
    return str(path)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("eddie", "eddie@example.org", "password")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_registry", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_saves_drafts_and_submits_them_to_legal_review(registry, registry_file, editor):
    output = run(registry_file, "--user", "eddie")
    assert "submitted to Legal review" in output
    category = CookieCategory.objects.get(key="advertising")
    assert not category.live
    state = WorkflowState.objects.get(object_id=str(category.pk), status="in_progress")
    assert state.workflow.name == "Legal review" and state.requested_by == editor
    assert category.get_latest_revision().user == editor


def test_publish_is_for_superusers_and_names_them(registry, registry_file, admin_user):
    run(registry_file, "--user", "admin", "--publish")
    category = CookieCategory.objects.get(key="advertising")
    assert category.live
    assert category.live_revision.user == admin_user


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--user", "eddie", "--publish"),
            '--publish skips Legal review and is for superusers only; "eddie" is not one',
        ),
        (("--user", "nobody"), 'There is no active user "nobody"'),
        ((), "Name the user the import acts as with --user NAME"),
    ],
)
def test_a_refused_import_changes_nothing(registry, registry_file, editor, args, message):
    categories, revisions = CookieCategory.objects.count(), Revision.objects.count()
    with pytest.raises(CommandError, match=message):
        run(registry_file, *args)
    assert (CookieCategory.objects.count(), Revision.objects.count()) == (categories, revisions)
