"""A cache backend for invalidation tokens shared by the workers of one host, without Redis.

Why not Django's FileBasedCache: every cached page is looked up under 2–4 tokens, on every request,
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
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache


class FileTokenCache(BaseCache):
    """String values only, no expiry; see the module docstring."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.directory = Path(location)

    def _path(self, key: str, version: int | None) -> Path:
        full_key = self.make_and_validate_key(key, version=version)
        return self.directory / hashlib.blake2b(full_key.encode(), digest_size=16).hexdigest()

    def _write_temporary(self, value: str) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = self.directory / f".tmp-{secrets.token_hex(8)}"
        temporary.write_text(value, encoding="utf-8")
        return temporary

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            return self._path(key, version).read_text(encoding="utf-8") or default
        except FileNotFoundError:
            return default

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
            temporary.unlink(missing_ok=True)

    def delete(self, key: str, version: int | None = None) -> bool:
        try:
            self._path(key, version).unlink()
            return True
        except FileNotFoundError:
            return False

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.has_key(key, version=version)

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
