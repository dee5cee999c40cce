"""Admin for the cookie registry: one "Cookie registry" menu with a snippet listing per entry type."""

from __future__ import annotations

import django_filters

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from exports.csv_safety import FormulaSafeExportMixin

from .admin_edit import RegistryEditView
from .admin_reports import AllCookiesViewSet, RegistryVersionsViewSet
from .forms import CookieCategoryForm
from .models import (
    CookieCategory,
    DurationUnit,
    Party,
    Provider,
    RetentionRule,
    StorageType,
    ThirdPartyScript,
)
from .protection import category_deletion_blockers


class FormulaSafeIndexView(FormulaSafeExportMixin, IndexView):
    """Snippet listing whose CSV export cannot carry spreadsheet formulas."""


class RegistrySnippetViewSet(SnippetViewSet):
    """A registry snippet listing; every export goes through ``exports.csv_safety``."""

    index_view_class = FormulaSafeIndexView
    edit_view_class = RegistryEditView  # approving from the edit view publishes once (admin_edit.py)


class CookieCategoryFilterSet(WagtailFilterSet):
    """Category list filters, including cookie-level ones ("categories with a Google cookie")."""

    is_essential = django_filters.BooleanFilter(label="Essential")
    provider = django_filters.ModelChoiceFilter(
        label="Has cookies from provider",
        field_name="cookies__provider",
        queryset=Provider.objects.order_by("name"),
        distinct=True,
    )
    party = django_filters.ChoiceFilter(
        label="Has cookies of party", field_name="cookies__party", choices=Party.choices, distinct=True
    )
    storage_type = django_filters.ChoiceFilter(
        label="Has storage type",
        field_name="cookies__storage_type",
        choices=StorageType.choices,
        distinct=True,
    )
    duration_unit = django_filters.ChoiceFilter(
        label="Has cookies lasting",
        field_name="cookies__duration_unit",
        choices=DurationUnit.choices,
        distinct=True,
    )

    class Meta:
        model = CookieCategory
        fields = ["is_essential", "provider", "party", "storage_type", "duration_unit"]


class CookieCategoryViewSet(RegistrySnippetViewSet):
    model = CookieCategory
    icon = "list-ul"
    menu_label = "Categories"
    menu_order = 100
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CookieCategoryFilterSet
    list_display = [
        "name",
        Column("key", label="Key"),
        BooleanColumn("is_essential", label="Essential"),
        Column("cookie_count", label="Cookies", accessor="cookie_count"),
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_export = ["key", "name", "purpose", "is_essential", "consent_mode_signals", "live"]
    search_fields = ["name", "key", "purpose"]
    search_backend_name = None  # plain ORM search: works with the cookie-count annotation
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name"), FieldPanel("key"), FieldPanel("sort_order")], heading="Category"
            ),
            FieldPanel("purpose"),
            FieldPanel("description"),
            MultiFieldPanel(
                [
                    FieldPanel("is_essential"),
                    FieldPanel("default_enabled"),
                    FieldPanel("consent_mode_signals"),
                ],
                heading="Consent",
            ),
            InlinePanel("cookies", heading="Cookies", label="Cookie"),
        ],
        base_form_class=CookieCategoryForm,
    )

    def get_queryset(self, request):
        return CookieCategory.objects.annotate(cookie_count=Count("cookies"))


class ProviderViewSet(RegistrySnippetViewSet):
    model = Provider
    icon = "globe"
    menu_label = "Providers"
    menu_order = 200
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["name", "privacy_policy_url", LiveStatusTagColumn(), UpdatedAtColumn()]
    list_filter = ["live"]
    search_fields = ["name"]


class RetentionRuleViewSet(RegistrySnippetViewSet):
    model = RetentionRule
    icon = "time"
    menu_label = "Retention schedule"
    menu_order = 300
    copy_view_enabled = False
    list_display = ["data_category", "period", "ending_rule", LiveStatusTagColumn(), UpdatedAtColumn()]
    list_filter = ["live"]
    search_fields = ["data_category"]


class ThirdPartyScriptViewSet(RegistrySnippetViewSet):
    model = ThirdPartyScript
    icon = "code"
    menu_label = "Third-party scripts"
    menu_order = 400
    copy_view_enabled = False
    list_display = ["name", "category", "placement", LiveStatusTagColumn(), UpdatedAtColumn()]
    list_filter = ["category", "placement", "live"]
    search_fields = ["name"]


class CookieRegistryViewSetGroup(SnippetViewSetGroup):
    menu_label = "Cookie registry"
    menu_icon = "clipboard-list"
    menu_order = 250
    items = (
        CookieCategoryViewSet,
        AllCookiesViewSet,
        ProviderViewSet,
        RetentionRuleViewSet,
        ThirdPartyScriptViewSet,
        RegistryVersionsViewSet,
    )


register_snippet(CookieRegistryViewSetGroup)


@hooks.register("before_delete_snippet")
def refuse_to_delete_categories_in_use(request, instances):
    """Single and bulk delete: a category with cookies or used by a live policy stays."""
    problems = [
        f"{instance}: {reason}"
        for instance in instances
        if isinstance(instance, CookieCategory)
        for reason in category_deletion_blockers(instance)
    ]
    if not problems:
        return None
    for problem in problems:
        messages.error(request, f"Cannot delete {problem}")
    return redirect("wagtailsnippets_cookie_registry_cookiecategory:list")
