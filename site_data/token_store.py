"""A cache backend for invalidation tokens shared by the workers of one host, without Redis.

Why not Django's FileBasedCache: the site generation is read on every request,
and FileBasedCache pays for pickling, zlib, expiry checks and a directory scan on each write. Tokens
are short random strings that never expire, so this backend stores each as the plain content of one
file: a read is one small ``open``/``read``; a write goes to a temporary file that is atomically
renamed (``set``) or hard-linked only if the name is still free (``add``), so a reader never sees
a half-written token and two workers can never both win an ``add``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache


class FileTokenCache(BaseCache):
    """String values only, no expiry; see the module docstring."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.directory = Path(location)
        self._folder = str(self.directory)

    def _path(self, key: str, version: int | None = None) -> str:
        """One file per key in this backend's own folder (no prefix or version needed)."""
        return os.path.join(self._folder, hashlib.blake2b(key.encode(), digest_size=16).hexdigest())

    def _write_temporary(self, value: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = os.path.join(self._folder, f".tmp-{secrets.token_hex(8)}")
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(value)
        return temporary

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        # os.open/os.read: this runs for every token of every request, pathlib costs more than the read.
        try:
            descriptor = os.open(self._path(key), os.O_RDONLY)
        except FileNotFoundError:
            return default
        try:
            value = os.read(descriptor, 256)
        finally:
            os.close(descriptor)
        return value.decode("utf-8") or default

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        found = {key: self.get(key) for key in keys}
        return {key: value for key, value in found.items() if value is not None}

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        path = self._path(key, version)
        os.replace(self._write_temporary(str(value)), path)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        path = self._path(key, version)
        temporary = self._write_temporary(str(value))
        try:
            os.link(temporary, path)
            return True
        except FileExistsError:
            return False
        finally:
            os.unlink(temporary)

    def delete(self, key: str, version: int | None = None) -> bool:
        try:
            os.unlink(self._path(key, version))
            return True
        except FileNotFoundError:
            return False

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.has_key(key, version=version)

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
