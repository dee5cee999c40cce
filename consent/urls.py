from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("consent/", views.record_choice, name="record"),
    path("cookie-settings/", views.cookie_settings, name="cookie_settings"),
    path("consent/brand-<slug:digest>.css", views.brand_stylesheet, name="brand_css"),
    path("cookie-settings/record.json", views.consent_record_download, name="record_download"),
    path("consent/verify/", views.verify_receipt_view, name="verify_receipt"),
]
