"""Admin sign-in protection: lock-out, password-reset limit, TOTP two-factor, unlocking."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import override_settings

LOGIN_URL = "/admin/login/"
PASSWORD = "plum-orbit-71-lantern"  # noqa: S105


@pytest.fixture
def staff(db, django_user_model):
    user = django_user_model.objects.create_user("eddie", "eddie@example.org", PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def sign_in(client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_lock_out_after_the_limit_refuses_even_the_right_password_until_the_cool_off_ends(
    client, staff, settings, time_machine
):
    time_machine.move_to("2026-06-01 09:00:00+00:00", tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "eddie", "wrong").status_code == 200  # the form again, with an error
    locked = sign_in(client, "eddie", "wrong")

    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "900"
    refused = sign_in(client, "eddie", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another address is not locked out (account+address), and neither is the account elsewhere.
    assert sign_in(client, "eddie", PASSWORD, address="203.0.113.9").status_code == 302
    client.logout()

    time_machine.move_to("2026-06-01 09:16:00+00:00", tick=False)
    assert sign_in(client, "eddie", PASSWORD).status_code == 302


def test_unknown_accounts_get_the_same_answers(client, staff, settings):
    answers = {
        name: [sign_in(client, name, "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
        for name in ("eddie", "nobody")
    }
    assert answers["eddie"] == answers["nobody"]
    assert answers["eddie"][-1] == 429


def test_a_success_resets_the_count(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "eddie", "wrong")
    assert sign_in(client, "eddie", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "eddie", "wrong").status_code == 200


def test_an_admin_unlocks_a_locked_out_login(client, admin_client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "eddie", "wrong")
    page = admin_client.get("/admin/locked-out-logins/")
    assert page.status_code == 200
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="eddie")
    assert "198.51.100.7" in page.content.decode()

    assert admin_client.post(f"/admin/locked-out-logins/{attempt.pk}/unlock/").status_code == 302

    assert sign_in(client, "eddie", PASSWORD).status_code == 302


def test_editors_cannot_unlock(client, staff):
    client.force_login(staff)
    response = client.get("/admin/locked-out-logins/")
    assert response.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect home
    assert "Locked-out logins" not in response.content.decode()


@override_settings(PASSWORD_RESET_RATE_LIMIT="2/3600")
def test_password_reset_is_limited_per_address_and_email(client, staff):
    def reset(email: str, address: str = "198.51.100.7"):
        return client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=address)

    assert reset("eddie@example.org").status_code == 302
    assert reset("nobody@example.org").status_code == 302  # same answer for an unknown address
    refused = reset("someone@example.org")  # a third request from the same network
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Per e-mail address too: other networks cannot keep mailing the same person.
    assert reset("eddie@example.org", "203.0.113.9").status_code == 302
    assert reset("eddie@example.org", "192.0.2.9").status_code == 429
    assert len(mail.outbox) == 2


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_staff_enrol_in_totp_and_then_must_verify_at_each_sign_in(client, staff):
    assert sign_in(client, "eddie", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200  # optional unless required
    page = client.get("/admin/2fa/enrol/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    wrong = client.post(
        "/admin/2fa/enrol/", {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "did not match" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code throttles the next tries (django-otp); the test cannot wait
    assert client.post("/admin/2fa/enrol/", {"token": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    client.logout()
    assert sign_in(client, "eddie", PASSWORD).status_code == 302
    response = client.get("/admin/account/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/verify/")
    device.refresh_from_db()
    device.last_t = -1  # the enrolment code may still be current; a new step would be too slow to wait for
    device.save()
    verified = client.post(
        "/admin/2fa/verify/?next=/admin/account/", {"token": current_code(device), "next": "/admin/account/"}
    )
    assert verified.status_code == 302 and verified["Location"] == "/admin/account/"
    assert client.get("/admin/account/").status_code == 200


@override_settings(STAFF_2FA_REQUIRED=True)
def test_when_required_superusers_and_legal_reviewers_must_enrol(client, django_user_model, staff):
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", PASSWORD)
    laura = django_user_model.objects.create_user("laura", "l@example.org", PASSWORD)
    laura.groups.add(Group.objects.get(name="Legal reviewers"))
    laura.user_permissions.add(Permission.objects.get(codename="access_admin"))

    for user in (boss, laura):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/enrol/")
    client.force_login(staff)  # an editor is not required to
    assert client.get("/admin/").status_code == 200


def test_production_requires_two_factor_by_default():
    import ast
    from pathlib import Path

    from tests.operations.helpers import manage  # noqa: F401  (the production module is checked there)

    source = Path("cms/settings/production.py").read_text()
    assert 'STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", True)' in source
    ast.parse(source)
