"""One scan from start to stored report: the lock, the page list, serving the site, storing findings."""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .browser_scan import ScanResult, ScanSettings, consent_states, scan_site
from .findings import Finding, analyse
from .known_cookies import all_rows
from .models import INFORMATIONAL_KINDS, FindingKind, ScanFinding, ScanLock, ScanReport, ScanStatus
from .registry_adapter import load_registry_view, registry_fingerprint_parts

LOCK_KEY = "cookie-scan"
STALE_LOCK_MARGIN = timedelta(minutes=10)  # a crashed scan's lock is taken over after its limit + this


class ScanRefused(Exception):
    """A scan is already running (one sentence for the operator)."""


@dataclass
class ScanOutcome:
    report: ScanReport | None
    findings: list[Finding]
    result: ScanResult | None
    skipped: str = ""

    @property
    def has_actionable_findings(self) -> bool:
        return any(finding.kind not in INFORMATIONAL_KINDS for finding in self.findings)


@contextmanager
def scan_lock(time_limit: float) -> Iterator[None]:
    """Refuse a second scan while one runs, across processes and hosts (a primary-key row)."""
    now = timezone.now()
    holder = f"{socket.gethostname()}:{os.getpid()}"[:200]
    stale_before = now - timedelta(seconds=time_limit) - STALE_LOCK_MARGIN
    ScanLock.objects.filter(key=LOCK_KEY, started_at__lt=stale_before).delete()
    try:
        with transaction.atomic():
            ScanLock.objects.create(key=LOCK_KEY, started_at=now, holder=holder)
    except IntegrityError:
        running = ScanLock.objects.filter(key=LOCK_KEY).first()
        since = f" since {running.started_at:%H:%M:%S} UTC ({running.holder})" if running else ""
        raise ScanRefused(
            f"A cookie scan is already running{since}; try again when it has finished."
        ) from None
    try:
        yield
    finally:
        ScanLock.objects.filter(key=LOCK_KEY, holder=holder).delete()


def published_fingerprint() -> str:
    return hashlib.sha256("|".join(registry_fingerprint_parts()).encode()).hexdigest()


def site_paths() -> list[str]:
    """Every live public page, plus the site's own routes: cookie settings, each policy's history and
    its latest archived version."""
    from wagtail.models import Page

    from policy_pages.models import PolicyVersion

    paths: list[str] = []
    pages = Page.objects.live().public().filter(depth__gt=1).order_by("path")
    for page in pages:
        parts = page.get_url_parts()
        if parts is None:
            continue
        paths.append(parts[2])
    for version in PolicyVersion.objects.filter(page__live=True).order_by("page_id", "-number"):
        parts = version.page.get_url_parts()
        if parts is None:
            continue
        history = parts[2] + "versions/"
        if history not in paths:
            paths += [history, f"{history}{version.number}/"]
    paths.append("/cookie-settings/")
    return list(dict.fromkeys(paths))


@contextmanager
def served_site() -> Iterator[str]:
    """This site on a free loopback port, in threads of this process, for the length of the scan."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    application = StaticFilesHandler(get_wsgi_application())
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)

    def app(environ, start_response):
        if proxy_header:  # production redirects plain HTTP: say the (local) request is secure
            environ[proxy_header[0]] = proxy_header[1]
        return application(environ, start_response)

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.daemon_threads = True
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_scan(
    *,
    base_url: str | None = None,
    max_pages: int | None = None,
    if_changed: bool = False,
    scan_settings: ScanSettings | None = None,
    paths: list[str] | None = None,
) -> ScanOutcome:
    scan_settings = scan_settings or ScanSettings()
    fingerprint = published_fingerprint()
    if if_changed:
        last = ScanReport.objects.exclude(status__in=[ScanStatus.RUNNING, ScanStatus.FAILED]).first()
        if last is not None and last.fingerprint == fingerprint:
            return ScanOutcome(None, [], None, skipped="Nothing was published since the last scan; skipped.")
    with scan_lock(scan_settings.time_limit):
        registry = load_registry_view()
        known = all_rows()
        pages = paths if paths is not None else site_paths()
        if max_pages:
            pages = pages[:max_pages]
        states = consent_states(registry.optional_keys)
        if scan_settings.only_states:
            states = [state for state in states if state.name in scan_settings.only_states]
        report = ScanReport.objects.create(base_url=base_url or "(served locally)", fingerprint=fingerprint)
        try:
            if base_url:
                result = asyncio.run(scan_site(base_url, pages, states, scan_settings))
            else:
                with served_site() as local_url:
                    result = asyncio.run(scan_site(local_url, pages, states, scan_settings))
            findings = analyse(result, registry, known)
        except Exception as error:
            report.finish(status=ScanStatus.FAILED, finished_at=timezone.now(), message=str(error)[:500])
            raise
        store_findings(report, findings)
        page_errors = sum(1 for finding in findings if finding.kind == FindingKind.PAGE_ERROR)
        actionable = any(finding.kind not in INFORMATIONAL_KINDS for finding in findings)
        report.finish(
            status=ScanStatus.FINDINGS if actionable else ScanStatus.CLEAN,
            finished_at=timezone.now(),
            pages=pages,
            states=result.states,
            finding_count=len(findings),
            page_error_count=page_errors,
            duration_seconds=round(result.seconds, 2),
            message="Stopped at the time limit." if result.timed_out else "",
        )
        return ScanOutcome(report, findings, result)


def store_findings(report: ScanReport, findings: list[Finding]) -> None:
    ScanFinding.objects.bulk_create(
        [
            ScanFinding(
                report=report,
                kind=finding.kind,
                name=finding.name[:300],
                storage_type=finding.storage_type,
                page=finding.page[:500],
                state=finding.state[:60],
                setter=finding.setter[:500],
                category_key=finding.category_key[:40],
                suggested_category=finding.suggested_category[:40],
                suggested_provider=finding.suggested_provider[:120],
                evidence=finding.evidence,
            )
            for finding in findings
        ]
    )
