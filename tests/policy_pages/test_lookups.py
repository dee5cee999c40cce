"""Lookups legal and outsiders need: version on a date, compare picker, declaration JSON/CSV, gpc.json."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from django.db import models

from cookie_registry.models import Cookie, CookieCategory, RegistryVersion

from .conftest import publish_policy

# A pinned clock: a "today" read when the module is collected and one read by a fixture can straddle
# midnight (seen in CI: a suite started at 23:50 asked for a date one day before the first version).
PINNED_NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
TODAY = PINNED_NOW.date()


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(PINNED_NOW, tick=False)


@pytest.fixture
def three_versions(published_policy):
    """Versions effective 30 days ago, 10 days ago and today."""
    publish_policy(published_policy, effective=TODAY - datetime.timedelta(days=10), summary="Second")
    publish_policy(published_policy, effective=TODAY, summary="Third")
    return published_policy


def day(offset: int) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


@pytest.mark.parametrize(("offset", "number"), [(-30, 1), (-11, 1), (-10, 2), (-1, 2), (0, 3), (400, 3)])
def test_on_a_date_redirects_to_the_version_in_force(client, three_versions, offset, number):
    response = client.get(f"/cookie-policy/on/{day(offset)}/")
    assertRedirects(response, f"/cookie-policy/versions/{number}/", fetch_redirect_response=False)
    assert response.status_code == 302  # the answer for today changes when a new version takes effect


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2026-1-1", "99999-01-01"])
def test_on_a_bad_date_is_404(client, three_versions, value):
    assert client.get(f"/cookie-policy/on/{value}/").status_code == 404


def test_on_a_date_before_the_first_version_is_404(client, three_versions):
    assert client.get(f"/cookie-policy/on/{day(-31)}/").status_code == 404


def test_history_has_a_compare_picker_that_lands_on_the_diff(client, three_versions):
    history = client.get("/cookie-policy/versions/")
    assertContains(history, 'action="/cookie-policy/versions/compare/"')
    assertContains(history, '<option value="2" selected>', html=False)
    response = client.get("/cookie-policy/versions/compare/?a=3&b=1")
    assertRedirects(response, "/cookie-policy/versions/1/compare/3/")


@pytest.mark.parametrize("query", ["?a=1&b=9", "?a=x&b=1", "", "?a=1"])
def test_compare_picker_with_bad_choices_is_404(client, three_versions, query):
    assert client.get(f"/cookie-policy/versions/compare/{query}").status_code == 404


def test_current_declaration_as_json_and_csv(client, published_policy):
    data = client.get("/cookie-declaration.json").json()
    names = {row["name"] for row in data["cookies"]}
    assert names == set(Cookie.objects.filter(category__live=True).values_list("name", flat=True))
    assert data["registry_version"] == RegistryVersion.objects.latest().number
    response = client.get("/cookie-declaration.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["name"] for row in rows} == names
    assert client.get("/cookie-declaration.xml").status_code == 404


def test_csv_cells_cannot_become_spreadsheet_formulas(client, published_policy):
    category = CookieCategory.objects.filter(live=True).first()
    models.QuerySet(Cookie).filter(category=category).update(purpose='=HYPERLINK("http://evil")')
    from site_data.generation import forget_shared

    forget_shared()
    rows = list(csv.DictReader(io.StringIO(client.get("/cookie-declaration.csv").content.decode())))
    purposes = {row["purpose"] for row in rows if row["category_key"] == category.key}
    assert purposes == {'\'=HYPERLINK("http://evil")'}


def test_each_registry_and_policy_version_keeps_its_declaration(client, published_policy):
    version = RegistryVersion.objects.latest()
    data = client.get(f"/cookie-declaration/v{version.number}.json").json()
    assert data["chain_hash"] == version.chain_hash and data["cookies"]
    assert client.get(f"/cookie-declaration/v{version.number}.csv").status_code == 200
    assert client.get("/cookie-declaration/v999.json").status_code == 404

    frozen = client.get("/cookie-policy/versions/1/cookies/json/").json()
    assert frozen["policy_version"] == 1 and {row["name"] for row in frozen["cookies"]} == {
        row["name"] for row in data["cookies"]
    }
    assert client.get("/cookie-policy/versions/1/cookies/csv/").status_code == 200
    assert client.get("/cookie-policy/versions/1/cookies/pdf/").status_code == 404
    assert client.get("/cookie-policy/versions/7/cookies/json/").status_code == 404


def test_gpc_well_known_follows_the_specification(client, db, settings):
    response = client.get("/.well-known/gpc.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"gpc": True, "lastUpdate": settings.GPC_LAST_UPDATE}
    datetime.date.fromisoformat(response.json()["lastUpdate"])
