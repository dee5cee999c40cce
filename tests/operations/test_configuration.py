"""Production configuration: secure by default, and clear when something is missing."""

import subprocess
import sys

from .helpers import PRODUCTION_SECRET, PROJECT_ROOT, manage, project_env


def test_production_settings_pass_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="policies.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_in_production_fails_with_one_sentence():
    result = manage("check", DJANGO_SETTINGS_MODULE="cms.settings.production")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY must be set to a random string of at least 50 characters "
        "in production."
    ]


def test_malformed_database_url_fails_with_one_sentence_and_hides_the_url():
    result = manage(
        "check",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=PRODUCTION_SECRET,
        DATABASE_URL="postgres://user:hunter2@:not-a-port/db",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Configuration error: DATABASE_URL is not a valid")
    assert "hunter2" not in result.stderr


def test_unknown_database_scheme_fails_clearly():
    result = manage("check", DATABASE_URL="mongodb://localhost/db")
    assert result.returncode == 1
    assert "DATABASE_URL is not a valid database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_gunicorn_reports_configuration_error_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", "127.0.0.1:0"],
        cwd=PROJECT_ROOT,
        env=project_env(DJANGO_SETTINGS_MODULE="cms.settings.production"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Configuration error: SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_redis_url_selects_redis_cache_and_database_url_selects_postgres():
    code = (
        "from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND']);"
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=PROJECT_ROOT,
        env=project_env(
            DJANGO_SETTINGS_MODULE="cms.settings.dev",
            REDIS_URL="redis://127.0.0.1:6379/3",
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "page_cache.resilient_redis.ResilientRedisCache",  # Django's RedisCache, degrading on failure
        "django.db.backends.postgresql",
        "60",
    ]
