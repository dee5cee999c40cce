"""Stable public URLs of the cookie declaration: the current one, and each registry version's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from . import declaration
from .models import RegistryVersion
from .services import published_registry


@require_GET
def current_declaration(request: HttpRequest, fmt: str) -> HttpResponse:
    registry = published_registry()
    snapshot = registry.as_data()
    if fmt == "csv":
        return declaration.csv_response(snapshot, "cookie-declaration")
    return declaration.json_response(snapshot, "cookie-declaration", registry_version=registry.version_number)


@require_GET
def versioned_declaration(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    version = get_object_or_404(RegistryVersion, number=int(number))
    name = f"cookie-declaration-v{version.number}"
    if fmt == "csv":
        return declaration.csv_response(version.snapshot, name)
    return declaration.json_response(
        version.snapshot, name, registry_version=version.number, chain_hash=version.chain_hash
    )
