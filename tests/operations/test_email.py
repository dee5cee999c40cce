"""Production e-mail comes from EMAIL_URL; a failed or unconfigured send is logged at ERROR, never raised."""

from __future__ import annotations

import pytest

from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import email_from_env

from .helpers import PRODUCTION_SECRET, free_port, manage

SEND = "from django.core.mail import send_mail; print('sent', send_mail('Reset', 'body', None, ['a@example.org']))"


def test_email_url_configures_smtp(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "submission://mailer:s3cret@smtp.example.org:587")
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "policies@example.org")

    config = email_from_env()

    assert config["EMAIL_BACKEND"] == "operations.mail.LoggedSMTPEmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("mailer", "s3cret")
    assert config["DEFAULT_FROM_EMAIL"] == config["SERVER_EMAIL"] == "policies@example.org"


@pytest.mark.parametrize("url", ["console://", "not a url at all://x"])
def test_other_schemes_fail_with_one_sentence(monkeypatch, url):
    monkeypatch.setenv("EMAIL_URL", url)
    with pytest.raises(ImproperlyConfigured, match=r"^EMAIL_URL "):
        email_from_env()


def test_without_email_url_production_logs_every_send_as_not_sent():
    result = manage(
        "shell", "-c", SEND, DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY=PRODUCTION_SECRET
    )

    assert result.returncode == 0, result.stderr
    assert "sent 0" in result.stdout
    assert "ERROR operations.mail: E-mail not sent: EMAIL_URL is not set" in result.stderr


def test_a_failing_smtp_server_is_logged_at_error_and_the_request_goes_on():
    result = manage(
        "shell",
        "-c",
        SEND,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=PRODUCTION_SECRET,
        EMAIL_URL=f"smtp://user:hunter2@127.0.0.1:{free_port()}",
    )

    assert result.returncode == 0, result.stderr
    assert "sent 0" in result.stdout
    assert "ERROR operations.mail: E-mail not sent (1 message(s) to 1 recipient(s)" in result.stderr
    assert "hunter2" not in result.stderr
