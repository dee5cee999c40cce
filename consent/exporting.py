"""Exporting consent records at any size: keyset-paginated rows, a streamed CSV, a bounded XLSX, a SHA-256.

Rows are read ``CONSENT_EXPORT_CHUNK_ROWS`` at a time in the report's order (newest first) with a keyset
on ``(created_at, id)``: each chunk is a short index range scan, nothing holds a cursor or a transaction
open, and memory does not grow with the number of rows. The admin streams exports up to
``CONSENT_EXPORT_STREAM_MAX_ROWS``; ``manage.py export_consent_records`` writes any size to a file.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from exports.csv_safety import neutralise_cell

from . import conf
from .models import ConsentExport, ConsentRecord

HEADINGS = [
    "Created at (UTC)",
    "Consent ID",
    "Action",
    "Requested action",
    "Granted",
    "Refused",
    "Registry version",
    "Policy versions",
    "Language",
    "GPC",
    "IP network",
    "Browser",
    "Expires at (UTC)",
]
_FIELDS = (
    "id",
    "created_at",
    "consent_id",
    "action",
    "requested_action",
    "granted_text",
    "refused_text",
    "registry_version_number",
    "policy_text",
    "language",
    "gpc",
    "ip_network",
    "user_agent_family",
    "expires_at",
)


def category_names() -> dict[str, str]:
    """Category key → name, for every category ever defined (a removed one falls back to its key)."""
    from cookie_registry.models import CookieCategory

    return dict(CookieCategory.objects.values_list("key", "name"))


def names_of(keys: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(key, key) for key in keys)


def policy_versions_label(snapshot: list[dict[str, Any]]) -> str:
    return "; ".join(f"{item.get('title')} v{item.get('number')}" for item in snapshot)


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def record_rows(queryset: QuerySet[ConsentRecord], chunk_rows: int | None = None) -> Iterator[list[Any]]:
    """One list per record (in ``HEADINGS`` order), newest first, fetched chunk by chunk on a keyset.

    The JSON columns are read as text and turned into labels once per distinct value (they repeat
    across millions of rows): decoding JSON per row was a third of the export's time.
    """
    chunk_rows = chunk_rows or conf.export_chunk_rows()
    names = category_names()
    labels: dict[tuple[str, str], str] = {}

    def label(kind: str, text: str) -> str:
        key = (kind, text)
        if key not in labels:
            value = json.loads(text)
            labels[key] = policy_versions_label(value) if kind == "policy" else names_of(value, names)
        return labels[key]

    base = queryset.order_by("-created_at", "-id").annotate(
        granted_text=Cast("granted", TextField()),
        refused_text=Cast("refused", TextField()),
        policy_text=Cast("policy_versions_snapshot", TextField()),
    )
    last: tuple[datetime.datetime, int] | None = None
    while True:
        page = base
        if last is not None:
            page = page.filter(created_at__lte=last[0]).exclude(created_at=last[0], id__gte=last[1])
        chunk = list(page.values_list(*_FIELDS)[:chunk_rows])
        for (
            _pk,
            created_at,
            consent_id,
            action,
            requested_action,
            granted,
            refused,
            version,
            snapshot,
            language,
            gpc,
            ip_network,
            browser,
            expires_at,
        ) in chunk:
            yield [
                _utc(created_at),
                consent_id,
                action,
                requested_action,
                label("categories", granted),
                label("categories", refused),
                version,
                label("policy", snapshot),
                language,
                gpc,
                ip_network,
                browser,
                _utc(expires_at),
            ]
        if len(chunk) < chunk_rows:
            return
        last = (chunk[-1][1], chunk[-1][0])


def _csv_cell(value: Any) -> Any:
    if value.__class__ is str:
        return neutralise_cell(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


@dataclass
class ExportResult:
    rows: int = 0
    sha256: str = ""


def csv_chunks(
    queryset: QuerySet[ConsentRecord],
    *,
    on_finished: Callable[[ExportResult], None] | None = None,
    flush_bytes: int = 64 * 1024,
) -> Iterator[bytes]:
    """The CSV file as ~64 KB pieces of UTF-8; ``on_finished`` gets the row count and SHA-256 at the end.

    Nothing is recorded for an export the client abandoned: the generator is closed mid-way.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    digest = hashlib.sha256()
    result = ExportResult()

    def drain() -> bytes:
        data = buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
        digest.update(data)
        return data

    writer.writerow(HEADINGS)
    for row in record_rows(queryset):
        writer.writerow([_csv_cell(value) for value in row])
        result.rows += 1
        if buffer.tell() >= flush_bytes:
            yield drain()
    yield drain()
    result.sha256 = digest.hexdigest()
    if on_finished:
        on_finished(result)


def write_xlsx(queryset: QuerySet[ConsentRecord], output: IO[bytes]) -> int:
    """Write an XLSX workbook (openpyxl's write-only mode, rows streamed to a temporary file); returns rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True, iso_dates=True)
    sheet = workbook.create_sheet(title="Consent records")
    sheet.append(HEADINGS)
    rows = 0
    for row in record_rows(queryset):
        cells = []
        for value in row:
            if isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value.replace(tzinfo=None))
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            else:
                cell = WriteOnlyCell(sheet, value)
                if cell.data_type == "f":
                    cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
        rows += 1
    workbook.save(output)
    return rows


def sha256_of_file(path_or_file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    path_or_file.seek(0)
    for block in iter(lambda: path_or_file.read(1024 * 1024), b""):
        digest.update(block)
    path_or_file.seek(0)
    return digest.hexdigest()


def record_export(*, created_by: str, file_format: str, filters: str, result: ExportResult) -> ConsentExport:
    return ConsentExport.objects.create(
        created_by=created_by[:150],
        file_format=file_format,
        filters=filters[:500],
        rows=result.rows,
        sha256=result.sha256,
    )


def capped_count(queryset: QuerySet[ConsentRecord], cap: int) -> int:
    """Exact count up to ``cap``, else ``cap + 1`` ("more than cap"): never a count of the whole table."""
    return queryset.order_by()[: cap + 1].count()
