from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("evidence/digests/", views.digest_index, name="index"),
    path("evidence/digests/latest/", views.latest_digest, name="latest"),
    path("evidence/digests/feed/", views.digest_feed, name="feed"),
    path("evidence/digests/<str:day>.json", views.digest_detail, name="digest"),
]
