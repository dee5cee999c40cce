"""Read settings from environment variables, failing with one clear sentence."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def languages_from_env(name: str, default: list[str]) -> list[tuple[str, str]]:
    """``LANGUAGES`` from a comma-separated list of codes; the first is the site's default language."""
    from django.conf.locale import LANG_INFO

    codes = [code.lower() for code in env_list(name, default)]
    if not codes:
        raise ImproperlyConfigured(f"{name} must name at least one language code, e.g. en,de,fr.")
    unknown = [code for code in codes if code not in LANG_INFO or "fallback" in LANG_INFO[code]]
    if unknown:
        raise ImproperlyConfigured(
            f"{name} has unknown language codes {unknown!r}; use Django's codes, e.g. en,de,fr."
        )
    if len(set(codes)) != len(codes):
        raise ImproperlyConfigured(f"{name} names a language twice: {codes!r}.")
    return [(code, LANG_INFO[code]["name_local"]) for code in codes]


def database_from_env(base_dir: Path) -> dict[str, Any]:
    """`DATABASE_URL` when set (PostgreSQL in production); an SQLite file otherwise."""
    url = env_str("DATABASE_URL")
    if not url:
        return sqlite_database(base_dir / "db.sqlite3")
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception:  # dj-database-url raises several unrelated types
        # Never echo the URL: it usually carries a password.
        raise ImproperlyConfigured(
            "DATABASE_URL is not a valid database URL; "
            "expected e.g. postgres://user:password@host:5432/dbname or sqlite:////path/to/db.sqlite3."
        ) from None
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        return sqlite_database(config["NAME"])
    return dict(config)


def sqlite_database(path: Path | str) -> dict[str, Any]:
    """SQLite tuned for a small multi-process site: WAL journal, immediate write locks."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def cache_from_env() -> dict[str, Any]:
    """Redis when `REDIS_URL` is set (shared by every gunicorn instance); local memory otherwise."""
    url = env_str("REDIS_URL")
    if url:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")
        return {
            "default": {
                # Django's RedisCache that treats an unreachable or full Redis as a miss.
                "BACKEND": "page_cache.resilient_redis.ResilientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "policy"),
                "TIMEOUT": 3600,
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "policy-site",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }


def email_from_env() -> dict[str, Any]:
    """Outgoing mail from ``EMAIL_URL`` (``submission://user:pass@smtp.example.org:587``: SMTP with
    STARTTLS; ``smtp://…:465?ssl=True`` for TLS from the start). Sends go through a backend that logs failures at ERROR
    instead of failing the request; without ``EMAIL_URL`` every send is logged as not sent."""
    url = env_str("EMAIL_URL")
    sender = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
    config: dict[str, Any] = {
        "EMAIL_BACKEND": "operations.mail.UnconfiguredEmailBackend",
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }
    if url:
        try:
            parsed = dj_email_url.parse(url)
        except Exception:  # never echo the URL: it carries a password
            raise ImproperlyConfigured(
                "EMAIL_URL is not a valid e-mail URL; "
                "expected e.g. submission://user:password@smtp.example.org:587."
            ) from None
        if parsed.get("EMAIL_BACKEND") != "django.core.mail.backends.smtp.EmailBackend":
            raise ImproperlyConfigured("EMAIL_URL must be an smtp:// or submission:// URL.")
        config.update({key: parsed[key] for key in config if parsed.get(key) is not None})
        config["EMAIL_BACKEND"] = "operations.mail.LoggedSMTPEmailBackend"
        config["EMAIL_TIMEOUT"] = parsed.get("EMAIL_TIMEOUT") or 10
    config["DEFAULT_FROM_EMAIL"] = sender
    config["SERVER_EMAIL"] = env_str("SERVER_EMAIL", sender)
    return config


def site_caches_from_env(base_dir: Path, page_seconds: int) -> tuple[dict[str, Any], str | None]:
    """Every cache the site uses, and the alias of the shared page store (None without Redis).

    ``site_generation`` (site_data/) must be shared by every worker and instance: Redis, or small
    files on this host. It raises when Redis fails (a lost bump is retried); the others treat a
    failure as a miss. Pages live in each worker's memory, and in Redis too when there is one.
    """
    caches = cache_from_env()
    default = caches["default"]
    if "redis" not in default["BACKEND"].lower():
        caches["site_generation"] = {
            "BACKEND": "site_data.token_store.FileTokenCache",
            "LOCATION": env_str("SITE_GENERATION_DIR", str(base_dir / "var" / "site-generation")),
        }
        return caches, None
    prefix = default["KEY_PREFIX"]
    caches["site_generation"] = {
        **default,
        "KEY_PREFIX": f"{prefix}-site-generation",
        "TIMEOUT": None,
        "OPTIONS": {**default.get("OPTIONS", {}), "RAISE_ERRORS": True},
    }
    caches["pages"] = {**default, "KEY_PREFIX": f"{prefix}-pages", "TIMEOUT": page_seconds}
    return caches, "pages"
