"""Time ``scan_cookies`` on the demo site and on a generated 100-page site.

A throwaway SQLite database per site (dev settings, page cache on), the demo content, and for the
large site enough extra live policy pages (copies of the cookie policy's body, registry tables
included) to make 100 pages in the page tree. The scan serves the site itself on a free loopback
port (no --base-url), as cron would run it, and all consent states are scanned.

    .venv/bin/python bench/scan_site.py            # both sites
    BENCH_SCAN_SITES=demo .venv/bin/python bench/scan_site.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_PAGES = int(os.environ.get("BENCH_SCAN_PAGES", "100"))

GROW = """
import copy
from home.models import HomePage
from policy_pages.models import PolicyPage
from wagtail.models import Page
target = {target}
home = HomePage.objects.get()
template = PolicyPage.objects.get(slug="cookie-policy")
existing = Page.objects.live().filter(depth__gt=1).count()
for number in range(existing, target):
    page = PolicyPage(title=f"Generated policy {{number}}", slug=f"generated-{{number}}", live=True,
                      body=copy.deepcopy(template.body.raw_data))
    home.add_child(instance=page)
print(Page.objects.live().filter(depth__gt=1).count())
"""


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def bench_site(name: str, pages: int | None) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"scan-bench-{name}-") as workdir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
            "SITE_GENERATION_DIR": f"{workdir}/site-generation",
            "LOG_LEVEL": "WARNING",
        }
        manage(env, "migrate", "-v0")
        manage(env, "load_demo_content", "-v0")
        if pages:
            manage(env, "shell", stdin=GROW.format(target=pages))
        started = time.monotonic()
        document = json.loads(manage(env, "scan_cookies", "--json", "--time-limit", "600"))
        wall = time.monotonic() - started
    kinds: dict[str, int] = {}
    for finding in document["findings"]:
        kinds[finding["kind"]] = kinds.get(finding["kind"], 0) + 1
    return {
        "site": name,
        "paths": len(document["pages"]),
        "states": len(document["states"]),
        "page_loads": len(document["pages"]) * len(document["states"]),
        "scan_seconds": document["seconds"],
        "command_seconds": round(wall, 1),
        "findings": kinds,
    }


def main() -> None:
    sites = os.environ.get("BENCH_SCAN_SITES", "demo,large").split(",")
    load = os.getloadavg()
    print(f"load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    for site in sites:
        row = bench_site(site, TARGET_PAGES if site == "large" else None)
        print(json.dumps(row))
    load = os.getloadavg()
    print(f"load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
