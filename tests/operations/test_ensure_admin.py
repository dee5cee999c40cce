"""ensure_admin applies Django's password validators to DJANGO_SUPERUSER_PASSWORD."""

from __future__ import annotations

import pytest

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


@pytest.mark.parametrize("weak", ["1", "password", "admin12345", "12345678901234"])
def test_a_weak_password_is_refused_in_one_sentence_and_nothing_is_created(db, monkeypatch, weak):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "admin12345")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", weak)

    with pytest.raises(CommandError) as raised:
        call_command("ensure_admin")

    message = str(raised.value)
    assert message.startswith("DJANGO_SUPERUSER_PASSWORD is too weak: ")
    assert ". " not in message and message.endswith(".")
    assert not get_user_model().objects.exists()


def test_a_strong_password_creates_the_admin(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "plum-orbit-71-lantern")

    call_command("ensure_admin")

    user = get_user_model().objects.get()
    assert user.is_superuser and user.check_password("plum-orbit-71-lantern")
