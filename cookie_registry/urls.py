from django.urls import re_path

from . import views

app_name = "cookie_registry"

urlpatterns = [
    re_path(r"^cookie-declaration\.(?P<fmt>json|csv)$", views.current_declaration, name="declaration"),
    re_path(
        r"^cookie-declaration/v(?P<number>[0-9]{1,9})\.(?P<fmt>json|csv)$",
        views.versioned_declaration,
        name="declaration_version",
    ),
]
