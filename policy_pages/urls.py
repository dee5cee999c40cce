from django.urls import path

from . import views

urlpatterns = [path("policies/feed/", views.all_policies_feed, name="policy_changes_feed")]
