"""Seed the benchmark site: the demo content, grown to a realistic size.

5 categories, 100 cookies (the demo's own plus numbered extras, a provider for every ten) and 10
published versions of each policy, each version published the way an editor does (so each is
frozen into a PolicyVersion with the full registry tables). Run by bench/run.py with the
benchmark's environment; idempotent, so it can also be run by hand:

    DJANGO_SETTINGS_MODULE=cms.settings.dev .venv/bin/python bench/seed.py
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

TARGET_COOKIES = int(os.environ.get("BENCH_COOKIES", "100"))
TARGET_VERSIONS = int(os.environ.get("BENCH_VERSIONS", "10"))


def grow_registry(target_cookies: int) -> int:
    """Add third-party cookies (and providers) to the live categories until there are enough."""
    from django.db.models import Max

    from cookie_registry.models import Cookie, CookieCategory, Party, Provider

    missing = target_cookies - Cookie.objects.count()
    if missing <= 0:
        return 0
    categories = list(CookieCategory.objects.live().filter(is_essential=False).order_by("sort_order"))
    start = (Cookie.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    providers = Provider.objects.bulk_create(
        Provider(name=f"Bench partner {start + number}", website=f"https://partner{start + number}.example/")
        for number in range(max(1, missing // 10))
    )
    Cookie.objects.bulk_create(
        Cookie(
            category=categories[number % len(categories)],
            name=f"_bench_{start + number}",
            provider=providers[number % len(providers)],
            party=Party.THIRD,
            domain=f"partner{start + number % len(providers)}.example",
            purpose="Measures how often a partner's content is shown, to limit repetition.",
            translations={
                "de": {
                    "purpose": "Misst, wie oft Inhalte eines Partners gezeigt werden, um Wiederholungen zu begrenzen."
                },
                "fr": {
                    "purpose": "Mesure combien de fois le contenu d'un partenaire est affiché, pour limiter les répétitions."
                },
            },
            duration_unit="days",
            duration_value=30 + number,
            sort_order=1000 + number,
        )
        for number in range(missing)
    )
    return missing


def publish_versions(target_versions: int) -> int:
    """Publish each live policy until it has ``target_versions`` versions."""
    from policy_pages.models import PolicyPage

    published = 0
    for page in PolicyPage.objects.live():
        for number in range(page.versions.count() + 1, target_versions + 1):
            page = PolicyPage.objects.get(pk=page.pk)
            blocks = [block for block in page.body.raw_data if "Revision note" not in str(block.get("value"))]
            note = {"type": "paragraph", "value": f"<p>Revision note {number}: wording clarified.</p>"}
            page.body = [*blocks, note]
            page.effective_date = datetime.date(2025, 1, 1) + datetime.timedelta(days=30 * number)
            page.change_summary = f"Benchmark edition {number}: wording clarified."
            page.save_revision().publish()
            published += 1
    return published


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    cookies = grow_registry(TARGET_COOKIES)
    versions = publish_versions(TARGET_VERSIONS)
    print(f"seeded: {cookies} extra cookies, {versions} extra policy versions")


if __name__ == "__main__":
    main()
