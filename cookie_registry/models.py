"""The cookie registry: the single source of truth for every cookie the site or its partners set.

Entries are Wagtail snippets with drafts, revisions, locking and workflow. The public site,
the banner and the policy tables read only *published* rows (``live=True``): for a snippet with
draft state Wagtail keeps unpublished edits in revisions and writes the rows only on publish.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from evidence.models import ChainedRecord
from languages.fields import TranslationsField

from .approval_routes import ApprovalRecord
from .evidence_content import registry_version_content

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable


class PublishedQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)


class ConsentModeSignal(models.TextChoices):
    """Google Consent Mode v2 storage/usage types a category may grant."""

    AD_STORAGE = "ad_storage", "ad_storage"
    ANALYTICS_STORAGE = "analytics_storage", "analytics_storage"
    AD_USER_DATA = "ad_user_data", "ad_user_data"
    AD_PERSONALIZATION = "ad_personalization", "ad_personalization"
    FUNCTIONALITY_STORAGE = "functionality_storage", "functionality_storage"
    PERSONALIZATION_STORAGE = "personalization_storage", "personalization_storage"
    SECURITY_STORAGE = "security_storage", "security_storage"


class Party(models.TextChoices):
    FIRST = "first", _("First party")
    THIRD = "third", _("Third party")


class StorageType(models.TextChoices):
    COOKIE = "cookie", _("HTTP cookie")
    LOCAL_STORAGE = "local_storage", "localStorage"
    SESSION_STORAGE = "session_storage", "sessionStorage"
    PIXEL = "pixel", _("Tracking pixel")


class DurationUnit(models.TextChoices):
    SESSION = "session", _("Session")
    MINUTES = "minutes", _("Minutes")
    HOURS = "hours", _("Hours")
    DAYS = "days", _("Days")
    MONTHS = "months", _("Months")
    YEARS = "years", _("Years")


class RegistrySnippet(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin):
    """Mixins every registry snippet carries, in the order Wagtail requires."""

    class Meta:
        abstract = True


class Provider(RegistrySnippet, index.Indexed, models.Model):
    """A third party (or the organisation itself) that places cookies via this site."""

    name = models.CharField(max_length=120, unique=True)
    website = models.URLField(blank=True)
    privacy_policy_url = models.URLField("privacy policy link", blank=True)

    objects = PublishedQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("website"), FieldPanel("privacy_policy_url")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_preview_template(self, request, mode_name):
        return "cookie_registry/previews/provider.html"


class CookieCategory(RegistrySnippet, index.Indexed, ClusterableModel):
    """A purpose visitors consent to (or not): Strictly Necessary, Analytics, Marketing …"""

    def publish(self, revision: Any, *args: Any, **kwargs: Any) -> Any:
        """Every route to live (Publish, workflow approval, scheduled, import) passes here."""
        draft = revision.as_object()
        names = unpublished_provider_names({c.provider_id for c in draft.cookies.all() if c.provider_id})
        if names:
            raise UnpublishedProviderError(unpublished_provider_message(names))
        return super().publish(revision, *args, **kwargs)

    key: models.SlugField[str | int | Combinable, str] = models.SlugField(
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9_-]+$",
                "Use lowercase letters, digits, hyphens and underscores only: "
                "the key is stored in visitors' consent cookies.",
            )
        ],
        help_text="Stable identifier used in code, markup, anchors and the consent cookie. "
        "Do not change it once published.",
    )
    name: models.CharField[str | int | Combinable, str] = models.CharField(max_length=80)
    purpose: models.CharField[str | int | Combinable, str] = models.CharField(
        max_length=300, help_text="One or two sentences for the consent banner and overview table."
    )
    description: models.TextField[str | Combinable, str] = models.TextField(
        blank=True, help_text="Longer explanation for the cookie policy."
    )
    is_essential: models.BooleanField[bool | Combinable, bool] = models.BooleanField(
        "essential",
        default=False,
        help_text="Always on: visitors cannot refuse it. Only for cookies the site cannot work without.",
    )
    default_enabled: models.BooleanField[bool | Combinable, bool] = models.BooleanField(
        "on by default",
        default=False,
        help_text="Pre-ticked in the preferences. Only allowed for essential categories (consent is opt-in).",
    )
    consent_mode_signals = models.JSONField(
        "Google Consent Mode signals",
        default=list,
        blank=True,
        help_text="Consent Mode v2 types granted when a visitor accepts this category.",
    )
    sort_order: models.PositiveIntegerField[float | int | str | Combinable, int] = (
        models.PositiveIntegerField(default=0)
    )
    translations = TranslationsField(
        translatable=("name", "purpose", "description"),
        help_text="The name, purpose and description in other languages; empty ones show the text above.",
    )

    objects = PublishedQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("key"), FieldPanel("sort_order")], heading="Category"
        ),
        FieldPanel("purpose"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("is_essential"), FieldPanel("default_enabled"), FieldPanel("consent_mode_signals")],
            heading="Consent",
        ),
        MultiFieldPanel([FieldPanel("translations")], heading="Translations", classname="collapsed"),
        InlinePanel("cookies", heading="Cookies", label="Cookie"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("key"),
        index.SearchField("purpose"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "cookie categories"

    def __str__(self) -> str:
        return self.name

    def get_preview_template(self, request, mode_name):
        return "cookie_registry/previews/category.html"

    def get_preview_context(self, request, mode_name):
        from .snapshot import category_from_instance

        context = super().get_preview_context(request, mode_name)
        context["category"] = category_from_instance(self)  # rendered as the policy renders it
        return context

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.is_essential:
            self.default_enabled = True  # essential means always on; the checkbox cannot say otherwise
        if self.default_enabled and not self.is_essential:
            errors["default_enabled"] = (
                "Only essential categories can be on by default: optional cookies need opt-in consent."
            )
        signal_problem = consent_mode_signal_errors(self.consent_mode_signals)
        if signal_problem:
            errors["consent_mode_signals"] = signal_problem
        if errors:
            raise ValidationError(errors)


def consent_mode_signal_errors(signals: object) -> str:
    """Message for an invalid list of Consent Mode signals, or "" when it is valid."""
    if not isinstance(signals, list) or not all(isinstance(item, str) for item in signals):
        return "must be a list of Consent Mode signal names"
    unknown = sorted(set(signals) - set(ConsentModeSignal.values))
    if unknown:
        return f"unknown Consent Mode signal: {', '.join(unknown)} (allowed: {', '.join(ConsentModeSignal.values)})"
    if len(set(signals)) != len(signals):
        return "lists a Consent Mode signal twice"
    return ""


class UnpublishedProviderError(PermissionDenied):
    """A category may not go live while one of its cookies names a provider that is not published."""


def unpublished_provider_names(provider_ids: set[int]) -> list[str]:
    """Names of the given providers that are not live (what the category editor must publish first)."""
    if not provider_ids:
        return []
    return sorted(Provider.objects.filter(pk__in=provider_ids, live=False).values_list("name", flat=True))


def unpublished_provider_message(names: list[str]) -> str:
    quoted = ", ".join(f'"{name}"' for name in names)
    return (
        f"This category cannot be published while its cookies name the unpublished provider{'s' if len(names) > 1 else ''} "
        f"{quoted}: publish {'them' if len(names) > 1 else 'it'} first (Cookie registry › Providers)."
    )


class CookieWording:
    """How a cookie reads in tables: shared by the model (admin) and the snapshot (public pages).

    Needs ``name``, ``party``, ``storage_type``, ``duration_unit`` and ``duration_value``.
    """

    __slots__ = ()
    name: str
    party: str
    storage_type: str
    duration_unit: str
    duration_value: int | None

    @property
    def duration_display(self) -> str:
        """How long it lasts, in words: "Session", "1 day", "2 years"."""
        return duration_in_words(self.duration_unit, self.duration_value)

    @property
    def is_pattern(self) -> bool:
        return "*" in self.name

    @property
    def party_label(self) -> str:
        return str(dict(Party.choices).get(self.party, self.party))

    @property
    def storage_label(self) -> str:
        return str(dict(StorageType.choices).get(self.storage_type, self.storage_type))


class Cookie(CookieWording, Orderable, models.Model):
    """One cookie (or storage key, or name pattern such as ``_ga_*``) within a category."""

    category = ParentalKey(CookieCategory, on_delete=models.CASCADE, related_name="cookies")
    name = models.CharField(max_length=120, help_text="Exact name, or a pattern with * such as _ga_*.")
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="cookies"
    )
    domain = models.CharField(max_length=255, blank=True, help_text="Domain that sets it, if not this site.")
    party = models.CharField(max_length=10, choices=Party.choices, default=Party.FIRST)
    purpose = models.CharField(max_length=400)
    duration_unit = models.CharField(
        max_length=10, choices=DurationUnit.choices, default=DurationUnit.SESSION
    )
    duration_value = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text="Number of minutes, hours, days, months or years (leave empty for session).",
    )
    storage_type = models.CharField(max_length=20, choices=StorageType.choices, default=StorageType.COOKIE)
    translations = TranslationsField(
        translatable=("purpose",), help_text="The purpose in other languages; empty ones show the text above."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("provider"),
        FieldPanel("domain"),
        FieldPanel("party"),
        FieldPanel("purpose"),
        FieldPanel("duration_unit"),
        FieldPanel("duration_value"),
        FieldPanel("storage_type"),
        FieldPanel("translations"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "cookie"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = duration_errors(self.duration_unit, self.duration_value)
        if self.name and self.name.strip() != self.name:
            errors["name"] = "must not start or end with spaces"
        if errors:
            raise ValidationError(errors)

    def matches(self, name: str) -> bool:
        """True when a real cookie/storage name is covered by this declaration (``_ga_*`` covers ``_ga_X1``)."""
        return cookie_name_pattern(self.name).fullmatch(name) is not None


@lru_cache(maxsize=4096)
def cookie_name_pattern(declared_name: str) -> re.Pattern[str]:
    """A declared name as a regex: ``*`` stands for any run of characters, everything else is literal.

    Compiled once per process per name (the scanner and the drift middleware match many names)."""
    return re.compile(".*".join(re.escape(part) for part in declared_name.split("*")))


def duration_in_words(unit: str, value: int | None) -> str:
    """ "Session", "1 day", "2 years", in the active language."""
    if unit == DurationUnit.SESSION or not value:
        return gettext("Session")
    if unit == DurationUnit.MINUTES:
        text = ngettext("%(count)d minute", "%(count)d minutes", value)
    elif unit == DurationUnit.HOURS:
        text = ngettext("%(count)d hour", "%(count)d hours", value)
    elif unit == DurationUnit.DAYS:
        text = ngettext("%(count)d day", "%(count)d days", value)
    elif unit == DurationUnit.MONTHS:
        text = ngettext("%(count)d month", "%(count)d months", value)
    elif unit == DurationUnit.YEARS:
        text = ngettext("%(count)d year", "%(count)d years", value)
    else:
        return gettext("Session")
    return text % {"count": value}


def duration_errors(unit: str, value: int | None) -> dict[str, str]:
    """Field errors for a structured duration; shared by the admin form and the JSON importer."""
    if unit not in DurationUnit.values:
        return {"duration_unit": f"must be one of {', '.join(DurationUnit.values)}"}
    if unit == DurationUnit.SESSION:
        if value not in (None, ""):
            return {"duration_value": "leave empty for a session cookie"}
        return {}
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return {"duration_value": "must be a positive number"}
    return {}


class RetentionRule(RegistrySnippet, index.Indexed, models.Model):
    """One row of the data retention schedule: what data, how long, and what ends it."""

    data_category = models.CharField(max_length=120, help_text='e.g. "Customer data".')
    period = models.CharField(max_length=120, help_text='e.g. "6 years after the last transaction".')
    period_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The period in days, where it is a fixed number (for jobs and sorting).",
    )
    ending_rule = models.CharField(
        "what ends it",
        max_length=300,
        blank=True,
        help_text='e.g. "Deleted or anonymised; earlier if you withdraw consent".',
    )
    legal_basis = models.CharField(max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    translations = TranslationsField(
        translatable=("data_category", "period", "ending_rule", "legal_basis"),
        help_text="This rule's wording in other languages; empty ones show the text above.",
    )

    objects = PublishedQuerySet.as_manager()

    panels = [
        FieldPanel("data_category"),
        FieldPanel("period"),
        FieldPanel("period_days"),
        FieldPanel("ending_rule"),
        FieldPanel("legal_basis"),
        FieldPanel("sort_order"),
        MultiFieldPanel([FieldPanel("translations")], heading="Translations", classname="collapsed"),
    ]
    search_fields = [index.SearchField("data_category"), index.AutocompleteField("data_category")]

    class Meta:
        ordering = ["sort_order", "data_category"]
        verbose_name = "retention rule"

    def __str__(self) -> str:
        return f"{self.data_category}: {self.period}"

    def get_preview_template(self, request, mode_name):
        return "cookie_registry/previews/retention_rule.html"


class ThirdPartyScript(RegistrySnippet, index.Indexed, models.Model):
    """A tag (analytics, pixel, widget) the site loads only once its category is granted."""

    class Placement(models.TextChoices):
        HEAD = "head", "End of <head>"
        BODY = "body", "End of <body>"

    name = models.CharField(max_length=120)
    category = models.ForeignKey(CookieCategory, on_delete=models.PROTECT, related_name="scripts")
    src = models.URLField("external script URL", blank=True)
    inline_code = models.TextField(blank=True, help_text="JavaScript run when the category is granted.")
    placement = models.CharField(max_length=10, choices=Placement.choices, default=Placement.BODY)
    sort_order = models.PositiveIntegerField(default=0)
    translations = TranslationsField(
        translatable=("name",), help_text="The name in other languages (the code is shared)."
    )

    objects = PublishedQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("category"),
        FieldPanel("src"),
        FieldPanel("inline_code"),
        FieldPanel("placement"),
        FieldPanel("sort_order"),
        MultiFieldPanel([FieldPanel("translations")], heading="Translations", classname="collapsed"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "third-party script"

    def __str__(self) -> str:
        return self.name

    def get_preview_template(self, request, mode_name):
        return "cookie_registry/previews/script.html"


class RegistryVersion(ApprovalRecord, ChainedRecord):
    """Append-only: a new row each time a publish changes what visitors consent to.

    Cosmetic edits (typos, descriptions, ordering) do not create one; see ``versioning.py``.
    Consent records store ``number``; a visitor whose consent carries an older number is asked again.
    """

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    snapshot = models.JSONField(help_text="The consent-relevant registry state at this version.")
    changes = models.JSONField(default=list, help_text="Human-readable list of what changed.")

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"

    def __str__(self) -> str:
        return f"Registry version {self.number}"

    def evidence_content(self) -> dict[str, Any]:
        return registry_version_content(self)


class LastSeenRegistryState(models.Model):
    """The consent-relevant state seen at the last published change (one row).

    Compared with the next publish to decide whether visitors must be asked again. It moves on with
    every publish, so a cookie removed and later re-added counts as new, even though no version was
    created for the removal. See ``versioning.py``.
    """

    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "last seen registry state"

    def __str__(self) -> str:
        return f"Registry state seen at {self.updated_at:%Y-%m-%d %H:%M}"
