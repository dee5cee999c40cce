"""Consent: what the banner says, and the proof of what each visitor chose."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


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
