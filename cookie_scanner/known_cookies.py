"""Well-known cookies (Open Cookie Database columns): suggestions for undeclared findings.

The bundled ``data/known_cookies.csv`` is read directly; ``import_known_cookies`` adds rows to the
database, which win over bundled rows with the same name and platform.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

BUNDLED_CSV = Path(__file__).resolve().parent / "data" / "known_cookies.csv"
OCD_COLUMNS = [
    "ID",
    "Platform",
    "Category",
    "Cookie / Data Key name",
    "Domain",
    "Description",
    "Retention period",
    "Data Controller",
    "User Privacy & GDPR Rights Portals",
    "Wildcard match",
]
# Open Cookie Database categories → words that identify the matching registry category.
CATEGORY_HINTS = {
    "analytics": ("analytic", "statistic", "performance", "measurement"),
    "marketing": ("marketing", "advertis", "targeting", "ads"),
    "functional": ("preference", "functional", "personal"),
    "personalization": ("preference", "personal", "functional"),
    "security": (),  # the essential category
}


@dataclass(frozen=True)
class KnownCookieRow:
    name: str
    platform: str
    category: str
    domain: str = ""
    description: str = ""
    retention: str = ""
    data_controller: str = ""
    wildcard: bool = False

    def matches(self, name: str) -> bool:
        return name.startswith(self.name) if self.wildcard else name == self.name


class KnownCookieFileError(ValueError):
    pass


def parse_rows(lines: Iterable[str]) -> list[KnownCookieRow]:
    """Rows of an Open Cookie Database-style CSV; refuses a file without its columns."""
    reader = csv.DictReader(lines)
    missing = [column for column in OCD_COLUMNS[1:4] if column not in (reader.fieldnames or [])]
    if missing:
        raise KnownCookieFileError(f"The CSV lacks the Open Cookie Database column(s): {', '.join(missing)}.")
    rows = []
    for number, record in enumerate(reader, start=2):
        name = (record.get("Cookie / Data Key name") or "").strip()
        platform = (record.get("Platform") or "").strip()
        if not name or not platform:
            raise KnownCookieFileError(f"Line {number}: a name and a platform are required.")
        rows.append(
            KnownCookieRow(
                name=name[:200],
                platform=platform[:120],
                category=(record.get("Category") or "").strip()[:60],
                domain=(record.get("Domain") or "").strip()[:255],
                description=(record.get("Description") or "").strip(),
                retention=(record.get("Retention period") or "").strip()[:120],
                data_controller=(record.get("Data Controller") or "").strip()[:120],
                wildcard=(record.get("Wildcard match") or "").strip().lower() in {"1", "true", "yes"},
            )
        )
    return rows


@functools.cache
def bundled_rows() -> tuple[KnownCookieRow, ...]:
    with BUNDLED_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(parse_rows(handle))


def all_rows() -> list[KnownCookieRow]:
    from .models import KnownCookie

    imported = [
        KnownCookieRow(
            name=row.name,
            platform=row.platform,
            category=row.category,
            domain=row.domain,
            description=row.description,
            retention=row.retention,
            data_controller=row.data_controller,
            wildcard=row.wildcard,
        )
        for row in KnownCookie.objects.all()
    ]
    seen = {(row.name, row.platform) for row in imported}
    return imported + [row for row in bundled_rows() if (row.name, row.platform) not in seen]


def lookup(name: str, rows: list[KnownCookieRow]) -> KnownCookieRow | None:
    """The best-known row for a cookie name: an exact name first, then the longest wildcard prefix."""
    exact = [row for row in rows if not row.wildcard and row.name == name]
    if exact:
        return exact[0]
    prefixes = sorted((row for row in rows if row.wildcard and row.matches(name)), key=lambda r: -len(r.name))
    return prefixes[0] if prefixes else None


def known_hosts_by_controller(rows: list[KnownCookieRow]) -> dict[str, set[str]]:
    """Hosts each company is known to use, keyed by casefolded platform and data controller."""
    hosts: dict[str, set[str]] = {}
    for row in rows:
        if not row.domain:
            continue
        for owner in {row.platform, row.data_controller} - {""}:
            hosts.setdefault(owner.casefold(), set()).add(row.domain.lstrip(".").lower())
    return hosts


def suggest_category(known_category: str, categories: list) -> str:
    """The registry category key an Open Cookie Database category most likely belongs in, or ""."""
    wanted = known_category.strip().lower()
    if wanted == "security":
        essential = [category for category in categories if category.essential]
        return essential[0].key if essential else ""
    hints = CATEGORY_HINTS.get(wanted, (wanted,))
    for category in categories:
        text = f"{category.key} {category.name}".lower()
        if not category.essential and any(hint in text for hint in hints):
            return category.key
    return ""
