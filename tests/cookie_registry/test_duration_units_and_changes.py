"""Minutes and hours as cookie durations, and change lists that say which cookie, in which category."""

from __future__ import annotations

import pytest

from cookie_registry.models import Cookie, CookieCategory, duration_errors, duration_in_words
from cookie_registry.templatetags.registry_tags import wbr
from tests.fixtures.registry import cookie

from .test_admin import category_form_data, editor, editor_client, url  # noqa: F401 - fixtures
from .test_versioning import latest, set_cookies


@pytest.mark.parametrize(
    ("unit", "value", "words"),
    [
        ("minutes", 1, "1 minute"),
        ("minutes", 30, "30 minutes"),
        ("hours", 1, "1 hour"),
        ("hours", 24, "24 hours"),
        ("days", 2, "2 days"),
        ("session", None, "Session"),
    ],
)
def test_durations_read_as_words(unit, value, words):
    assert duration_in_words(unit, value) == words
    assert duration_errors(unit, value) == {}


def test_minutes_need_a_number():
    assert duration_errors("minutes", None) == {"duration_value": "must be a positive number"}


def test_an_editor_declares_a_30_minute_cookie_and_the_policy_says_so(
    editor_client,  # noqa: F811
    registry,
    cookie_policy_page,
    client,
):
    analytics = registry.analytics
    cookies = [
        {"id": c.pk, "name": c.name, "duration_unit": c.duration_unit, "duration_value": c.duration_value}
        for c in analytics.cookies.all()
    ]
    cookies.append(
        {
            "name": "_hjSession_*",
            "purpose": "Hotjar session.",
            "duration_unit": "minutes",
            "duration_value": 30,
        }
    )
    for row, existing in zip(cookies, analytics.cookies.all(), strict=False):
        row.update(purpose=existing.purpose, provider=existing.provider_id or "")
    data = category_form_data(analytics, cookies=cookies, publish=True)
    response = editor_client.post(url("edit", analytics.pk), data)
    assert response.status_code == 302
    stored = Cookie.objects.get(name="_hjSession_*")
    assert (stored.duration_unit, stored.duration_value) == ("minutes", 30)
    client.logout()
    html = client.get(cookie_policy_page.url).content.decode()
    assert '<td data-label="Duration">30 minutes</td>' in html
    assert "<code>_hjSession_<wbr>*</code>" in html
    assert latest().changes == [
        "New cookie in Analytics: _hjSession_* (name pattern; this website, 30 minutes)"
    ]


def test_existing_durations_are_unchanged(registry):
    analytics = CookieCategory.objects.get(pk=registry.analytics.pk)
    assert [(c.name, c.duration_display) for c in analytics.cookies.all()] == [
        ("_ga", "2 years"),
        ("_gid", "1 day"),
    ]


def test_change_list_names_the_category_provider_and_duration(registry):
    analytics = registry.analytics
    google = registry.google
    set_cookies(
        analytics,
        [
            *[cookie(c.name, provider=c.provider) for c in analytics.cookies.all()],
            cookie("_hjSessionUser_*", duration_unit="hours", duration_value=2),
            cookie("_gat", provider=google, duration_unit="minutes", duration_value=1),
        ],
    )
    assert sorted(latest().changes) == [
        "New cookie in Analytics: _gat (Google, 1 minute)",
        "New cookie in Analytics: _hjSessionUser_* (name pattern; this website, 2 hours)",
    ]


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("cookie_consent", "cookie_<wbr>consent"),
        ("_hjSessionUser_*", "_hjSessionUser_<wbr>*"),
        ("_ga", "_ga"),
        ("AMP_TOKEN", "AMP_<wbr>TOKEN"),
        ("ab.test-id", "ab.<wbr>test-<wbr>id"),
        ("<b>_x", "&lt;b&gt;_<wbr>x"),
    ],
)
def test_cookie_names_wrap_after_separators_and_are_escaped(name, html):
    assert wbr(name) == html
