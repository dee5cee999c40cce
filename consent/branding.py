"""The banner's look from Settings › Consent: colour contrast and the versioned brand stylesheet.

Pages stay free of inline styles (strict CSP): the chosen colours become a small
stylesheet served from ``/consent/brand-<hash>.css``. The hash is of the stylesheet's own text, so
saving new settings changes the URL in every page (saving the settings invalidates the page cache)
and the old URL can be cached for ever.
"""

from __future__ import annotations

import hashlib
import re

from django.template.loader import render_to_string
from django.urls import reverse

AA_NORMAL_TEXT = 4.5
DEFAULT_PRIMARY = "#0b4f8a"
DEFAULT_BUTTON_TEXT = "#ffffff"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours, from 1.0 to 21.0."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def format_ratio(ratio: float) -> str:
    """Rounded down, as checkers do, so 4.499 is never shown as a passing "4.5:1"."""
    return f"{int(ratio * 100) / 100:.2f}:1"


def brand_css(consent_settings) -> str:
    """The colours as custom properties ``--cb-p``/``--cb-t`` that ``banner.css`` reads (its defaults otherwise)."""
    return render_to_string(
        "consent/brand.css",
        {
            "primary": consent_settings.primary_colour.lower(),
            "button_text": consent_settings.button_text_colour.lower(),
        },
    ).strip()


def brand_stylesheet_url(consent_settings) -> str:
    """``/consent/brand-<hash>.css``, or "" when the banner uses its built-in colours."""
    if not is_customised(consent_settings):
        return ""
    digest = hashlib.sha256(brand_css(consent_settings).encode()).hexdigest()[:12]
    return reverse("consent:brand_css", kwargs={"digest": digest})


def is_customised(consent_settings) -> bool:
    return (
        consent_settings.primary_colour.lower() != DEFAULT_PRIMARY
        or consent_settings.button_text_colour.lower() != DEFAULT_BUTTON_TEXT
    )
