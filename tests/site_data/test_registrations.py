"""Each app registers what alters public output; the cache layer names no other app."""

import ast
from pathlib import Path

import pytest

from django.db import transaction

from consent.models import ConsentSettings
from cookie_registry.models import CookieCategory, Provider
from organisation.models import OrganisationSettings
from site_data import generation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = {"consent", "cookie_registry", "home", "organisation", "policy_pages", "operations", "cms"}


def changes(action) -> bool:
    before = generation.current_generation()
    action()
    return generation.current_generation() != before


def test_settings_saves_bump_the_generation():
    assert changes(lambda: OrganisationSettings.objects.create(legal_name="Acme Ltd"))
    consent_settings = ConsentSettings.load()
    assert changes(consent_settings.save)


def test_registry_writes_bump_but_draft_bookkeeping_does_not():
    provider = Provider(name="Matomo", live=False)
    assert changes(provider.save)
    assert not changes(lambda: provider.save(update_fields=["latest_revision", "has_unpublished_changes"]))
    category = CookieCategory(key="analytics", name="Analytics", purpose="Counts visits.")
    assert changes(category.save)
    assert changes(category.delete)


def test_a_committed_bump_notifies_listeners_once(django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr(generation, "_committed_listeners", [lambda: calls.append(1)])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        generation.bump_generation()
        generation.bump_generation()
        assert calls == [], "nothing is purged before the change is visible"
    assert calls == [1]


def test_a_failing_listener_never_fails_the_bump(django_capture_on_commit_callbacks, monkeypatch, caplog):
    def broken():
        raise RuntimeError("CDN down")

    after = []
    monkeypatch.setattr(generation, "_committed_listeners", [broken, lambda: after.append(1)])
    before = generation.current_generation()
    # execute=True: the test's own transaction never commits, so run the after-commit work here.
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        generation.bump_generation()
    assert len(callbacks) == 1
    assert generation.current_generation() != before, "the bump happened"
    assert after == [1], "listeners after the failing one still ran"
    assert any("listener failed" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("package", ["page_cache", "site_data"])
def test_cache_layers_import_no_project_app_above_them(package):
    allowed = {"site_data"} if package == "page_cache" else set()
    for source in (ROOT / package).rglob("*.py"):
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top not in PROJECT_APPS - allowed, f"{source.relative_to(ROOT)} imports {name}"
        text = source.read_text()
        for app in PROJECT_APPS - allowed:
            assert f'"{app}' not in text and f"'{app}" not in text, f"{source} names {app} by string"
