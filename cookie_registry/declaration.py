"""The cookie declaration as data: one row per cookie, as JSON and as spreadsheet-safe CSV.

Built from a registry snapshot's stored form (``RegistrySnapshot.as_data()`` for the current one, or a frozen one
of a policy or registry version), so current and archived declarations are the same format.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse, JsonResponse

from exports.csv_safety import neutralise_cell

CSV_COLUMNS = (
    "category_key",
    "category",
    "essential",
    "name",
    "provider",
    "domain",
    "party",
    "purpose",
    "duration_value",
    "duration_unit",
    "storage_type",
)


def declaration_rows(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for category in snapshot.get("categories", []):
        for cookie in category.get("cookies", []):
            rows.append(
                {
                    "category_key": category.get("key"),
                    "category": category.get("name"),
                    "essential": bool(category.get("is_essential")),
                    **{column: cookie.get(column) for column in CSV_COLUMNS[3:]},
                }
            )
    return rows


def declaration_document(snapshot: dict[str, Any], **about: Any) -> dict[str, Any]:
    return {**about, "cookies": declaration_rows(snapshot)}


def json_response(snapshot: dict[str, Any], filename: str, **about: Any) -> HttpResponse:
    response = JsonResponse(declaration_document(snapshot, **about), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'inline; filename="{filename}.json"'
    return response


def csv_response(snapshot: dict[str, Any], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in declaration_rows(snapshot):
        writer.writerow([neutralise_cell(row[column]) for column in CSV_COLUMNS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
