"""Admin wiring: two-factor views under /admin/2fa/, and Settings › Locked-out logins."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("2fa/enrol/", views.enrol, name="security_2fa_enrol"),
        path("2fa/verify/", views.verify, name="security_2fa_verify"),
        path("locked-out-logins/", views.locked_out_logins, name="security_locked_out_logins"),
        path("locked-out-logins/<int:attempt_id>/unlock/", views.unlock_login, name="security_unlock_login"),
    ]


class LockedOutLoginsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.can_unlock(request.user)


@hooks.register("register_settings_menu_item")
def register_locked_out_logins_menu_item():
    return LockedOutLoginsMenuItem(
        _("Locked-out logins"), reverse("security_locked_out_logins"), icon_name="lock", order=900
    )


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request):
    return {
        "url": reverse("security_2fa_enrol"),
        "label": _("Two-factor authentication"),
        "help_text": _("Sign in with a code from an authenticator app as well as your password."),
    }
