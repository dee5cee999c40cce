"""Stable public URLs of the cookie declaration: the current one, and each registry version's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from . import declaration
from .models import RegistryVersion
from .versioning import current_registry_version, registry_snapshot


@require_GET
def current_declaration(request: HttpRequest, fmt: str) -> HttpResponse:
    snapshot = registry_snapshot()
    if fmt == "csv":
        return declaration.csv_response(snapshot, "cookie-declaration")
    version = current_registry_version()
    return declaration.json_response(snapshot, "cookie-declaration", registry_version=version.number)


@require_GET
def versioned_declaration(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    version = get_object_or_404(RegistryVersion, number=int(number))
    name = f"cookie-declaration-v{version.number}"
    if fmt == "csv":
        return declaration.csv_response(version.snapshot, name)
    return declaration.json_response(
        version.snapshot, name, registry_version=version.number, chain_hash=version.chain_hash
    )
