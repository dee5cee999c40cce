"""Editors' flows in the Wagtail admin, through real admin requests."""

from __future__ import annotations

import re
from typing import Any

import pytest

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from cookie_registry.models import CookieCategory, RegistryVersion
from tests.fixtures.registry import cookie, make_category

from .conftest import COOKIE_POLICY_BODY

pytestmark = pytest.mark.django_db

CATEGORY_URLS = "wagtailsnippets_cookie_registry_cookiecategory"


def url(name: str, *args: Any) -> str:
    return reverse(f"{CATEGORY_URLS}:{name}", args=args)


@pytest.fixture
def editor(django_user_model):
    """A non-superuser who may edit and publish registry entries (what an editors' group grants)."""
    user = django_user_model.objects.create_user("editor", "editor@example.org", "password")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="cookie_registry"),
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def category_form_data(
    category: CookieCategory | None = None,
    *,
    cookies: list[dict[str, Any]] | None = None,
    publish: bool = False,
    **overrides: Any,
) -> dict[str, Any]:
    """The POST body the category editor sends: fields plus the inline cookie formset."""
    fields: dict[str, Any] = {
        "name": category.name if category else "",
        "key": category.key if category else "",
        "sort_order": category.sort_order if category else 0,
        "purpose": category.purpose if category else "",
        "description": category.description if category else "",
        "is_essential": category.is_essential if category else False,
        "default_enabled": category.default_enabled if category else False,
        "consent_mode_signals": list(category.consent_mode_signals) if category else [],
    }
    fields.update(overrides)
    if cookies is None:
        assert category is not None, "a new category has no cookies to read: pass cookies="
        cookies = [
            {
                "id": c.pk,
                "name": c.name,
                "provider": c.provider_id or "",
                "domain": c.domain,
                "party": c.party,
                "purpose": c.purpose,
                "duration_unit": c.duration_unit,
                "duration_value": c.duration_value or "",
                "storage_type": c.storage_type,
            }
            for c in category.cookies.all()
        ]
    data: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data.update(
        {
            "cookies-TOTAL_FORMS": len(cookies),
            "cookies-INITIAL_FORMS": sum(1 for c in cookies if c.get("id")),
            "cookies-MIN_NUM_FORMS": 0,
            "cookies-MAX_NUM_FORMS": 1000,
        }
    )
    for index, item in enumerate(cookies):
        row = {
            "id": "",
            "provider": "",
            "domain": "",
            "party": "first",
            "duration_unit": "session",
            "duration_value": "",
            "storage_type": "cookie",
            **item,
        }
        for name, value in row.items():
            if name == "DELETE":
                if value:
                    data[f"cookies-{index}-DELETE"] = "on"
                continue
            data[f"cookies-{index}-{name}"] = value
        data[f"cookies-{index}-ORDER"] = index + 1
    if publish:
        data["action-publish"] = "action-publish"
    return data


def with_cookie_changed(data: dict[str, Any], cookie_name: str, **changes: Any) -> dict[str, Any]:
    index = next(
        key.split("-")[1] for key, value in data.items() if key.endswith("-name") and value == cookie_name
    )
    for name, value in changes.items():
        data[f"cookies-{index}-{name}"] = value
    return data


def anonymous_policy() -> str:
    response = Client().get("/cookie-policy/")
    assert response.status_code == 200
    return response.content.decode()


def form_errors(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_registry_menu_groups_the_snippets(editor_client):
    response = editor_client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "Cookie registry" in html
    for name in ("Categories", "Providers", "Retention schedule", "Third-party scripts"):
        assert name in html


def test_publishing_a_purpose_change_updates_the_policy_and_a_draft_does_not(
    editor_client, registry, cookie_policy_page
):
    analytics = registry.analytics
    assert "What _ga is for." in anonymous_policy()
    assert editor_client.get(url("edit", analytics.pk)).status_code == 200

    draft = with_cookie_changed(
        category_form_data(analytics), "_ga", purpose="Counts unique visitors (draft)."
    )
    response = editor_client.post(url("edit", analytics.pk), draft)
    assert response.status_code == 302, form_errors(response)
    html = anonymous_policy()
    assert "Counts unique visitors (draft)." not in html
    assert "What _ga is for." in html

    published = with_cookie_changed(
        category_form_data(analytics, publish=True), "_ga", purpose="Counts unique visitors."
    )
    response = editor_client.post(url("edit", analytics.pk), published)
    assert response.status_code == 302, form_errors(response)
    html = anonymous_policy()
    assert "Counts unique visitors." in html
    assert "What _ga is for." not in html
    # A cookie's purpose is not something visitors re-consent to: still version 1.
    assert RegistryVersion.objects.count() == 1


def test_create_a_category_with_inline_cookies_and_publish(editor_client, registry, cookie_policy_page):
    google = registry.google
    data = category_form_data(
        None,
        name="Social Media",
        key="social_media",
        purpose="Share pages and show adverts on social networks.",
        consent_mode_signals=["ad_storage", "ad_user_data"],
        cookies=[
            {
                "name": "li_gc",
                "provider": google.pk,
                "purpose": "Sharing consent.",
                "duration_unit": "months",
                "duration_value": 3,
            },
            {
                "name": "IDE",
                "provider": google.pk,
                "party": "third",
                "domain": ".doubleclick.net",
                "purpose": "Ad targeting.",
                "duration_unit": "years",
                "duration_value": 1,
            },
        ],
        publish=True,
    )
    response = editor_client.post(url("add"), data)
    assert response.status_code == 302, form_errors(response)
    social = CookieCategory.objects.get(key="social_media")
    assert social.live
    assert social.consent_mode_signals == ["ad_storage", "ad_user_data"]
    assert [c.name for c in social.cookies.all()] == ["li_gc", "IDE"]
    html = anonymous_policy()
    assert 'id="social_media"' in html
    assert '<td data-label="Duration">3 months</td>' in html
    assert ".doubleclick.net" in html
    latest = RegistryVersion.objects.order_by("-number").first()
    assert latest.number == 2
    assert latest.changes == ["New category: Social Media"]


def test_edit_inline_cookies_add_and_delete(editor_client, registry):
    analytics = registry.analytics
    data = category_form_data(analytics, publish=True)
    gid_index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-name") and v == "_gid")
    data[f"cookies-{gid_index}-DELETE"] = "on"
    total = data["cookies-TOTAL_FORMS"]
    data["cookies-TOTAL_FORMS"] = total + 1
    data.update(
        {
            f"cookies-{total}-id": "",
            f"cookies-{total}-name": "_ga_*",
            f"cookies-{total}-provider": registry.google.pk,
            f"cookies-{total}-party": "first",
            f"cookies-{total}-purpose": "Session state for GA4.",
            f"cookies-{total}-duration_unit": "years",
            f"cookies-{total}-duration_value": 2,
            f"cookies-{total}-storage_type": "cookie",
            f"cookies-{total}-ORDER": total + 1,
        }
    )
    response = editor_client.post(url("edit", analytics.pk), data)
    assert response.status_code == 302, form_errors(response)
    names = [c.name for c in CookieCategory.objects.get(pk=analytics.pk).cookies.all()]
    assert names == ["_ga", "_ga_*"]
    assert RegistryVersion.objects.order_by("-number").first().changes == [
        "New cookie in Analytics: _ga_* (name pattern; Google, 2 years)"
    ]


def test_revert_to_an_earlier_revision(editor_client, registry, cookie_policy_page):
    analytics = registry.analytics
    original_revision = CookieCategory.objects.get(pk=analytics.pk).live_revision
    changed = category_form_data(analytics, publish=True, purpose="A purpose we regret.")
    assert editor_client.post(url("edit", analytics.pk), changed).status_code == 302
    assert "A purpose we regret." in anonymous_policy()

    revert_url = url("revisions_revert", analytics.pk, original_revision.pk)
    response = editor_client.get(revert_url)
    assert response.status_code == 200
    assert "Why we use analytics cookies." in response.content.decode()
    reverted = category_form_data(CookieCategory.objects.get(pk=analytics.pk), publish=True)
    reverted["purpose"] = "Why we use analytics cookies."
    response = editor_client.post(revert_url, reverted)
    assert response.status_code == 302, form_errors(response)
    html = anonymous_policy()
    assert "A purpose we regret." not in html
    assert "Why we use analytics cookies." in html


def test_history_compare_lock_and_inspect_views(editor_client, editor, registry):
    analytics = registry.analytics
    first = CookieCategory.objects.get(pk=analytics.pk).live_revision
    assert (
        editor_client.post(
            url("edit", analytics.pk), category_form_data(analytics, publish=True, description="Longer text.")
        ).status_code
        == 302
    )
    second = CookieCategory.objects.get(pk=analytics.pk).live_revision
    assert editor_client.get(url("history", analytics.pk)).status_code == 200
    compare = editor_client.get(url("revisions_compare", analytics.pk, first.pk, second.pk))
    assert compare.status_code == 200
    assert "Longer text." in compare.content.decode()
    assert editor_client.get(url("inspect", analytics.pk)).status_code == 200
    assert editor_client.post(url("lock", analytics.pk)).status_code == 302
    locked = CookieCategory.objects.get(pk=analytics.pk)
    assert locked.locked and locked.locked_by == editor


def test_preview_shows_the_draft_as_a_policy_table(editor_client, registry):
    analytics = registry.analytics
    preview_url = url("preview_on_edit", analytics.pk)
    data = with_cookie_changed(category_form_data(analytics), "_ga", purpose="Previewed purpose.")
    assert editor_client.post(preview_url, data).json()["is_valid"] is True
    html = editor_client.get(preview_url).content.decode()
    assert "Previewed purpose." in html
    assert '<td data-label="Duration">2 years</td>' in html


@pytest.mark.parametrize(
    ("overrides", "cookies", "publish", "message"),
    [
        (
            {"default_enabled": True},
            None,
            False,
            "Only essential categories can be on by default",
        ),
        (
            {"consent_mode_signals": ["analytics_storage", "made_up_storage"]},
            None,
            False,
            "Select a valid choice. made_up_storage is not one of the available choices.",
        ),
        (
            {},
            [
                {"name": "_ga", "purpose": "One."},
                {"name": "_ga", "purpose": "Two."},
            ],
            False,
            "&quot;_ga&quot; is declared twice in this category",
        ),
        (
            {},
            [{"name": "_ga", "purpose": "One.", "duration_unit": "years", "duration_value": ""}],
            False,
            "must be a positive number",
        ),
        (
            {"is_essential": True, "default_enabled": True},
            [],
            True,
            "An essential category must declare at least one cookie",
        ),
    ],
    ids=["non-essential-on-by-default", "unknown-signal", "duplicate-cookie", "duration", "essential-empty"],
)
def test_validation_messages(editor_client, registry, overrides, cookies, publish, message):
    analytics = registry.analytics
    data = category_form_data(analytics, cookies=cookies, publish=publish, **overrides)
    if cookies is not None:  # replace the existing rows
        existing = [
            {"id": c.pk, "name": c.name, "purpose": c.purpose, "DELETE": True}
            for c in analytics.cookies.all()
        ]
        data = category_form_data(analytics, cookies=[*existing, *cookies], publish=publish, **overrides)
    response = editor_client.post(url("edit", analytics.pk), data)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert CookieCategory.objects.get(pk=analytics.pk).purpose == "Why we use analytics cookies."
    assert RegistryVersion.objects.count() == 1


def test_a_category_with_cookies_cannot_be_deleted(editor_client, registry):
    analytics = registry.analytics
    for method in (editor_client.get, editor_client.post):
        response = method(url("delete", analytics.pk), follow=True)
        assert "Cannot delete Analytics: it still declares 2 cookies" in response.content.decode()
    assert CookieCategory.objects.filter(pk=analytics.pk).exists()


def test_a_category_shown_by_a_published_policy_cannot_be_deleted(editor_client, home_page, registry):
    from policy_pages.models import PolicyPage

    empty = make_category("social_media", "Social Media")
    page = home_page.add_child(
        instance=PolicyPage(
            title="Cookie Policy",
            slug="cookie-policy",
            body=[*COOKIE_POLICY_BODY, ("cookie_declarations", {"category": empty, "caption": ""})],
        )
    )
    page.save_revision().publish()
    response = editor_client.post(url("delete", empty.pk), follow=True)
    assert "published policy content shows its cookie table: Cookie Policy" in response.content.decode()
    assert CookieCategory.objects.filter(pk=empty.pk).exists()


def test_bulk_delete_is_refused_too(editor_client, registry):
    analytics = registry.analytics
    bulk_url = (
        reverse("wagtail_bulk_action", args=("cookie_registry", "cookiecategory", "delete"))
        + f"?id={analytics.pk}"
    )
    response = editor_client.post(bulk_url, follow=True)
    assert "Cannot delete Analytics" in response.content.decode()
    assert CookieCategory.objects.filter(pk=analytics.pk).exists()


def test_an_unused_empty_category_can_be_deleted_and_that_is_a_new_version(editor_client, registry):
    unused = make_category("social_media", "Social Media")
    before = RegistryVersion.objects.order_by("-number").first().number
    response = editor_client.post(url("delete", unused.pk))
    assert response.status_code == 302
    assert not CookieCategory.objects.filter(pk=unused.pk).exists()
    latest = RegistryVersion.objects.order_by("-number").first()
    assert latest.number == before + 1
    assert latest.changes == ["Removed category: Social Media"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Strictly Necessary", "Preferences", "Analytics", "Marketing", "Social Media"}),
        ("provider={google}", {"Analytics", "Marketing"}),
        ("party=third", {"Social Media"}),
        ("is_essential=true", {"Strictly Necessary"}),
        ("q=analytics", {"Analytics"}),
    ],
)
def test_category_listing_search_and_cookie_level_filters(editor_client, registry, query, expected):
    # On top of the registry: the only category with a third-party cookie.
    make_category("social_media", "Social Media", cookies=[cookie("IDE", party="third")], order=5)
    response = editor_client.get(url("list_results") + "?" + query.format(google=registry.google.pk))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {
        name
        for name in ("Strictly Necessary", "Preferences", "Analytics", "Marketing", "Social Media")
        if f">{name}<" in html or f"{name}</a>" in html
    }
    assert shown == expected


@pytest.mark.parametrize("viewset", ["provider", "retentionrule", "thirdpartyscript"])
def test_other_registry_listings_and_add_forms_load(editor_client, registry, viewset):
    base = f"wagtailsnippets_cookie_registry_{viewset}"
    assert editor_client.get(reverse(f"{base}:list")).status_code == 200
    assert editor_client.get(reverse(f"{base}:add")).status_code == 200


def test_a_published_key_cannot_be_changed(editor_client, registry):
    analytics = registry.analytics
    response = editor_client.post(
        url("edit", analytics.pk), category_form_data(analytics, key="stats", publish=True)
    )
    assert response.status_code == 200
    assert "The key &quot;analytics&quot; has been published" in form_errors(response)
    assert CookieCategory.objects.get(pk=analytics.pk).key == "analytics"


def test_an_essential_category_may_be_drafted_before_its_cookies_exist(editor_client, registry):
    data = category_form_data(
        None,
        name="Security",
        key="security",
        purpose="Fraud prevention.",
        is_essential=True,
        default_enabled=True,
        cookies=[],
    )
    response = editor_client.post(url("add"), data)
    assert response.status_code == 302, form_errors(response)
    assert not CookieCategory.objects.get(key="security").live


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("", ["_ga", "_gid", "_gcl_au", "sessionid", "site_theme", "IDE"], []),
        ("party=third", ["IDE"], ["_ga", "sessionid"]),
        ("provider={google}", ["_ga", "_gid", "_gcl_au"], ["sessionid", "site_theme", "IDE"]),
        ("category={necessary}", ["sessionid"], ["_ga", "site_theme", "IDE"]),
        ("q=_gi", ["_gid"], ["sessionid", "IDE"]),
    ],
)
def test_all_cookies_report_lists_and_filters_every_cookie(editor_client, registry, query, expected, absent):
    # On top of the registry: a draft category with the only third-party cookie.
    make_category("social_media", "Social Media", cookies=[cookie("IDE", party="third")], live=False, order=5)
    query = query.format(google=registry.google.pk, necessary=registry.necessary.pk)
    response = editor_client.get(reverse("cookie_registry_all_cookies:index") + "?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    for name in expected:
        assert f">{name}<" in html.replace("\n", "").replace(" ", ""), name
    for name in absent:
        assert f">{name}<" not in html.replace("\n", "").replace(" ", ""), name


def test_all_cookies_report_exports_csv(editor_client, registry):
    response = editor_client.get(reverse("cookie_registry_all_cookies:index") + "?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "_ga,Analytics,Google" in text


def test_registry_versions_report_lists_the_changes(editor_client, registry):
    make_category("social_media", "Social Media", cookies=[cookie("li_gc")])
    response = editor_client.get(reverse("cookie_registry_versions:index"))
    assert response.status_code == 200
    assert "New category: Social Media" in response.content.decode()


def test_reports_need_registry_permissions(client, django_user_model, registry):
    outsider = django_user_model.objects.create_user("outsider", "o@example.org", "password")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = client.get(reverse("cookie_registry_all_cookies:index"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(
    ("model", "fields", "expected"),
    [
        (
            "provider",
            {
                "name": "Hotjar",
                "website": "https://www.hotjar.com/",
                "privacy_policy_url": "https://www.hotjar.com/legal/policies/privacy/",
            },
            "Hotjar privacy policy",
        ),
        (
            "retentionrule",
            {
                "data_category": "Support tickets",
                "period": "24 months",
                "period_days": 730,
                "ending_rule": "Deleted",
                "legal_basis": "Contract",
                "sort_order": 1,
            },
            '<th scope="row">Support tickets</th>',
        ),
        (
            "thirdpartyscript",
            {
                "name": "Heatmaps",
                "category": "{analytics}",
                "src": "https://static.hotjar.com/c/hotjar.js",
                "inline_code": "",
                "placement": "body",
                "sort_order": 1,
            },
            "Waits for consent to</th><td>Analytics",
        ),
    ],
)
def test_previews_of_other_registry_entries(editor_client, registry, model, fields, expected):
    preview_url = reverse(f"wagtailsnippets_cookie_registry_{model}:preview_on_add")
    data = {name: str(value).format(analytics=registry.analytics.pk) for name, value in fields.items()}
    assert editor_client.post(preview_url, data).json()["is_valid"] is True
    html = editor_client.get(preview_url).content.decode()
    assert expected in html


def test_consent_mode_signals_are_checkboxes(editor_client, registry):
    html = editor_client.get(url("edit", registry.analytics.pk)).content.decode()
    checkboxes = re.findall(r'<input type="checkbox" name="consent_mode_signals" value="(\w+)"[^>]*>', html)
    assert checkboxes == [
        "ad_storage",
        "analytics_storage",
        "ad_user_data",
        "ad_personalization",
        "functionality_storage",
        "personalization_storage",
        "security_storage",
    ]
    checked = re.findall(
        r'<input type="checkbox" name="consent_mode_signals" value="(\w+)"[^>]*checked', html
    )
    assert checked == ["analytics_storage"]
