"""export_registry / import_registry: round trip, all-or-nothing validation, idempotent re-import."""

from __future__ import annotations

import json
from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from cookie_registry.models import (
    Cookie,
    CookieCategory,
    Provider,
    RegistryVersion,
    RetentionRule,
    ThirdPartyScript,
)
from tests.fixtures.registry import cookie, make_category, publish

pytestmark = pytest.mark.django_db
AS_SUPERUSER = ("--user", "importer", "--publish")


@pytest.fixture(autouse=True)
def importer(db, django_user_model):
    """The superuser the plain (publishing) imports in this module act as."""
    return django_user_model.objects.create_superuser("importer", "importer@example.org", "password")


def export_to_text() -> str:
    out = StringIO()
    call_command("export_registry", "-", stdout=out)
    return out.getvalue()


def import_file(tmp_path, data, name="registry.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_registry", str(path), *AS_SUPERUSER, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def wipe_registry() -> None:
    ThirdPartyScript.objects.all().delete()
    Cookie.objects.all().delete()
    CookieCategory.objects.all().delete()
    Provider.objects.all().delete()
    RetentionRule.objects.all().delete()


@pytest.fixture
def full_registry(registry):
    """The registry plus a draft category, a draft provider and a published script."""
    make_category("video", "Video", cookies=[cookie("_vuid")], live=False, order=5)
    Provider.objects.create(name="Draft Partner", live=False)
    publish(
        ThirdPartyScript(
            name="Analytics tag",
            category=registry.analytics,
            src="https://www.googletagmanager.com/gtag/js",
        )
    )
    return registry


def test_round_trip_into_an_empty_registry_gives_the_same_registry(tmp_path, full_registry):
    exported = export_to_text()
    wipe_registry()
    assert not CookieCategory.objects.exists()

    out, _ = import_file(tmp_path, exported)
    assert "created" in out
    assert export_to_text() == exported
    # Published state preserved: live stays live, drafts stay drafts.
    assert CookieCategory.objects.get(key="analytics").live
    assert CookieCategory.objects.get(key="marketing").live
    assert not CookieCategory.objects.get(key="video").live
    assert not Provider.objects.get(name="Draft Partner").live
    assert ThirdPartyScript.objects.get(name="Analytics tag").live


def test_export_to_a_file(tmp_path, registry):
    path = tmp_path / "out.json"
    call_command("export_registry", str(path), stderr=StringIO())
    data = json.loads(path.read_text())
    assert data["format"] == "cookie-registry"
    analytics = next(c for c in data["categories"] if c["key"] == "analytics")
    assert analytics["cookies"][0] == {
        "name": "_ga",
        "provider": "Google",
        "domain": "",
        "party": "first",
        "purpose": "What _ga is for.",
        "duration_unit": "years",
        "duration_value": 2,
        "storage_type": "cookie",
    }


def test_reimporting_the_same_file_changes_nothing(tmp_path, full_registry):
    exported = export_to_text()
    revisions_before = {c.pk: c.latest_revision_id for c in CookieCategory.objects.all()}
    versions_before = RegistryVersion.objects.count()
    out, _ = import_file(tmp_path, exported)
    assert "0 created, 0 updated" in out
    assert {c.pk: c.latest_revision_id for c in CookieCategory.objects.all()} == revisions_before
    assert RegistryVersion.objects.count() == versions_before


def test_import_updates_entries_by_key_and_counts_as_one_registry_change(tmp_path, registry):
    data = json.loads(export_to_text())
    analytics = next(c for c in data["categories"] if c["key"] == "analytics")
    analytics["cookies"].append(dict(analytics["cookies"][0], name="_gat"))
    data["categories"].append(
        {
            "key": "social_media",
            "name": "Social Media",
            "purpose": "Share buttons.",
            "cookies": [],
            "live": True,
        }
    )
    versions_before = RegistryVersion.objects.count()
    out, _ = import_file(tmp_path, data)
    assert "1 created, 1 updated" in out
    assert [c.name for c in CookieCategory.objects.get(key="analytics").cookies.all()] == [
        "_ga",
        "_gid",
        "_gat",
    ]
    assert RegistryVersion.objects.count() == versions_before + 1
    assert sorted(RegistryVersion.objects.order_by("-number").first().changes) == [
        "New category: Social Media",
        "New cookie in Analytics: _gat (Google, 2 years)",
    ]


def test_import_reports_every_error_with_its_location_and_imports_nothing(tmp_path, registry):
    data = json.loads(export_to_text())
    wipe_registry()
    categories = data["categories"]
    assert [c["key"] for c in categories][:3] == ["necessary", "preferences", "analytics"]
    categories[0]["cookies"] = []  # essential without cookies
    categories[2]["default_enabled"] = True  # optional category on by default
    categories[2]["consent_mode_signals"] = ["analytics_storage", "bogus_storage"]
    categories[2]["cookies"][0]["duration_value"] = -1
    categories[2]["cookies"][1]["name"] = "_ga"  # duplicate with the same provider
    categories[2]["cookies"][1]["party"] = "fourth"
    categories[2]["cookies"].append(
        {"name": "_x", "provider": "Nobody", "purpose": "?", "duration_unit": "weeks"}
    )
    data["providers"][0]["privacy_policy_url"] = "not a url"
    data["retention_rules"][0]["period_days"] = "twelve"
    data["scripts"] = [{"name": "Pixel", "category": "nope", "placement": "footer"}]

    path = tmp_path / "registry.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"Nothing imported: 12 problem\(s\)"):
        call_command("import_registry", str(path), *AS_SUPERUSER, stdout=StringIO(), stderr=err)
    problems = err.getvalue().splitlines()
    assert problems == [
        "providers[0].privacy_policy_url: Enter a valid URL.",
        "categories[0].cookies: an essential category must declare at least one cookie",
        "categories[2].consent_mode_signals[1]: must be one of ad_storage, analytics_storage, ad_user_data, "
        "ad_personalization, functionality_storage, personalization_storage, security_storage",
        "categories[2].cookies[0].duration_value: must be a positive number",
        "categories[2].cookies[1].name: '_ga' is declared twice (see cookies[0])",
        "categories[2].cookies[1].party: must be one of first, third",
        "categories[2].cookies[2].duration_unit: must be one of session, minutes, hours, days, months, years",
        "categories[2].cookies[2].provider: no provider named 'Nobody'",
        "categories[2].default_enabled: Only essential categories can be on by default: optional cookies need "
        "opt-in consent.",
        "retention_rules[0].period_days: must be a whole number or null",
        "scripts[0].category: no category with key 'nope'",
        "scripts[0].placement: must be one of head, body",
    ]
    assert not CookieCategory.objects.exists()
    assert not Provider.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[]", "(file): must be a JSON object"),
        ('{"categories": {}}', "categories: must be a list"),
        (
            '{"categories": [{"key": "x", "name": "X", "purpose": "p", "colour": "red"}]}',
            "categories[0].colour: unknown field",
        ),
        (
            '{"categories": [{"key": "has space", "name": "X", "purpose": "p"}]}',
            "categories[0].key: Enter a valid",
        ),
        ('{"categories": [{"name": "X", "purpose": "p"}]}', "categories[0].key: is required"),
        (
            '{"categories": [{"key": "a", "name": "A", "purpose": "p"}, {"key": "a", "name": "B", "purpose": "p"}]}',
            "categories[1].key: duplicates categories[0]",
        ),
        ('{"format_version": 2}', "format_version: this site reads version 1"),
        ('{"providers": [{"name": 3}]}', "providers[0].name: must be text"),
        (
            '{"categories": [{"key": "a", "name": "A", "purpose": "p", "cookies": [{"name": "x"}]}]}',
            "categories[0].cookies[0].purpose: is required",
        ),
        ('{"registry": []}', "registry: unknown field"),
    ],
)
def test_malformed_files_are_refused_with_a_message(tmp_path, db, content, message):
    err = StringIO()
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_registry", str(path), *AS_SUPERUSER, stdout=StringIO(), stderr=err)
    assert message in err.getvalue() + str(raised.value)
    assert not CookieCategory.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_registry", str(tmp_path / "missing.json"), *AS_SUPERUSER)


def test_a_category_key_the_consent_cookie_cannot_carry_is_refused(tmp_path, registry):
    data = json.loads(export_to_text())
    wipe_registry()
    data["categories"][1]["key"] = "Analytics"
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_registry", str(path), *AS_SUPERUSER, stdout=StringIO(), stderr=err)
    assert "categories[1].key: Use lowercase letters, digits, hyphens and underscores only" in err.getvalue()
    assert not CookieCategory.objects.exists()


def test_the_export_is_valid_under_the_shipped_schema(registry):
    """The schema file documents the format the site really writes (and the README links it)."""
    from pathlib import Path

    import jsonschema

    from cookie_registry.transfer import SCHEMA_PATH

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(export_to_text()), schema)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "cookie_registry/schema/cookie-registry.schema.json" in readme
