"""deploy/nginx/policy-site.conf is valid for the nginx that runs it: ``nginx -t`` on the shipped file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import PROJECT_ROOT

SITE_CONFIG = PROJECT_ROOT / "deploy" / "nginx" / "policy-site.conf"
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(path).exists()), None
)


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    """A throw-away self-signed pair standing in for the placeholders (nginx -t opens them)."""
    if not shutil.which("openssl"):
        pytest.skip(
            "openssl is not installed, so no certificate can stand in for the placeholders "
            "(Debian package openssl; the project's machines and CI have it)"
        )
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=policies.example.org",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (make browser installs Debian's nginx-light)"
)
def test_nginx_accepts_the_shipped_site_config(tmp_path, certificate):
    cert, key = certificate
    site = SITE_CONFIG.read_text()
    assert "/etc/ssl/policy-site/fullchain.pem" in site and "/etc/ssl/policy-site/privkey.pem" in site
    site = site.replace("/etc/ssl/policy-site/fullchain.pem", str(cert)).replace(
        "/etc/ssl/policy-site/privkey.pem", str(key)
    )
    (tmp_path / "policy-site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/policy-site.conf;\n}}\n"
    )

    result = subprocess.run(
        [
            NGINX,
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "error.log"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def test_the_config_sends_what_django_expects():
    site = SITE_CONFIG.read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site  # SECURE_PROXY_SSL_HEADER
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site  # TRUSTED_PROXY_COUNT=1
    assert re.search(r"location = /consent/ \{\s+limit_req zone=policy_consent", site)
    assert "client_body_timeout" in site and "proxy_buffering on;" in site
