"""Published data stands on published data: no category goes live naming an unpublished provider."""

from __future__ import annotations

import html

import pytest

from cookie_registry.models import CookieCategory, UnpublishedProviderError
from tests.fixtures.registry import cookie, make_category, make_provider, publish

from .test_admin import category_form_data, editor, editor_client, form_errors, url  # noqa: F401 (fixtures)


@pytest.fixture
def draft_provider(registry):
    return make_provider("Pixel Co", "https://pixel.example/privacy", live=False)


def new_category_data(provider, *, publish: bool) -> dict:
    return category_form_data(
        name="Advertising",
        key="advertising",
        purpose="Ads.",
        sort_order=5,
        cookies=[
            {
                "name": "_px",
                "provider": provider.pk,
                "purpose": "Ad id",
                "duration_unit": "days",
                "duration_value": 30,
            }
        ],
        publish=publish,
    )


def test_publishing_from_the_editor_names_the_unpublished_provider(editor_client, draft_provider):  # noqa: F811
    response = editor_client.post(url("add"), new_category_data(draft_provider, publish=True))
    assert response.status_code == 200
    assert 'unpublished provider "Pixel Co": publish it first' in html.unescape(form_errors(response))
    assert not CookieCategory.objects.filter(key="advertising").exists()


def test_a_draft_may_name_an_unpublished_provider_and_is_published_after_it(editor_client, draft_provider):  # noqa: F811
    response = editor_client.post(url("add"), new_category_data(draft_provider, publish=False))
    assert response.status_code == 302
    category = CookieCategory.objects.get(key="advertising")
    assert not category.live
    publish(draft_provider)
    category.get_latest_revision().publish()
    category.refresh_from_db()
    assert category.live


def test_every_other_route_to_live_is_refused_too(draft_provider):
    category = make_category("advertising", cookies=[cookie("_px", provider=draft_provider)], live=False)
    with pytest.raises(UnpublishedProviderError, match='"Pixel Co"'):
        category.get_latest_revision().publish()  # what workflow approval and scheduling call
    category.refresh_from_db()
    assert not category.live
