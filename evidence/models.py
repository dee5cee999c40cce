"""The chain heads, purge checkpoints and daily digests, and the abstract base of every chained record."""

from __future__ import annotations

import json
from typing import Any

from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _

from .canonical import GENESIS_HASH


class ChainHead(models.Model):
    """The last link of one chain. Locked while a row is appended, so concurrent writers never fork."""

    chain = models.CharField(_("chain"), max_length=100, primary_key=True, help_text=_("The model label."))
    sequence = models.PositiveBigIntegerField(_("last sequence"), default=0)
    head_hash = models.CharField(_("head hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("chain head")

    def __str__(self) -> str:
        return f"{self.chain} #{self.sequence}"


class ChainCheckpoint(models.Model):
    """A run of positions that a retention purge removed, with the hashes on either side of the gap.

    ``previous_hash`` is what the first removed row pointed to, ``chain_hash`` the last removed row's
    hash: verification steps over the gap with them, so purges keep the remaining chain verifiable.
    """

    chain = models.CharField(_("chain"), max_length=100, db_index=True)
    first_sequence = models.PositiveBigIntegerField(_("first purged position"))
    sequence = models.PositiveBigIntegerField(_("last purged position"))
    previous_hash = models.CharField(_("hash before the first purged row"), max_length=64)
    chain_hash = models.CharField(_("hash of the last purged row"), max_length=64)
    purged_count = models.PositiveBigIntegerField(_("rows purged"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chain checkpoint")
        constraints = [models.UniqueConstraint(fields=["chain", "sequence"], name="chain_checkpoint_once")]
        indexes = [models.Index(fields=["chain", "first_sequence"], name="chain_checkpoint_order")]

    def __str__(self) -> str:
        return f"{self.chain} purged {self.first_sequence}–{self.sequence}"


class EvidenceDigest(models.Model):
    """One day's chain heads and counts, itself chained to the day before; published for outsiders."""

    date = models.DateField(_("date"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    document = models.JSONField(_("document"), help_text=_("Exactly what is hashed and published."))
    previous_hash = models.CharField(_("previous digest hash"), max_length=64)
    digest_hash = models.CharField(_("digest hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"
        verbose_name = _("evidence digest")

    def __str__(self) -> str:
        return f"Evidence digest {self.date:%Y-%m-%d}"


class ChainedRecord(models.Model):
    """Abstract base of an append-only legal record that is a link of its model's hash chain.

    A subclass says what is hashed (``evidence_content``, built from stored fields only) and may
    add checks of its own (``evidence_problems``). The link is assigned in ``save`` inside the
    writing transaction; see ``evidence.chain.append_to_chain``.
    """

    chain_sequence = models.PositiveBigIntegerField(
        _("chain position"), null=True, blank=True, unique=True, editable=False
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(
        _("chain hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("SHA-256 of this row's canonical content, its position and the previous hash."),
    )

    class Meta:
        abstract = True

    @classmethod
    def evidence_chain_name(cls) -> str:
        return cls._meta.label

    def evidence_content(self) -> dict[str, Any]:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def evidence_problems(self) -> list[str]:
        """Further checks of a stored row (e.g. a frozen text against its own digest)."""
        return []

    def prepare_for_chain(self) -> None:
        """Make the fields hold what the database will give back, before the content is hashed."""
        for field in self._meta.concrete_fields:
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                # The insert would set a new time after the content was hashed: use default=timezone.now.
                raise TypeError(f"{field} cannot be auto_now(_add) on a chained record.")
            if isinstance(field, models.JSONField):
                # Hash what the database will give back (tuples become lists, keys become strings).
                value = getattr(self, field.attname)
                setattr(self, field.attname, json.loads(json.dumps(value, cls=field.encoder)))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or self.chain_hash:
            super().save(*args, **kwargs)
            return
        from .chain import append_to_chain

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        self.prepare_for_chain()
        # No savepoint: the writer's own transaction (if any) is all-or-nothing already.
        with transaction.atomic(using=using, savepoint=False):
            append_to_chain(self, using=using)
            super().save(*args, **kwargs)
