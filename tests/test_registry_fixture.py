"""The suite's ``registry`` fixture holds what tests/fixtures/registry.py documents, and nothing else."""

from django.conf import settings

from cookie_registry.models import CookieCategory, Provider, RegistryVersion, RetentionRule, ThirdPartyScript


def test_the_registry_fixture_is_what_its_docstring_says(registry):
    cookies = {
        category.key: [cookie.name for cookie in category.cookies.all()]
        for category in CookieCategory.objects.filter(live=True).order_by("sort_order")
    }
    assert cookies == {
        "necessary": ["sessionid", settings.CONSENT_COOKIE_NAME],
        "preferences": ["site_theme"],
        "analytics": ["_ga", "_gid"],
        "marketing": ["_gcl_au"],
    }
    assert [c.key for c in registry.categories] == list(cookies)
    assert registry.essential_keys == ["necessary"]
    assert registry.optional_keys == ["preferences", "analytics", "marketing"]
    assert [p.name for p in Provider.objects.filter(live=True)] == [registry.google.name] == ["Google"]
    assert list(RetentionRule.objects.filter(live=True)) == [registry.retention_rule]
    assert not ThirdPartyScript.objects.exists()
    assert list(RegistryVersion.objects.all()) == [registry.version]
    assert registry.version.number == 1
