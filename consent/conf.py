"""The consent app's settings with typed defaults, in one place (override any of them in Django settings)."""

from __future__ import annotations

from django.conf import settings

# An XLSX sheet holds 1,048,576 rows; one is the heading.
XLSX_SHEET_ROWS = 1_048_576


def export_stream_max_rows() -> int:
    """Largest export the admin streams; beyond it the report points to ``export_consent_records``."""
    return int(getattr(settings, "CONSENT_EXPORT_STREAM_MAX_ROWS", 150_000))


def xlsx_max_rows() -> int:
    """Data rows an XLSX export may hold (lowered in tests to exercise the refusal)."""
    return int(getattr(settings, "CONSENT_XLSX_MAX_ROWS", XLSX_SHEET_ROWS - 1))


def report_count_cap() -> int:
    """The report counts matching records up to this many, then says "more than …"."""
    return int(getattr(settings, "CONSENT_REPORT_COUNT_CAP", 100_000))


def export_chunk_rows() -> int:
    """Rows fetched per keyset query while exporting: bounds the exporter's memory."""
    return int(getattr(settings, "CONSENT_EXPORT_CHUNK_ROWS", 2_000))
