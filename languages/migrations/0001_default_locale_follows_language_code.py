"""Sites made before languages existed have Wagtail's default locale as ``en-gb``: make it ``en``.

Wagtail finds the default locale by ``LANGUAGE_CODE`` (now the first of ``SITE_LANGUAGES``), so the
existing pages, snippets and settings keep their locale under its new code.
"""

from django.conf import settings
from django.db import migrations


def rename_default_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    default = settings.LANGUAGE_CODE
    if Locale.objects.filter(language_code=default).exists():
        return
    old = Locale.objects.filter(language_code__istartswith=f"{default}-").order_by("pk").first()
    if old is not None:
        old.language_code = default
        old.save(update_fields=["language_code"])


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0054_initial_locale")]

    operations = [migrations.RunPython(rename_default_locale, migrations.RunPython.noop)]
