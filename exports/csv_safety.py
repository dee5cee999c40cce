"""Neutralise spreadsheet formulas in exported cells (CSV injection, OWASP).

Editor text, user names and random ids end up in CSV files that legal opens in a spreadsheet
program. A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula there, so such cells are prefixed with a single quote, which spreadsheets show as text.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would evaluate; then ``'`` + text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """Put before Wagtail's ``SpreadsheetExportMixin`` (or a view using it): every CSV cell is neutralised.

    XLSX cells are already written as typed text by Wagtail (formulas are turned back into strings).
    """

    FORMAT_CSV = "csv"

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        processed = super().preprocess_field_value(field, value, export_format)  # type: ignore[misc]
        if export_format == self.FORMAT_CSV:
            return neutralise_cell(processed)
        return processed
