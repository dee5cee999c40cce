"""cookie_registry 0004: upper-case category keys left by 0003 become lower case, without clashes."""

import pytest

from cookie_registry.models import CookieCategory

from .conftest import migrate

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

BEFORE = [("cookie_registry", "0003_category_key_lowercase")]
AFTER = [("cookie_registry", "0004_lowercase_existing_category_keys")]


def test_upper_case_keys_become_lower_case_and_clashes_get_a_suffix():
    migrate(BEFORE)
    # Rows as an older release stored them (the lowercase validator runs in forms, not in save()).
    shouting = CookieCategory.objects.create(key="Analytics", name="Analytics", purpose="Counts visits.")
    clash = CookieCategory.objects.create(key="MARKETING", name="Marketing", purpose="Ads.")
    CookieCategory.objects.create(key="marketing", name="Marketing (new)", purpose="Ads.")
    revision = shouting.save_revision(clean=False)
    assert revision.content["key"] == "Analytics"

    migrate(AFTER)

    assert CookieCategory.objects.get(pk=shouting.pk).key == "analytics"
    assert CookieCategory.objects.get(pk=clash.pk).key == "marketing-2"
    revision.refresh_from_db()
    assert revision.content["key"] == "analytics", "publishing an old revision must not bring it back"
