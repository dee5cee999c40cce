"""Only the consent POST row of `make bench` (same environment, seed and wrk script), e.g. to compare
the hash chain's cost: `BENCH_DATABASE_URL=postgres://…/any python bench/consent_only.py`."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (bench/run.py, next to this file)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir, run.bench_database() as (url, database):
        env = run.production_env(workdir, url)
        run.manage(env, "migrate", "--noinput", "-v0")
        run.manage(env, "collectstatic", "--noinput", "-v0")
        subprocess.run(
            [run.PYTHON, "bench/seed.py"],
            cwd=run.PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
        with run.gunicorn(env, run.free_port()) as base:
            run.get(base + "/cookie-policy/")
            row = run.measure_consent_post(env, base)
        print(
            f"{database}: {row.requests_per_second:.0f} req/s, p50 {row.p50_ms:.1f} ms, p99 {row.p99_ms:.1f} ms; {row.note}"
        )


if __name__ == "__main__":
    main()
