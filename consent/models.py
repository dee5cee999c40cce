"""Consent: what the banner says, and the proof of what each visitor chose."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from evidence.models import ChainedRecord
from languages.fields import TranslationsField

from .evidence_content import consent_record_content

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb, e.g. #0b4f8a."))


class BannerPosition(models.TextChoices):
    BAR = "bar", _("Bottom bar")
    CORNER = "corner", _("Corner box")
    MODAL = "modal", _("Centred box (the page stays readable and scrollable)")


@register_setting(icon="cog")
class ConsentSettings(BaseGenericSetting):
    """Editable banner wording, look and consent lifetimes (Settings › Consent)."""

    banner_heading = models.CharField(max_length=120, default="Your privacy choices")
    banner_text = models.TextField(
        max_length=600,
        default=(
            "We use strictly necessary cookies to run this site. With your permission we would also like "
            "to use optional cookies to remember your preferences, measure how the site is used and show "
            "relevant content. Nothing optional runs until you choose."
        ),
        help_text="Short text on the first layer of the banner. Links to the policies are added automatically.",
    )
    reconsent_text = models.CharField(
        max_length=300,
        default="Our cookie use has changed since you last chose. Please review your choices.",
        help_text="Shown above the list of changes when the registry changed since a visitor's choice.",
    )
    gpc_notice = models.CharField(
        "Global Privacy Control notice",
        max_length=300,
        default=(
            "Your browser sends a Global Privacy Control signal, so advertising and tracking categories "
            "stay off unless you switch them on yourself."
        ),
    )
    consent_lifetime_days = models.PositiveIntegerField(
        default=182,
        validators=[MinValueValidator(1), MaxValueValidator(395)],
        help_text="How long a choice is kept before the banner asks again (about 6 months by default).",
    )
    cookie_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("cookie policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The banner, the preferences and embeds link here (with #category anchors)."),
    )
    privacy_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The banner links here."),
    )
    record_retention_days = models.PositiveIntegerField(
        default=1095,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text="How long proof-of-consent records are kept before the retention job deletes them.",
    )

    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#0b4f8a",
        validators=[colour_validator],
        help_text=_("Background of every banner button (Accept all and Reject all look the same)."),
    )
    button_text_colour = models.CharField(
        _("button text colour"),
        max_length=7,
        default="#ffffff",
        validators=[colour_validator],
        help_text=_("Must contrast with the primary colour at least 4.5:1 (WCAG AA)."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional; shown at the top of the banner."),
    )
    banner_position = models.CharField(
        _("position"), max_length=10, choices=BannerPosition.choices, default=BannerPosition.BAR
    )
    accept_label = models.CharField(_("Accept all button"), max_length=40, default="Accept all")
    reject_label = models.CharField(_("Reject all button"), max_length=40, default="Reject all")
    customize_label = models.CharField(_("Customize button"), max_length=40, default="Customize")
    save_label = models.CharField(_("Save choices button"), max_length=40, default="Save choices")
    translations = TranslationsField(
        translatable=(
            "banner_heading",
            "banner_text",
            "reconsent_text",
            "gpc_notice",
            "accept_label",
            "reject_label",
            "customize_label",
            "save_label",
        ),
        help_text=_("The banner's wording in other languages; empty fields show the text above."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("banner_heading"),
                FieldPanel("banner_text"),
                FieldPanel("reconsent_text"),
                FieldPanel("gpc_notice"),
            ],
            heading="Banner wording",
        ),
        MultiFieldPanel(
            [
                FieldPanel("primary_colour"),
                FieldPanel("button_text_colour"),
                FieldPanel("logo"),
                FieldPanel("banner_position"),
            ],
            heading=_("Branding"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accept_label"),
                FieldPanel("reject_label"),
                FieldPanel("customize_label"),
                FieldPanel("save_label"),
            ],
            heading=_("Button labels"),
        ),
        MultiFieldPanel([FieldPanel("translations")], heading=_("Translations"), classname="collapsed"),
        MultiFieldPanel(
            [FieldPanel("cookie_policy_page"), FieldPanel("privacy_policy_page")], heading=_("Policy pages")
        ),
        MultiFieldPanel(
            [FieldPanel("consent_lifetime_days"), FieldPanel("record_retention_days")], heading="Lifetimes"
        ),
    ]

    class Meta:
        verbose_name = "consent settings"

    def clean(self) -> None:
        """Refuse button colours below WCAG AA (4.5:1), saying the ratio they reach."""
        super().clean()
        from .branding import AA_NORMAL_TEXT, HEX_COLOUR, contrast_ratio, format_ratio

        primary, text = self.primary_colour or "", self.button_text_colour or ""
        if not (HEX_COLOUR.match(primary) and HEX_COLOUR.match(text)):
            return  # the field validators report the format
        ratio = contrast_ratio(primary, text)
        if ratio < AA_NORMAL_TEXT:
            message = _(
                "Contrast between the button text and primary colours is %(ratio)s; WCAG AA needs at "
                "least 4.5:1. Choose a darker primary or a lighter text colour (or the reverse)."
            ) % {"ratio": format_ratio(ratio)}
            raise ValidationError({"primary_colour": message, "button_text_colour": message})


class ConsentAction(models.TextChoices):
    """What a consent record says the visitor did.

    The first four can be requested by the visitor (the button they pressed); the stored ``action`` is
    derived by the server (see ``consent.choices.derive_action``), so "withdraw" and "renewal" are
    recorded whichever button led to them.
    """

    ACCEPT_ALL = "accept_all", _("Accept all")
    REJECT_ALL = "reject_all", _("Reject all")
    CUSTOM = "custom", _("Custom choice")
    WITHDRAW = "withdraw", _("Withdrawal")
    RENEWAL = "renewal", _("Renewal")


REQUESTABLE_ACTIONS = (
    ConsentAction.ACCEPT_ALL,
    ConsentAction.REJECT_ALL,
    ConsentAction.CUSTOM,
    ConsentAction.WITHDRAW,
)


class ConsentRecordIsAppendOnly(PermissionDenied):
    """Raised when code tries to change or delete proof of consent outside the retention job."""


class ConsentRecordQuerySet(models.QuerySet):
    """Append-only: bulk updates and deletes are refused; the retention job uses ``purge_created_before``."""

    def update(self, **kwargs: Any) -> int:
        raise ConsentRecordIsAppendOnly("Consent records are proof of consent and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ConsentRecordIsAppendOnly(
            "Consent records are deleted only by the retention job (manage.py purge_consent_records)."
        )

    def for_consent_id(self, consent_id: str) -> ConsentRecordQuerySet:
        return self.filter(consent_id=consent_id).order_by("created_at", "pk")

    def purge_created_before(
        self,
        cutoff: datetime.datetime,
        batch_size: int = 1000,
        *,
        pause_seconds: float = 0.0,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Delete records created before ``cutoff``, oldest first, one short transaction per batch.

        Each batch takes the next ``batch_size`` ids from the ``(created_at, id)`` index and, in one short
        transaction, leaves checkpoints of their chain positions (``evidence.chain.record_purge_checkpoint``,
        so the remaining chain still verifies) and deletes their policy-version links and then the records.
        Locks last milliseconds and a consent POST never waits for a whole purge; ``pause_seconds`` between
        batches leaves the database to visitors. Interrupted, it has committed every finished batch:
        running it again with the same cutoff resumes.
        """
        import time

        from evidence.chain import record_purge_checkpoint

        deleted_total = 0
        links = ConsentRecordPolicyVersion.objects.all()
        while True:
            with transaction.atomic(using=self.db):
                batch = list(
                    models.QuerySet(self.model, using=self.db)
                    .filter(created_at__lt=cutoff)
                    .order_by("created_at", "id")
                    .values_list("pk", "chain_sequence", "previous_hash", "chain_hash")[:batch_size]
                )
                if not batch:
                    return deleted_total
                ids = [row[0] for row in batch]
                record_purge_checkpoint(
                    self.model.evidence_chain_name(),
                    [(sequence, previous, own) for _, sequence, previous, own in batch if sequence],
                    using=self.db,
                )
                links.using(self.db).filter(record_id__in=ids)._raw_delete(self.db)
                deleted = models.QuerySet(self.model, using=self.db).filter(pk__in=ids)._raw_delete(self.db)
            deleted_total += deleted
            if on_batch:
                on_batch(deleted_total)
            if len(batch) < batch_size:
                return deleted_total
            if pause_seconds:
                time.sleep(pause_seconds)


class ConsentRecord(ChainedRecord):
    """Proof of one consent choice. Append-only: never edited; deleted only by the retention job.

    Pseudonymous: linked to a visitor only through the random ``consent_id`` that is also in their
    consent cookie. The client trace is deliberately coarse (IP truncated to its /24 or /48 network,
    browser family and major version) so it can corroborate a record without identifying anyone.
    """

    consent_id = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="When this choice lapses and the visitor is asked again.")
    action = models.CharField(max_length=20, choices=ConsentAction.choices)
    requested_action = models.CharField(
        max_length=20,
        choices=[(action.value, action.label) for action in REQUESTABLE_ACTIONS],
        help_text="The button the visitor pressed; ``action`` is what the server derived from it.",
    )
    granted = models.JSONField(
        default=list, help_text="Keys of the optional categories granted (essential ones are always on)."
    )
    refused = models.JSONField(default=list, help_text="Keys of the optional categories refused.")
    registry_version = models.ForeignKey(
        "cookie_registry.RegistryVersion", on_delete=models.PROTECT, related_name="consent_records"
    )
    registry_version_number = models.PositiveIntegerField()
    policy_versions_snapshot = models.JSONField(
        "policy versions in force",
        default=list,
        help_text="Each policy in force when the visitor chose: title, version number, effective date.",
    )
    policy_versions = models.ManyToManyField(
        "policy_pages.PolicyVersion",
        through="ConsentRecordPolicyVersion",
        related_name="consent_records",
        blank=True,
        help_text="The exact policy texts in force when the visitor chose (protected from deletion).",
    )
    gpc = models.BooleanField(
        "Global Privacy Control", default=False, help_text="The browser sent Sec-GPC: 1."
    )
    ip_network = models.CharField(
        "IP network",
        max_length=50,
        blank=True,
        help_text="The client address truncated to /24 (IPv4) or /48 (IPv6).",
    )
    user_agent_family = models.CharField(max_length=120, blank=True, help_text='e.g. "Chrome 156 / Linux".')
    language = models.CharField(
        max_length=15,
        blank=True,
        help_text="The language of the page the visitor chose on (blank before 2026-12).",
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "consent record"
        # One index per report filter, each ending in the report's order (created_at, id), so a filtered
        # first page is an index range scan that stops after 50 rows (README › Operations, bench/RESULTS.md).
        indexes = [
            models.Index(fields=["consent_id", "created_at"], name="consent_record_history"),
            models.Index(fields=["created_at", "id"], name="consent_record_created"),
            models.Index(fields=["action", "created_at", "id"], name="consent_record_action"),
            models.Index(
                fields=["registry_version_number", "created_at", "id"], name="consent_record_registry"
            ),
            models.Index(fields=["language", "created_at", "id"], name="consent_record_language"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.consent_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ConsentRecordIsAppendOnly("Consent records are proof of consent and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ConsentRecordIsAppendOnly(
            "Consent records are deleted only by the retention job (manage.py purge_consent_records)."
        )

    def evidence_content(self) -> dict[str, Any]:
        return consent_record_content(self)

    @property
    def policy_versions_label(self) -> str:
        """ "Privacy policy v3; Cookie policy v2" — for the admin table and exports."""
        return "; ".join(
            f"{item.get('title')} v{item.get('number')}" for item in self.policy_versions_snapshot
        )

    def as_json(self) -> dict[str, Any]:
        """The endpoint's answer for this record (the consent contract's fields, nothing more)."""
        return {
            "consent_id": self.consent_id,
            "action": self.action,
            "granted": list(self.granted),
            "refused": list(self.refused),
            "registry_version": self.registry_version_number,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "policy_versions": list(self.policy_versions_snapshot),
            "language": self.language,
        }

    def as_export_json(self) -> dict[str, Any]:
        """Everything stored about this choice, for the visitor's own download."""
        return {
            **self.as_json(),
            "requested_action": self.requested_action,
            "gpc": self.gpc,
            "ip_network": self.ip_network,
            "user_agent_family": self.user_agent_family,
        }


class ConsentRecordPolicyVersion(models.Model):
    """Link from a consent record to a policy version in force: "which text did this visitor accept?".

    PROTECT on the policy version: a policy text that a consent record points to can never be deleted.
    CASCADE on the record: the retention job's deletion of a record removes its links with it.
    """

    record = models.ForeignKey(ConsentRecord, on_delete=models.CASCADE, related_name="policy_version_links")
    policy_version = models.ForeignKey(
        "policy_pages.PolicyVersion", on_delete=models.PROTECT, related_name="consent_record_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "policy_version"], name="consent_record_policy_version_once"
            )
        ]
        verbose_name = "policy version accepted"

    def __str__(self) -> str:
        return f"{self.record_id} → {self.policy_version_id}"


class ConsentDailyCount(models.Model):
    """Records per day, action and registry version: what the report's chart reads (never a table scan).

    Holds closed days only (before today, UTC); ``consent.daily_counts`` fills in the days after the
    last one stored on the first read of a new day, and the retention job recounts what it purges.
    Records are always stored with ``created_at = now``, so a closed day never changes otherwise.
    """

    day = models.DateField()
    action = models.CharField(max_length=20, choices=ConsentAction.choices)
    registry_version_number = models.PositiveIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "action", "registry_version_number"], name="consent_daily_count_once"
            )
        ]
        verbose_name = "consent records per day"
        verbose_name_plural = "consent records per day"

    def __str__(self) -> str:
        return f"{self.day}: {self.count} × {self.action} (registry v{self.registry_version_number})"


class ConsentExport(models.Model):
    """One finished export of consent records, with the SHA-256 of the file so it can be cited."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150, blank=True, help_text="User name, or the command.")
    file_format = models.CharField(max_length=10)
    filters = models.CharField(max_length=500, blank=True, help_text="The report filters, as a query.")
    rows = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "consent records export"

    def __str__(self) -> str:
        return f"{self.rows} rows ({self.file_format}) at {self.created_at:%Y-%m-%d %H:%M}, SHA-256 {self.sha256}"
