"""Daily (cron): publish today's digest of every chain's head and count. Idempotent for the day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from evidence.digest import publish_digest


class Command(BaseCommand):
    help = "Publish today's evidence digest (chain heads and counts) at /evidence/digests/. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        digest, created = publish_digest()
        verb = "Published" if created else "Already published"
        self.stdout.write(f"{verb}: evidence digest {digest.date:%Y-%m-%d}, SHA-256 {digest.digest_hash}.")
