"""Admin wiring for consent: the read-only "Consent records" report and its permission."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import ConsentRecordReportView

VIEW_PERMISSION = "consent.view_consentrecord"


class ConsentRecordsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_urls")
def register_consent_report_urls():
    return [
        path("reports/consent-records/", ConsentRecordReportView.as_view(), name="consent_records_report"),
        path(
            "reports/consent-records/results/",
            ConsentRecordReportView.as_view(results_only=True),
            name="consent_records_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_consent_records_menu_item():
    return ConsentRecordsMenuItem(
        "Consent records",
        reverse("consent_records_report"),
        name="consent-records",
        icon_name="tick-inverse",
        order=1300,
    )


@hooks.register("register_permissions")
def register_consent_record_permissions():
    """Only "view" can be granted: there is nothing to add, change or delete in the admin."""
    return Permission.objects.filter(content_type__app_label="consent", codename="view_consentrecord")
