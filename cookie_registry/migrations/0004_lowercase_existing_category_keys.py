"""Lower-case category keys stored before 0003 added the lowercase rule.

Visitors choosing an upper-case key got a 400 (the consent cookie carries only [a-z0-9_-]). A key
whose lower-case form is taken gets a numbered suffix. Revisions are rewritten too, so publishing
an older revision does not bring the old key back.
"""

from django.db import migrations


def lowercase_keys(apps, schema_editor):
    CookieCategory = apps.get_model("cookie_registry", "CookieCategory")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(CookieCategory.objects.values_list("key", flat=True))
    category_type = ContentType.objects.filter(app_label="cookie_registry", model="cookiecategory").first()
    for category in CookieCategory.objects.order_by("pk"):
        if category.key == category.key.lower():
            continue
        base = category.key.lower()
        new_key, number = base, 2
        while new_key in taken:
            new_key, number = f"{base}-{number}"[:40], number + 1
        taken.discard(category.key)
        taken.add(new_key)
        category.key = new_key
        category.save(update_fields=["key"])
        if category_type is None:
            continue
        for revision in Revision.objects.filter(content_type=category_type, object_id=str(category.pk)):
            if isinstance(revision.content, dict) and "key" in revision.content:
                revision.content["key"] = new_key
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("cookie_registry", "0003_category_key_lowercase"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(lowercase_keys, migrations.RunPython.noop)]
