"""Time the consent-records report, exports and lookups against a database filled by bench/consent_records.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale DEBUG=false /work/venv/bin/python bench/consent_scale.py

Runs in-process through Django's test client as a logged-in superuser (the same views gunicorn serves,
without the network), prints a Markdown table (median of ``--repeat`` runs after one warm-up) and the
query plan of each filter's page query. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("DEBUG", "false")

REPORT_URL = "/admin/reports/consent-records/"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, repeat: int) -> float:
    function()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument(
        "--skip-full-export", action="store_true", help="Skip export_consent_records of every row."
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.http import StreamingHttpResponse
    from django.test import Client

    from consent.models import ConsentRecord

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    total = ConsentRecord.objects.count()
    newest = ConsentRecord.objects.order_by("-created_at").values_list("consent_id", "created_at").first()
    if newest is None:
        sys.exit("No consent records: fill the database with bench/consent_records.py first.")
    middle_day = (newest[1] - datetime.timedelta(days=400)).date()
    version = ConsentRecord.objects.order_by("registry_version_number").values_list(
        "registry_version_number", flat=True
    )[0]
    rows: list[tuple[str, str]] = []

    def page(query: dict[str, str]):
        def get() -> None:
            response = client.get(REPORT_URL, query)
            if response.status_code != 200:
                raise RuntimeError(f"{query}: HTTP {response.status_code}")

        return get

    cases = [
        ("First page (no filter)", {}),
        ("Page 2,000", {"p": "2000"}),
        ("Action = withdraw", {"action": "withdraw"}),
        (f"Registry version = {version} (oldest)", {"registry_version_number": str(version)}),
        ("One day", {"created_at_from": middle_day.isoformat(), "created_at_to": middle_day.isoformat()}),
        ("Search by consent id (staff)", {"q": newest[0][:12]}),
        ("Invalid filter value (ignored)", {"action": "bogus"}),
    ]
    for label, query in cases:
        rows.append((f"Report: {label}", f"{timed(page(query), args.repeat):.0f} ms"))

    def lookup() -> None:
        list(ConsentRecord.objects.for_consent_id(newest[0]))

    rows.append(("Visitor lookup by consent id (query)", f"{timed(lookup, args.repeat * 4):.2f} ms"))

    if not args.skip_exports:
        started = time.perf_counter()
        before = rss_mb()
        since = (newest[1] - datetime.timedelta(days=120)).date().isoformat()
        response = client.get(REPORT_URL, {"export": "csv", "action": "reject_all", "created_at_from": since})
        assert isinstance(response, StreamingHttpResponse)  # noqa: S101 - the CSV export streams
        first_byte: float | None = None
        size = 0
        for piece in response.streaming_content:
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(piece)
        elapsed = time.perf_counter() - started
        assert first_byte is not None  # noqa: S101 - the CSV has at least its header row
        count = ConsentRecord.objects.filter(action="reject_all", created_at__date__gte=since).count()
        rows.append(
            (
                f"Admin CSV export, reject all in the last 120 days ({count:,} rows, {size / 1e6:.0f} MB)",
                f"first byte {first_byte * 1000:.0f} ms, total {elapsed:.1f} s ({count / elapsed:,.0f} rows/s), "
                f"peak RSS {rss_mb():.0f} MB (before {before:.0f} MB)",
            )
        )
    if not args.skip_exports and not args.skip_full_export:
        started = time.perf_counter()
        out = Path(tempfile.gettempdir()) / f"consent-export-{os.getpid()}.csv"
        call_command("export_consent_records", "--output", str(out), stderr=open(os.devnull, "w"))  # noqa: SIM115
        elapsed = time.perf_counter() - started
        rows.append(
            (
                f"export_consent_records, all {total:,} rows ({out.stat().st_size / 1e6:.0f} MB)",
                f"{elapsed:.1f} s ({total / elapsed:,.0f} rows/s), peak RSS {rss_mb():.0f} MB",
            )
        )
        out.unlink()

    print(f"\n{total:,} consent records\n")
    print("| Measure | Result |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")

    print("\nPlans (EXPLAIN ANALYZE of each filter's page query):\n")
    plans = {
        "no filter": ConsentRecord.objects.all(),
        "action": ConsentRecord.objects.filter(action="withdraw"),
        "registry version": ConsentRecord.objects.filter(registry_version_number=version),
        "consent id prefix": ConsentRecord.objects.filter(consent_id__startswith=newest[0][:12]),
    }
    for label, queryset in plans.items():
        sql, params = queryset.order_by("-created_at", "-id")[:50].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            lines = [row[0] for row in cursor.fetchall()]
        print(f"- {label}: " + " / ".join(line.strip() for line in lines[:3]) + f" / {lines[-1].strip()}")


if __name__ == "__main__":
    main()
