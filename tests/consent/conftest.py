"""Fixtures for the consent tests: a published policy, and helpers to post choices (the registry is tests/fixtures)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from django.utils import timezone

from consent.models import ConsentRecord
from cookie_registry.models import CookieCategory

ENDPOINT = "/consent/"


def create_category_row(key: str, name: str, *, order: int = 0, **extra: Any) -> CookieCategory:
    """A live category row written directly, bypassing publishing: no registry change is recorded,
    so the registry version the visitor saw stays current (unlike ``tests.fixtures.registry.make_category``)."""
    return CookieCategory.objects.create(
        key=key,
        name=name,
        purpose=f"What {name.lower()} cookies are for.",
        sort_order=order,
        live=True,
        **extra,
    )


def choice(action: str, granted: list[str], version: int, **extra: Any) -> dict[str, Any]:
    return {"action": action, "granted": granted, "registry_version": version, **extra}


def post_json(client, data: Any, *, secure: bool = False, **headers: str):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(ENDPOINT, data=body, content_type="application/json", headers=headers, secure=secure)


def post_form(client, fields: list[tuple[str, str]] | dict[str, Any], **headers: str):
    from urllib.parse import urlencode

    return client.post(
        ENDPOINT,
        data=urlencode(fields, doseq=True),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )


@pytest.fixture
def policy_version(registry):
    """A published privacy policy under the default site, frozen into policy version 1."""
    import datetime

    from wagtail.models import Site

    from policy_pages.models import PolicyPage, PolicyVersion

    root = Site.objects.get(is_default_site=True).root_page
    page = PolicyPage(title="Privacy policy", slug="privacy-policy", effective_date=datetime.date(2026, 1, 1))
    root.add_child(instance=page)
    page.save_revision().publish()
    return PolicyVersion.objects.get(page=page)


def consent_cookie_value(response) -> str:
    from django.conf import settings

    return response.cookies[settings.CONSENT_COOKIE_NAME].value


def make_record(
    registry, consent_id: str, action: str, days_ago: float, granted=(), version=None, language="en"
) -> ConsentRecord:
    """A stored record as if made ``days_ago`` days ago (HTTP cannot back-date one)."""
    created = timezone.now() - datetime.timedelta(days=days_ago)
    version = version or registry.version
    record = ConsentRecord(
        consent_id=consent_id,
        created_at=created,
        expires_at=created + datetime.timedelta(days=182),
        action=action,
        requested_action=action if action != "renewal" else "custom",
        granted=list(granted),
        refused=[key for key in registry.optional_keys if key not in granted],
        registry_version=version,
        registry_version_number=version.number,
        policy_versions_snapshot=[
            {"title": "Privacy policy", "number": 2, "effective_date": "2026-01-01", "url": ""}
        ],
        ip_network="198.51.100.0/24",
        user_agent_family="Firefox 150 / Windows",
        language=language,
    )
    record.save()
    return record
