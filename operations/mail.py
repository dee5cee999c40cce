"""E-mail backends for production: a failed send is logged at ERROR instead of failing the request.

Password reset and workflow notifications must not answer 500 (a reset form that fails only for
existing addresses would reveal which accounts exist), and must not fail silently either.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend

logger = logging.getLogger(__name__)


def _recipients(messages: Sequence[EmailMessage]) -> int:
    return sum(len(message.recipients()) for message in messages)


class LoggedSMTPEmailBackend(SMTPEmailBackend):
    """Django's SMTP backend; any error is logged at ERROR with the subject and recipient count."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        try:
            return super().send_messages(email_messages) or 0
        except Exception:
            logger.exception(
                "E-mail not sent (%d message(s) to %d recipient(s), first subject %r).",
                len(email_messages),
                _recipients(email_messages),
                email_messages[0].subject if email_messages else "",
            )
            return 0


class UnconfiguredEmailBackend(BaseEmailBackend):
    """Production without ``EMAIL_URL``: nothing can be sent, and each attempt says so at ERROR."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if email_messages:
            logger.error(
                "E-mail not sent: EMAIL_URL is not set (%d message(s), first subject %r).",
                len(email_messages),
                email_messages[0].subject,
            )
        return 0
