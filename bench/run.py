"""`make bench`: the site in production mode under gunicorn on loopback, driven by wrk.

1. A throwaway environment: production settings, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   no SSL redirect, a temporary SQLite database (or, with BENCH_DATABASE_URL=postgres://…/any, a
   fresh database ``bench_<pid>`` on that server, dropped afterwards), a temporary STATIC_ROOT.
   BENCH_REDIS_URL=redis://… puts the caches in Redis as a multi-instance deployment would.
2. migrate, collectstatic, bench/seed.py (5 categories, 100 cookies, 10 versions per policy).
3. gunicorn with gunicorn.conf.py (page cache on): the static file, the cached pages, the consent
   POST (wrk + bench/consent_post.lua; every 2xx must have left a record in the database).
4. gunicorn again with PAGE_CACHE_ENABLED=false: the same pages rendered on every request ("cold").
   Switching the cache off with a setting measures a full render honestly; a cache-busting query
   string would also measure cache writes and evictions.
5. One table: requests/s, p50, p99 and throughput relative to the static file of the same run.
   GETs send ``Accept-Encoding: gzip, br`` as browsers do (whitenoise then serves the .br copy
   of the static file, the page cache its gzipped copy of the page).

Options come from the environment: BENCH_DURATION (seconds per row, default 10),
BENCH_CONNECTIONS (16), BENCH_THREADS (2), WEB_CONCURRENCY / GUNICORN_THREADS (gunicorn.conf.py).
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
LUA_POST = PROJECT_ROOT / "bench" / "consent_post.lua"


@dataclass
class Row:
    name: str
    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    note: str = ""


def found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """``re.search`` that stops the bench with the pattern when the output is not as expected."""
    match = re.search(pattern, text, flags)
    if match is None:
        sys.exit(f"bench: {pattern!r} not found in:\n{text[-2000:]}")
    return match


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def bench_database():
    """A temporary SQLite file, or PostgreSQL: a fresh ``bench_<pid>`` database dropped at the end when
    BENCH_DATABASE_URL names the ``postgres`` database, otherwise the named (dedicated, disposable)
    database itself, whose ``public`` schema is emptied before and after the run."""
    server_url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if not server_url:
        with tempfile.TemporaryDirectory(prefix="bench-db-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3", "SQLite"
        return
    import psycopg

    parts = urllib.parse.urlsplit(server_url)
    if parts.path.strip("/") not in ("", "postgres"):

        def reset() -> str:
            with psycopg.connect(server_url, autocommit=True) as connection:
                connection.execute("DROP SCHEMA public CASCADE")
                connection.execute("CREATE SCHEMA public")
                row = connection.execute("SHOW server_version").fetchone()
                return str(row[0]) if row else "?"

        version = reset()
        try:
            yield server_url, f"PostgreSQL {version}"
        finally:
            reset()
        return
    name = f"bench_{os.getpid()}"
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        row = connection.execute("SHOW server_version").fetchone()
        version = str(row[0]) if row else "?"
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), f"PostgreSQL {version}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(
    env: dict[str, str], port: int, cwd: Path = PROJECT_ROOT, app: str = "cms.wsgi", health: str = "/healthz/"
):
    """gunicorn with this project's gunicorn.conf.py (also for the reference project)."""
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            app,
            "--config",
            str(PROJECT_ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ],  # fmt: skip
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + health, timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    sys.exit("gunicorn exited:\n" + (process.stderr.read() if process.stderr else "")[-3000:])
                time.sleep(0.2)
        else:
            sys.exit(f"gunicorn did not answer {health} within 30 s")
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def worker_memory_mb(master_pid: int) -> list[tuple[float, float]]:
    """Resident and private memory of each gunicorn worker (children of the master), in MB.

    Resident counts the pages a worker shares with the master (the application it loaded before
    forking) and with the other workers; private is what that one worker adds.
    """
    sizes = []
    with suppress(OSError):
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        for child in children:
            with suppress(OSError, ValueError):
                figures = {}
                for line in Path(f"/proc/{child}/smaps_rollup").read_text().splitlines()[1:]:
                    name, value, *_ = line.split()
                    figures[name.rstrip(":")] = int(value)
                private = figures["Private_Clean"] + figures["Private_Dirty"]
                sizes.append((figures["Rss"] / 1024, private / 1024))
    return sizes


@contextmanager
def reference_project(workdir: str):
    """A project made by ``wagtail start`` in a temporary folder: migrated, static collected, SQLite."""
    folder = Path(workdir) / "reference"
    folder.mkdir()
    wagtail = Path(PYTHON).with_name("wagtail")
    subprocess.run(
        [str(wagtail), "start", "reference", str(folder)], check=True, capture_output=True, timeout=120
    )
    (folder / "reference" / "settings" / "local.py").write_text(
        f"SECRET_KEY = {secrets.token_urlsafe(60)!r}\nALLOWED_HOSTS = ['127.0.0.1']\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "reference.settings.production", "GUNICORN_ACCESSLOG": ""})
    for args in (("migrate", "--noinput", "-v0"), ("collectstatic", "--noinput", "-v0")):
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=600
        )
        if result.returncode != 0:
            sys.exit(f"reference project: manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    yield folder, env


def get(url: str) -> tuple[int, dict[str, str], str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read().decode()


def to_ms(value: str) -> float:
    number, unit = found(r"^([\d.]+)(us|ms|s|m)$", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, *extra: str) -> tuple[float, float, float, int, str]:
    command = [
        "wrk",
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={DURATION}s",
        "--timeout=10s",
        "--latency",
        *extra,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=DURATION + 60)
    output = result.stdout
    if result.returncode != 0 or "Requests/sec" not in output:
        sys.exit(f"wrk failed for {url}:\n{output}\n{result.stderr}")
    rps = float(found(r"Requests/sec:\s+([\d.]+)", output).group(1))
    # Anchored: the "Thread Stats" lines also contain percentages such as "95.50%".
    p50 = to_ms(found(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = to_ms(found(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(number) for number in match.groups())
    return rps, p50, p99, errors, output


def measure(name: str, base: str, path: str, note: str = "") -> Row:
    status, headers, _ = get(base + path)
    if status != 200:
        sys.exit(f"{path} answered {status}")
    # Warm every worker (page cache, Wagtail's site lookup, compiled templates) before measuring.
    subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", "-d1s", "-H", "Accept-Encoding: gzip, br", base + path],
        capture_output=True,
        timeout=60,
    )
    rps, p50, p99, errors, _ = wrk(base + path, "--header", "Accept-Encoding: gzip, br", base + path)
    cache = headers.get("X-Page-Cache")
    log(f"{name}: {rps:,.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms (X-Page-Cache: {cache})")
    return Row(name, path, rps, p50, p99, errors, note)


def count_consent_records(env: dict[str, str]) -> int:
    output = manage(
        env, "shell", "-c", "from consent.models import ConsentRecord; print(ConsentRecord.objects.count())"
    )
    return int(output.strip().splitlines()[-1])


def measure_consent_post(env: dict[str, str], base: str) -> Row:
    _, _, html = get(base + "/cookie-policy/")
    version = found(r'name="registry_version" value="(\d+)"', html).group(1)
    optional = sorted(set(re.findall(r'name="granted" value="([\w-]+)"', html)))
    before = count_consent_records(env)
    rps, p50, p99, errors, output = wrk(
        base + "/consent/",
        "--script",
        str(LUA_POST),
        base + "/consent/",
        "--",
        version,
        base,
        ",".join(optional),
    )
    ok = int(found(r"BENCH_2XX (\d+)", output).group(1))
    other = int(found(r"BENCH_OTHER (\d+)", output).group(1))
    time.sleep(1)  # requests wrk abandoned at the deadline may still be finishing
    stored = count_consent_records(env) - before
    lost = max(0, ok - stored)
    in_flight = stored - ok
    note = f"{ok} × 2xx, {other} other, {stored} records stored: {lost} lost"
    if in_flight > 0:
        note += f", {in_flight} more stored than answered (in flight when wrk stopped, ≤ {CONNECTIONS})"
    log(f"consent POST: {rps:,.0f} req/s; {note}")
    if lost or other or in_flight > CONNECTIONS:
        log("consent POST: RECORDS DO NOT MATCH THE 2xx RESPONSES")
    return Row("Consent POST (JSON)", "/consent/", rps, p50, p99, errors + other, note)


def machine(database: str, env: dict[str, str]) -> str:
    cpu = "unknown CPU"
    with suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    gunicorn_conf = (
        f"{env.get('WEB_CONCURRENCY', '2')} workers × {env.get('GUNICORN_THREADS', '1')} thread(s)"
    )
    cache = "worker memory + generation file" + (
        ", then REDIS_URL" if os.environ.get("BENCH_REDIS_URL") else ""
    )
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {database}, cache: {cache}, "
        f"gunicorn {gunicorn_conf}, wrk {THREADS} threads / {CONNECTIONS} connections / {DURATION} s per row"
    )


def table(rows: list[Row], static_rps: float, reference_rps: float) -> str:
    lines = [
        "| Request | req/s | p50 ms | p99 ms | × static | × reference | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} (`{row.url}`) | {row.requests_per_second:,.0f} | {row.p50_ms:.1f} | "
            f"{row.p99_ms:.1f} | {row.requests_per_second / static_rps:.2f} | "
            f"{row.requests_per_second / reference_rps:.2f} | {row.errors} |"
        )
    return "\n".join(lines)


def targets(rows: dict[str, Row], database: str) -> str:
    """The issue's targets, each a ratio of two rows of this run."""
    reference = rows["Reference: `wagtail start` home"].requests_per_second
    static = rows["Static file (whitenoise)"].requests_per_second
    post = rows["Consent POST (JSON)"]
    checks = [
        (
            "cold cookie policy ≥ 0.8× reference",
            rows["Cookie policy, cold"].requests_per_second / reference,
            0.8,
        ),
        (
            "cached cookie policy ≥ 0.9× static (worker memory)",
            rows["Cookie policy, cached"].requests_per_second / static,
            0.9,
        ),
        (f"consent POST ≥ 1.2× reference ({database})", post.requests_per_second / reference, 1.2),
        (
            "cold German cookie policy within 10 % of the English one",
            rows["Cookie policy (de), cold"].requests_per_second
            / rows["Cookie policy, cold"].requests_per_second,
            0.9,
        ),
    ]
    if "Cookie policy, cached, Redis" in rows:
        redis_static = rows["Static file (whitenoise), Redis run"].requests_per_second
        checks.append(
            (
                "cached cookie policy ≥ 0.7× static (REDIS_URL)",
                rows["Cookie policy, cached, Redis"].requests_per_second / redis_static,
                0.7,
            )
        )
    lines = [
        f"- [{'x' if ratio >= target else ' '}] {label}: {ratio:.2f}×" for label, ratio, target in checks
    ]
    lines.append(f"- [{'x' if ' 0 lost' in post.note else ' '}] no consent record lost: {post.note}")
    return "\n".join(lines)


def production_env(workdir: str, database_url: str) -> dict[str, str]:
    """The environment a benchmarked gunicorn and its manage.py commands run with."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": f"{workdir}/static",
            "SITE_GENERATION_DIR": f"{workdir}/site-generation",
            "MEDIA_ROOT": f"{workdir}/media",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_ACCESSLOG": "",
            "CACHE_KEY_PREFIX": f"bench-{os.getpid()}",
            # wrk posts consents from one address: count them (the limiter's cost is measured)
            # but never reach the limit (its refusals are not).
            "CONSENT_RATE_LIMIT": "1000000000/60,1000000000/86400",
        }
    )
    return env


# The first per-worker figures recorded (bench/RESULTS.md, run 8: 114-119 MB resident); issue 9 asks
# for no more than that.
FIRST_RECORDED_WORKER_RSS_MB = 119


def memory_target(memory: dict[str, list[tuple[float, float]]]) -> str:
    site = [rss for name, sizes in memory.items() if name.startswith("this site") for rss, _ in sizes]
    if not site:
        return "- [ ] resident memory per worker: not measured"
    worst = max(site)
    met = "x" if worst <= FIRST_RECORDED_WORKER_RSS_MB else " "
    return (
        f"- [{met}] resident memory per worker ≤ {FIRST_RECORDED_WORKER_RSS_MB} MB (run 8): "
        f"{min(site):.0f}-{worst:.0f} MB"
    )


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `sudo apt-get install wrk` (make bench does it when run as root).")
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as workdir,
        bench_database() as (database_url, database),
    ):
        env = production_env(workdir, database_url)
        log(f"database: {database}; preparing (migrate, collectstatic, seed)")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        seed = subprocess.run(
            [PYTHON, "bench/seed.py"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        if seed.returncode != 0:
            sys.exit("bench/seed.py failed:\n" + seed.stderr[-3000:])

        port = free_port()
        rows: list[Row] = []
        memory: dict[str, list[tuple[float, float]]] = {}
        with (
            reference_project(workdir) as (reference_dir, reference_env),
            gunicorn(reference_env, port, cwd=reference_dir, app="reference.wsgi", health="/") as (base, pid),
        ):
            rows.append(measure("Reference: `wagtail start` home", base, "/"))
            memory["reference (`wagtail start`)"] = worker_memory_mb(pid)
        with gunicorn(env, port) as (base, pid):
            _, _, home_html = get(base + "/")
            stylesheet = found(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home_html).group(1)
            _, _, history = get(base + "/cookie-policy/versions/")
            numbers = sorted({int(n) for n in re.findall(r"/cookie-policy/versions/(\d+)/", history)})
            archived = f"/cookie-policy/versions/{numbers[0]}/"
            diff = f"/cookie-policy/versions/{numbers[0]}/compare/{numbers[-1]}/"
            _, _, policy_html = get(base + "/cookie-policy/")
            german = urlsplit(found(r'hreflang="de" href="([^"]+)"', policy_html).group(1)).path
            rows.append(measure("Static file (whitenoise)", base, stylesheet))
            rows.append(measure("Home, cached", base, "/"))
            rows.append(measure("Cookie policy, cached", base, "/cookie-policy/"))
            rows.append(measure("Cookie policy (de), cached", base, german))
            rows.append(
                measure(
                    "Cookie policy, cached, tracking parameters",
                    base,
                    "/cookie-policy/?utm_source=bench&gclid=x",
                )
            )
            rows.append(measure("Archived version, cached", base, archived))
            rows.append(measure("Diff, cached", base, diff))
            rows.append(measure_consent_post(env, base))
            memory["this site, page cache in worker memory"] = worker_memory_mb(pid)
        with gunicorn({**env, "PAGE_CACHE_ENABLED": "false"}, port) as (base, pid):
            rows.append(measure("Home, cold", base, "/"))
            rows.append(measure("Cookie policy, cold", base, "/cookie-policy/"))
            rows.append(measure("Cookie policy (de), cold", base, german))
            rows.append(measure("Archived version, cold", base, archived))
            rows.append(measure("Diff, cold", base, diff))
            memory["this site, page cache off"] = worker_memory_mb(pid)
        if os.environ.get("BENCH_REDIS_URL"):
            with gunicorn({**env, "REDIS_URL": os.environ["BENCH_REDIS_URL"]}, port) as (base, pid):
                rows.append(measure("Static file (whitenoise), Redis run", base, stylesheet))
                rows.append(measure("Cookie policy, cached, Redis", base, "/cookie-policy/"))
                memory["this site, REDIS_URL"] = worker_memory_mb(pid)

        by_name = {row.name: row for row in rows}
        static_rps = by_name["Static file (whitenoise)"].requests_per_second
        reference_rps = by_name["Reference: `wagtail start` home"].requests_per_second
        report = [
            f"Machine: {machine(database, env)}",
            "",
            table(rows, static_rps, reference_rps),
            "",
            "Consent POST: " + by_name["Consent POST (JSON)"].note,
            "",
            "Memory per gunicorn worker after its rows, resident (private) in MB: "
            + "; ".join(
                f"{name}: {', '.join(f'{rss:.0f} ({private:.0f})' for rss, private in sizes)}"
                for name, sizes in memory.items()
            ),
            "",
            "Targets:",
            targets(by_name, database),
            memory_target(memory),
        ]
        print("\n".join(report))
        out = PROJECT_ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        (out / f"{stamp}.md").write_text("\n".join(report) + "\n")
        (out / f"{stamp}.json").write_text(json.dumps([row.__dict__ for row in rows], indent=2))


if __name__ == "__main__":
    main()
