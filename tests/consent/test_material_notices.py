"""The banner config names the latest material change of each live policy, the same for everyone."""

import json

import pytest

from consent.banner_data import material_notices

pytestmark = pytest.mark.django_db


def publish(page, *, material: bool, summary: str = "A change."):
    page.change_summary = summary
    page.is_material_change = material
    page.save_revision().publish()
    return page.versions.order_by("-number").first()


@pytest.fixture
def policies(demo_site):
    from policy_pages.models import PolicyPage

    return PolicyPage.objects.get(slug="privacy-policy"), PolicyPage.objects.get(slug="cookie-policy")


def test_only_material_versions_of_live_policies_are_announced(policies):
    privacy, cookie = policies
    before = {notice["url"] for notice in material_notices()}
    material = publish(privacy, material=True)
    publish(cookie, material=False)
    notices = material_notices()
    new = [notice for notice in notices if notice["url"] not in before]
    assert new == [
        {
            "at": int(material.published_at.timestamp()),
            "text": new[0]["text"],
            "url": material.get_compare_url(material.number - 1),
        }
    ]
    assert new[0]["text"].startswith(f"Our {material.title} changed on ")

    later = publish(privacy, material=False)
    assert later.number == material.number + 1
    assert material_notices() == notices, "a later non-material version keeps the last material one"

    privacy.unpublish()
    assert all(privacy.url_path not in notice["url"] for notice in material_notices())


def test_one_notice_per_policy_at_most(policies):
    privacy, _cookie = policies
    first = publish(privacy, material=True)
    second = publish(privacy, material=True)
    urls = [notice["url"] for notice in material_notices()]
    assert second.get_compare_url(second.number - 1) in urls
    assert first.get_compare_url(first.number - 1) not in urls


def test_pages_carry_the_notices_in_their_config_and_stay_identical_for_everyone(policies, client, settings):
    settings.PAGE_CACHE_ENABLED = False
    privacy, _cookie = policies
    version = publish(privacy, material=True, summary="New retention periods.")
    anonymous = client.get("/").content
    client.cookies["cookie_consent"] = "1|abcdefghijklmnop|1|1700000000|analytics:forged"
    returning = client.get("/").content
    assert anonymous == returning
    script = anonymous.decode().split('id="consent-config" type="application/json">')[1]
    config = json.loads(script.split("</script>")[0])
    url = version.get_compare_url(version.number - 1)
    assert {"at": int(version.published_at.timestamp()), "url": url}.items() <= next(
        notice for notice in config["notices"] if notice["url"] == url
    ).items()
