"""Consent: what the banner says, and the proof of what each visitor chose."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from evidence.models import ChainedRecord

from .evidence_content import consent_record_content


@register_setting(icon="cog")
class ConsentSettings(BaseGenericSetting):
    """Editable banner wording and consent lifetimes (Settings › Consent)."""

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
    record_retention_days = models.PositiveIntegerField(
        default=1095,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text="How long proof-of-consent records are kept before the retention job deletes them.",
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
            [FieldPanel("consent_lifetime_days"), FieldPanel("record_retention_days")], heading="Lifetimes"
        ),
    ]

    class Meta:
        verbose_name = "consent settings"


class ConsentAction(models.TextChoices):
    """What a consent record says the visitor did.

    The first four can be requested by the visitor (the button they pressed); the stored ``action`` is
    derived by the server (see ``consent.choices.derive_action``), so "withdraw" and "renewal" are
    recorded whichever button led to them.
    """

    ACCEPT_ALL = "accept_all", "Accept all"
    REJECT_ALL = "reject_all", "Reject all"
    CUSTOM = "custom", "Custom choice"
    WITHDRAW = "withdraw", "Withdrawal"
    RENEWAL = "renewal", "Renewal"


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

    def purge_created_before(self, cutoff: datetime.datetime, batch_size: int = 1000) -> int:
        """Delete records created before ``cutoff`` in batches (short locks); returns how many went.

        Each batch leaves checkpoints of the purged chain positions in the same transaction
        (``evidence.chain.record_purge_checkpoint``), so the remaining chain still verifies. Safe to
        repeat and to run while visitors are choosing: each batch is its own short transaction.
        """
        from evidence.chain import record_purge_checkpoint

        deleted_total = 0
        model = self.model
        using = self.db
        while True:
            batch = list(
                model._base_manager.using(using)
                .filter(created_at__lt=cutoff)
                .order_by("chain_sequence", "pk")
                .values_list("pk", "chain_sequence", "previous_hash", "chain_hash")[:batch_size]
            )
            if not batch:
                return deleted_total
            with transaction.atomic(using=using):
                record_purge_checkpoint(
                    model.evidence_chain_name(),
                    [(sequence, previous, own) for _, sequence, previous, own in batch if sequence],
                    using=using,
                )
                _, per_model = models.QuerySet.delete(
                    model._base_manager.using(using).filter(pk__in=[row[0] for row in batch])
                )
            deleted_total += per_model.get(model._meta.label, 0)


class ConsentRecord(ChainedRecord):
    """Proof of one consent choice. Append-only: never edited; deleted only by the retention job.

    Pseudonymous: linked to a visitor only through the random ``consent_id`` that is also in their
    consent cookie. The client trace is deliberately coarse (IP truncated to its /24 or /48 network,
    browser family and major version) so it can corroborate a record without identifying anyone.
    """

    consent_id = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(help_text="When this choice lapses and the visitor is asked again.")
    action = models.CharField(max_length=20, choices=ConsentAction.choices, db_index=True)
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
    registry_version_number = models.PositiveIntegerField(db_index=True)
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

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "consent record"
        indexes = [models.Index(fields=["consent_id", "created_at"], name="consent_record_history")]

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
