"""The organisation behind the site (the data controller), editable in Settings."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Site

from site_data.generation import shared_per_generation


@register_setting(icon="site")
class OrganisationSettings(BaseGenericSetting):
    """Who the controller is and how to reach them; every template reads it from here."""

    legal_name = models.CharField(
        max_length=255, help_text="Full legal name of the organisation (the data controller)."
    )
    short_name = models.CharField(max_length=80, blank=True, help_text="Used in the site header.")
    address = models.TextField(blank=True, help_text="Postal address or location.")
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    messaging_label = models.CharField(
        max_length=40, blank=True, help_text='Name of the messaging service, e.g. "WhatsApp".'
    )
    messaging_url = models.URLField(blank=True, help_text="e.g. https://wa.me/<number>")
    dpo_name = models.CharField(
        "data-protection contact", max_length=255, blank=True, help_text="Person or team."
    )
    dpo_email = models.EmailField("data-protection email", blank=True)
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("favicon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square image (at least 64×64). Without one, the site uses its default icon."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("legal_name"), FieldPanel("short_name"), FieldPanel("address")],
            heading="Controller",
        ),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("contact_email"),
                FieldPanel("phone"),
                FieldPanel("messaging_label"),
                FieldPanel("messaging_url"),
            ],
            heading="Contact",
        ),
        MultiFieldPanel([FieldPanel("dpo_name"), FieldPanel("dpo_email")], heading="Data protection"),
        FieldPanel("favicon"),
    ]

    class Meta:
        verbose_name = "organisation"

    @classmethod
    def load(cls, request_or_site: Any = None) -> OrganisationSettings:
        """With a request (templates, public views): one instance per worker until the site changes.

        That instance is read-only; the admin edits its own copy, and saving it bumps the site
        generation (``OrganisationConfig.ready``).
        """
        if request_or_site is None or isinstance(request_or_site, Site):
            return super().load(request_or_site)
        return shared_per_generation("organisation.settings", cls._get_or_create)

    def __str__(self) -> str:
        return self.legal_name or "Organisation"

    @property
    def display_name(self) -> str:
        return self.short_name or self.legal_name
