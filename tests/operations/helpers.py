"""Run the project's real processes (manage.py, gunicorn) the way an operator would."""

import os
import socket
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "kq3-9Vd_TqXwz8LrA0pmN4s7YcE2uHbGfJ6oRiK1lWtZ5nDxMvS"


def project_env(**overrides: str) -> dict[str, str]:
    """The current environment minus what the test run set for itself (database, cache, async flag)."""
    test_only = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "TEST_DATABASE_NAME"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(overrides)
    return env


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=project_env(**env),
        capture_output=True,
        text=True,
        timeout=180,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
