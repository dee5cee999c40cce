"""Fixtures for policy versions: a cookie policy over the suite's registry, editors and reviewers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from policy_pages.models import PolicyPage

POLICY_BODY = [
    ("heading", {"text": "What cookies are", "anchor": "what"}),
    ("paragraph", "<p>Cookies are small files a site stores on your device.</p>"),
    ("heading", {"text": "Cookies on this site", "anchor": "declarations"}),
    ("cookie_declarations", {"category": None, "caption": "Every cookie this site uses"}),
]


def publish_policy(
    page: PolicyPage, *, effective: datetime.date | None = None, summary: str = "", **fields: Any
):
    """Publish the page as it stands, with the publishing metadata a version needs."""
    page.effective_date = effective or timezone.localdate()
    page.change_summary = summary
    for name, value in fields.items():
        setattr(page, name, value)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


@pytest.fixture
def home_page(db):
    from home import demo_content as home_demo
    from organisation import demo_content as organisation_demo

    organisation_demo.load()
    return home_demo.load()


@pytest.fixture
def cookie_policy(home_page, registry) -> PolicyPage:
    """The cookie policy at /cookie-policy/, created as a draft (no version yet)."""
    page = home_page.add_child(
        instance=PolicyPage(title="Cookie Policy", slug="cookie-policy", body=POLICY_BODY, live=False)
    )
    page.save_revision()
    return page


@pytest.fixture
def published_policy(cookie_policy) -> PolicyPage:
    """The cookie policy with version 1, effective 30 days ago."""
    publish_policy(cookie_policy, effective=timezone.localdate() - datetime.timedelta(days=30))
    return cookie_policy


def make_user(django_user_model, username: str, group_name: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "password")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return make_user(django_user_model, "eddie", "Editors")


@pytest.fixture
def legal_reviewer(db, django_user_model):
    return make_user(django_user_model, "laura", "Legal reviewers")


def edit_form_data(page: PolicyPage, **overrides: Any) -> dict[str, Any]:
    """POST data for Wagtail's page editor, as the browser would send it."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": rich_text("<p>Only essential cookies until you choose.</p>"),
        "body": streamfield(
            [
                ("heading", {"text": "What cookies are", "anchor": "what"}),
                ("paragraph", rich_text("<p>Cookies are small files a site stores on your device.</p>")),
                ("cookie_declarations", {"category": "", "caption": "Every cookie this site uses"}),
            ]
        ),
        "effective_date": "",
        "change_summary": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)
