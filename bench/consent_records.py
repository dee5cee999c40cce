"""Fill a PostgreSQL database with N realistic consent records in set-based SQL (no ORM row by row).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale /work/venv/bin/python bench/consent_records.py 1000000

Loads the demo content if needed (registry, both policies), adds registry versions up to 5, then inserts
the records in chunks of ``--chunk`` rows with ``generate_series``: spread evenly over the last 3 years
(ids grow with time, as in production), ~60 % returning visitors (a consent id recurs), actions 55 %
accept all / 20 % reject all / 13 % custom / 5 % withdraw / 7 % renewal, GPC on 8 %, six browser
families, each record linked to the registry version and the policy versions in force in its era.
Then ANALYZE and the per-day counts the report's chart reads. ``--replace`` empties the records first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

REGISTRY_VERSIONS = 5
DAYS = 1095
BROWSERS = [
    "Chrome 156 / Windows",
    "Chrome 156 / Android",
    "Safari 19 / iOS",
    "Firefox 150 / Windows",
    "Edge 156 / Windows",
    "Safari 19 / Mac OS X",
]

INSERT_RECORDS = """
INSERT INTO consent_consentrecord (
    consent_id, created_at, expires_at, action, requested_action, granted, refused,
    registry_version_id, registry_version_number, policy_versions_snapshot, gpc, ip_network, user_agent_family
)
SELECT
    translate(substr(encode(sha256(('visitor-' || floor(r.visitor * %(total)s * 0.6)::bigint)::bytea), 'base64'), 1, 32), '+/', '-_'),
    r.created_at,
    r.created_at + interval '182 days',
    r.action,
    CASE r.action WHEN 'renewal' THEN 'custom' ELSE r.action END,
    CASE r.action WHEN 'accept_all' THEN %(all)s::jsonb WHEN 'renewal' THEN %(all)s::jsonb
                  WHEN 'custom' THEN %(some)s::jsonb ELSE '[]'::jsonb END,
    CASE r.action WHEN 'accept_all' THEN '[]'::jsonb WHEN 'renewal' THEN '[]'::jsonb
                  WHEN 'custom' THEN %(rest)s::jsonb ELSE %(all)s::jsonb END,
    e.registry_version_id, e.registry_version_number, e.snapshot, r.gpc,
    '198.51.' || (r.g %% 256) || '.0/24',
    (%(browsers)s::text[])[1 + r.g %% 6]
FROM (
    SELECT g,
           now() - interval '%(days)s days' * (1 - g::float8 / %(total)s) + interval '1 second' * random() AS created_at,
           random() AS visitor,
           CASE WHEN p < 0.55 THEN 'accept_all' WHEN p < 0.75 THEN 'reject_all' WHEN p < 0.88 THEN 'custom'
                WHEN p < 0.93 THEN 'withdraw' ELSE 'renewal' END AS action,
           random() < 0.08 AS gpc,
           least(floor(g::float8 * %(eras)s / %(total)s), %(eras)s - 1)::int AS era
    FROM (SELECT g, random() AS p FROM generate_series(%(start)s, %(stop)s) AS g) AS numbered
) AS r
JOIN bench_eras e ON e.era = r.era
"""

INSERT_LINKS = """
INSERT INTO consent_consentrecordpolicyversion (record_id, policy_version_id)
SELECT c.id, unnest(e.policy_version_ids)
FROM consent_consentrecord c JOIN bench_eras e ON e.registry_version_id = c.registry_version_id
WHERE c.id > %(after)s
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int, help="How many records to add.")
    parser.add_argument("--chunk", type=int, default=500_000, help="Rows per INSERT statement.")
    parser.add_argument("--replace", action="store_true", help="Delete every consent record first.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The scale fixture needs PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    from cookie_registry.models import CookieCategory, RegistryVersion
    from policy_pages.models import PolicyVersion

    if not PolicyVersion.objects.exists():
        call_command("load_demo_content", verbosity=0)
    latest = RegistryVersion.objects.order_by("-number").first()
    if latest is None:
        sys.exit("No published registry version: publish the cookie registry first.")
    for number in range(RegistryVersion.objects.count(), REGISTRY_VERSIONS):
        latest = RegistryVersion.objects.create(
            number=latest.number + 1, snapshot=latest.snapshot, changes=[f"Bench version {number + 1}"]
        )
    versions = list(RegistryVersion.objects.order_by("number"))[-REGISTRY_VERSIONS:]
    optional = list(
        CookieCategory.objects.filter(is_essential=False).order_by("sort_order").values_list("key", flat=True)
    )
    policies: dict[int, list] = {}
    for version in PolicyVersion.objects.order_by("page_id", "number"):
        policies.setdefault(version.page_id, []).append(version)

    with connection.cursor() as cursor:
        if args.replace:
            cursor.execute(
                "TRUNCATE consent_consentrecord, consent_consentrecordpolicyversion, consent_consentdailycount"
            )
        cursor.execute("DROP TABLE IF EXISTS bench_eras")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_eras (era int, registry_version_id bigint, registry_version_number int,"
            " snapshot jsonb, policy_version_ids bigint[])"
        )
        for era, registry_version in enumerate(versions):
            in_force = [
                page_versions[min(era * len(page_versions) // REGISTRY_VERSIONS, len(page_versions) - 1)]
                for page_versions in policies.values()
            ]
            snapshot = [
                {
                    "title": v.title,
                    "number": v.number,
                    "effective_date": v.effective_date.isoformat(),
                    "url": "",
                }
                for v in in_force
            ]
            cursor.execute(
                "INSERT INTO bench_eras VALUES (%s, %s, %s, %s::jsonb, %s)",
                [
                    era,
                    registry_version.pk,
                    registry_version.number,
                    json.dumps(snapshot),
                    [v.pk for v in in_force],
                ],
            )
        cursor.execute("SELECT coalesce(max(id), 0) FROM consent_consentrecord")
        (after,) = cursor.fetchone()
        half = len(optional) // 2 or 1
        params = {
            "total": args.count,
            "days": DAYS,
            "eras": REGISTRY_VERSIONS,
            "all": json.dumps(optional),
            "some": json.dumps(optional[:half]),
            "rest": json.dumps(optional[half:]),
            "browsers": BROWSERS,
        }
        started = time.monotonic()
        for start in range(1, args.count + 1, args.chunk):
            stop = min(start + args.chunk - 1, args.count)
            cursor.execute(INSERT_RECORDS, {**params, "start": start, "stop": stop})
            elapsed = time.monotonic() - started
            print(f"records: {stop:,} of {args.count:,} ({stop / elapsed:,.0f} rows/s)", flush=True)
        cursor.execute(INSERT_LINKS, {"after": after})
        print(
            f"policy-version links: {cursor.rowcount:,} in {time.monotonic() - started:.0f} s so far",
            flush=True,
        )
        cursor.execute("ANALYZE consent_consentrecord")
        cursor.execute("ANALYZE consent_consentrecordpolicyversion")
        cursor.execute("DELETE FROM consent_consentdailycount")
    from consent import daily_counts

    daily_counts.count_closed_days()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE consent_consentrecord") if connection.get_autocommit() else None
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('consent_consentrecord')),"
            " pg_size_pretty(pg_total_relation_size('consent_consentrecordpolicyversion'))"
        )
        records_size, links_size = cursor.fetchone()
    print(
        f"Done: {args.count:,} records in {time.monotonic() - started:.0f} s; table with indexes {records_size},"
        f" links {links_size}."
    )


if __name__ == "__main__":
    main()
