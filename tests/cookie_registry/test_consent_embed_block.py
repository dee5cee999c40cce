"""Editors' embed block: provider content behind the consent placeholder, category from the registry."""

from __future__ import annotations

import pytest

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from cookie_registry.blocks import ConsentGatedEmbedBlock, optional_category_choices
from policy_pages.models import PolicyPage

VIDEO_URL = "https://www.youtube.com/watch?v=abc123"
PROVIDER_HTML = (
    '<iframe width="200" height="113" src="https://www.youtube.com/embed/abc123?feature=oembed" '
    'title="Demo video" allowfullscreen></iframe>'
)


@pytest.fixture
def cached_embed(db):
    """What Wagtail's oEmbed finder would have stored: no network in tests."""
    return Embed.objects.create(
        url=VIDEO_URL,
        hash=get_embed_hash(VIDEO_URL),
        type="video",
        html=PROVIDER_HTML,
        title="Demo video",
        provider_name="YouTube",
        width=200,
        height=113,
    )


@pytest.fixture
def policy_with_embed(cookie_policy_page, registry, cached_embed):
    page = PolicyPage.objects.get(pk=cookie_policy_page.pk)
    page.body.append(
        ("consent_embed", {"embed": VIDEO_URL, "category": "analytics", "caption": "How we work"})
    )
    page.save_revision().publish()
    return page


def test_categories_offered_are_the_optional_published_ones(registry):
    assert optional_category_choices() == [
        ("preferences", "Preferences"),
        ("analytics", "Analytics"),
        ("marketing", "Marketing"),
    ]
    block = ConsentGatedEmbedBlock()
    assert ("analytics", "Analytics") in list(block.child_blocks["category"].field.choices)
    assert "necessary" not in dict(block.child_blocks["category"].field.choices)


def test_embed_renders_as_a_placeholder_holding_the_privacy_enhanced_iframe(client, policy_with_embed):
    html = client.get(policy_with_embed.url).content.decode()
    start = html.index('<figure class="embed-block">')
    figure = html[start : html.index("</figure>", start)]
    assert '<div class="ce" data-consent-embed="analytics">' in figure
    assert 'data-consent-enable="analytics">Enable Analytics content</button>' in figure
    template = figure[figure.index("<template>") : figure.index("</template>")]
    assert 'src="https://www.youtube-nocookie.com/embed/abc123?feature=oembed"' in template
    assert "www.youtube.com" not in figure  # nothing from the cookie-setting host
    assert " style=" not in figure  # strict CSP: no inline styles
    assert "<figcaption>How we work</figcaption>" in figure
    # The iframe sits only inside the inert <template>: nothing loads before consent.
    assert figure.count("<iframe") == 1 and figure.index("<iframe") > figure.index("<template>")


def test_an_unreachable_embed_renders_nothing(client, cookie_policy_page, registry, monkeypatch):
    from wagtail.embeds import embeds
    from wagtail.embeds.exceptions import EmbedNotFoundException

    def not_found(*args, **kwargs):
        raise EmbedNotFoundException

    monkeypatch.setattr(embeds, "get_finder_for_embed", not_found)
    page = PolicyPage.objects.get(pk=cookie_policy_page.pk)
    page.body.append(("consent_embed", {"embed": "https://example.org/gone", "category": "analytics"}))
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assert "embed-block" not in response.content.decode()
