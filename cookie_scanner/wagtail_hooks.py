"""Admin wiring: *Reports › Cookie scans*, the "add as draft cookie" action and the dashboard panel."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import VIEW_PERMISSION, CookieScanReportView, add_draft_cookie_view
from .dashboard import LastCookieScanPanel


class CookieScansMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_urls")
def register_cookie_scan_urls():
    return [
        path("reports/cookie-scans/", CookieScanReportView.as_view(), name="cookie_scans_report"),
        path(
            "reports/cookie-scans/results/",
            CookieScanReportView.as_view(results_only=True),
            name="cookie_scans_report_results",
        ),
        path(
            "reports/cookie-scans/findings/<int:finding_id>/add-draft/",
            add_draft_cookie_view,
            name="cookie_scans_add_draft",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_cookie_scans_menu_item():
    return CookieScansMenuItem(
        _("Cookie scans"), reverse("cookie_scans_report"), name="cookie-scans", icon_name="search", order=1400
    )


@hooks.register("register_permissions")
def register_cookie_scan_permissions():
    return Permission.objects.filter(content_type__app_label="cookie_scanner", codename="view_scanreport")


@hooks.register("construct_homepage_panels")
def add_last_cookie_scan_panel(request, panels) -> None:
    if request.user.has_perm(VIEW_PERMISSION):
        panels.append(LastCookieScanPanel())
