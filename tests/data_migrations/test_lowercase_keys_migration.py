"""cookie_registry 0004: upper-case category keys left by 0003 become lower case, without clashes."""

import pytest

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cookie_registry.models import CookieCategory

from .conftest import migrate

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

BEFORE = [("cookie_registry", "0003_category_key_lowercase")]
AFTER = [("cookie_registry", "0004_lowercase_existing_category_keys")]


def test_upper_case_keys_become_lower_case_and_clashes_get_a_suffix():
    apps = migrate(BEFORE)
    # Rows as an older release stored them (the lowercase validator runs in forms, not in save()).
    Category = apps.get_model("cookie_registry", "CookieCategory")
    shouting = Category.objects.create(key="Analytics", name="Analytics", purpose="Counts visits.")
    clash = Category.objects.create(key="MARKETING", name="Marketing", purpose="Ads.")
    Category.objects.create(key="marketing", name="Marketing (new)", purpose="Ads.")
    revision = apps.get_model("wagtailcore", "Revision").objects.create(
        content_type_id=ContentType.objects.get_for_model(CookieCategory).pk,
        base_content_type_id=ContentType.objects.get_for_model(CookieCategory).pk,
        object_id=str(shouting.pk),
        content={"pk": shouting.pk, "key": "Analytics", "name": "Analytics", "purpose": "Counts visits."},
        created_at=timezone.now(),
    )

    after = migrate(AFTER).get_model("cookie_registry", "CookieCategory")

    assert after.objects.get(pk=shouting.pk).key == "analytics"
    assert after.objects.get(pk=clash.pk).key == "marketing-2"
    revision.refresh_from_db()
    assert revision.content["key"] == "analytics", "publishing an old revision must not bring it back"
