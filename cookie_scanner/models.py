"""Scan reports and their findings (append-only), known cookies, runtime drift and the scan lock."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingKind(models.TextChoices):
    UNDECLARED = "undeclared", _("Undeclared")
    BEFORE_CONSENT = "before_consent", _("Set before consent")
    AFTER_REFUSAL = "after_refusal", _("Set after refusal")
    NOT_CLEARED = "not_cleared", _("Not cleared on withdrawal")
    LONGER_THAN_DECLARED = "longer_than_declared", _("Lives longer than declared")
    NEVER_SEEN = "never_seen", _("Declared but never seen")
    UNDECLARED_HOST = "undeclared_host", _("Undeclared third-party host")
    PAGE_ERROR = "page_error", _("Page could not be scanned")


INFORMATIONAL_KINDS = {FindingKind.NEVER_SEEN}


class ScanStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    CLEAN = "clean", _("No findings")
    FINDINGS = "findings", _("Findings")
    FAILED = "failed", _("Failed")


class AppendOnlyModel(models.Model):
    """Rows are written once; an update is refused so a report stays what the scan saw."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not getattr(self, "_finishing", False):
            raise ValueError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)


class ScanReport(AppendOnlyModel):
    """One run of ``scan_cookies``. Only the run itself completes its row (status, totals)."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ScanStatus.choices, default=ScanStatus.RUNNING
    )
    base_url = models.CharField(_("base URL"), max_length=300)
    pages = models.JSONField(_("pages"), default=list)
    states = models.JSONField(_("consent states"), default=list)
    finding_count = models.PositiveIntegerField(_("findings"), default=0)
    page_error_count = models.PositiveIntegerField(_("page errors"), default=0)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    fingerprint = models.CharField(_("published-content fingerprint"), max_length=64, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("cookie scan")
        verbose_name_plural = _("cookie scans")

    def __str__(self) -> str:
        return f"Cookie scan {self.pk} ({self.started_at:%Y-%m-%d %H:%M})"

    def finish(self, **values) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        self._finishing = True
        try:
            self.save(update_fields=list(values))
        finally:
            self._finishing = False


class ScanFinding(AppendOnlyModel):
    report = models.ForeignKey(ScanReport, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(_("kind"), max_length=30, choices=FindingKind.choices)
    name = models.CharField(_("name"), max_length=300, help_text=_("Cookie, storage key or host."))
    storage_type = models.CharField(_("storage"), max_length=20, blank=True)
    page = models.CharField(_("page"), max_length=500, blank=True)
    state = models.CharField(_("consent state"), max_length=60, blank=True)
    setter = models.CharField(_("set by"), max_length=500, blank=True)
    category_key = models.CharField(_("category"), max_length=40, blank=True)
    suggested_category = models.CharField(_("suggested category"), max_length=40, blank=True)
    suggested_provider = models.CharField(_("suggested provider"), max_length=120, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)

    class Meta:
        ordering = ["report", "kind", "name", "pk"]
        verbose_name = _("scan finding")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def is_informational(self) -> bool:
        return self.kind in INFORMATIONAL_KINDS


class KnownCookie(models.Model):
    """A well-known cookie imported with ``import_known_cookies`` (the bundled CSV is read directly)."""

    name = models.CharField(_("cookie / data key name"), max_length=200)
    platform = models.CharField(_("platform"), max_length=120)
    category = models.CharField(_("category"), max_length=60)
    domain = models.CharField(_("domain"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    retention = models.CharField(_("retention period"), max_length=120, blank=True)
    data_controller = models.CharField(_("data controller"), max_length=120, blank=True)
    wildcard = models.BooleanField(_("wildcard match"), default=False)

    class Meta:
        ordering = ["platform", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "platform"], name="known_cookie_unique")]
        verbose_name = _("known cookie")

    def __str__(self) -> str:
        return f"{self.name} ({self.platform})"


class RuntimeCookieDrift(models.Model):
    """A cookie name the site itself set that the registry does not declare: a count, nothing more."""

    name = models.CharField(_("cookie name"), max_length=120, unique=True)
    count = models.PositiveBigIntegerField(_("times set"), default=0)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("runtime cookie drift")
        verbose_name_plural = _("runtime cookie drift")

    def __str__(self) -> str:
        return self.name


class ScanLock(models.Model):
    """At most one row: the scan that runs now. Its primary key makes the lock work across processes."""

    key = models.CharField(max_length=40, primary_key=True)
    started_at = models.DateTimeField()
    holder = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.key} held by {self.holder}"
