"""Demo registry: the cookies this site (and the partners its demo declares) really set.

Idempotent: entries are found by key or name and left alone when they exist. Everything is
published, and the whole load counts as one registry change (version 1 on a fresh site).
Third-party scripts are the consent app's demo content, not ours.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from . import demo_translations
from .demo_translations import cookie_translations, only_site_languages
from .models import (
    ConsentModeSignal,
    Cookie,
    CookieCategory,
    DurationUnit,
    Party,
    Provider,
    RetentionRule,
    StorageType,
)
from .versioning import ensure_registry_version, one_registry_change

PROVIDERS = [
    {
        "name": "Google",
        "website": "https://www.google.com/",
        "privacy_policy_url": "https://policies.google.com/privacy",
    },
    {
        "name": "Meta",
        "website": "https://www.facebook.com/",
        "privacy_policy_url": "https://www.facebook.com/privacy/policy/",
    },
    {
        "name": "LinkedIn",
        "website": "https://www.linkedin.com/",
        "privacy_policy_url": "https://www.linkedin.com/legal/privacy-policy",
    },
]


def demo_categories() -> list[dict[str, Any]]:
    """The five categories and their cookies (a function: the consent cookie name is a setting)."""
    return [
        {
            "key": "necessary",
            "name": "Strictly Necessary",
            "purpose": "Needed for the site to work and stay secure, for example remembering your cookie "
            "choices and keeping signed-in editors signed in.",
            "description": "These cannot be switched off. They are only set in response to something you do "
            "(saving your cookie choices, sending a form, signing in to the editing area) and do not track "
            "you across other websites.",
            "is_essential": True,
            "default_enabled": True,
            "consent_mode_signals": [ConsentModeSignal.SECURITY_STORAGE],
            "sort_order": 10,
            "cookies": [
                {
                    "name": settings.CONSENT_COOKIE_NAME,
                    "purpose": "Remembers which cookie categories you allowed or refused, and when, so the "
                    "banner does not ask again on every page.",
                    "duration_unit": DurationUnit.MONTHS,
                    "duration_value": 6,
                },
                {
                    "name": "csrftoken",
                    "purpose": "Protects forms against cross-site request forgery. Only set when you open a "
                    "page with a form or the editing area.",
                    "duration_unit": DurationUnit.YEARS,
                    "duration_value": 1,
                },
                {
                    "name": "sessionid",
                    "purpose": "Keeps editors signed in to the site's administration area. Only set for "
                    "people who sign in; ordinary visitors never receive it.",
                    "duration_unit": DurationUnit.DAYS,
                    "duration_value": 14,
                },
            ],
        },
        {
            "key": "preferences",
            "name": "Preferences",
            "purpose": "Remember choices such as your language, region and display settings.",
            "description": "Without these the site still works, but forgets your settings between visits.",
            "consent_mode_signals": [
                ConsentModeSignal.FUNCTIONALITY_STORAGE,
                ConsentModeSignal.PERSONALIZATION_STORAGE,
            ],
            "sort_order": 20,
            "cookies": [
                {
                    "name": "django_language",
                    "purpose": "Remembers the language you picked for the site. Only set if you change it.",
                    "duration_unit": DurationUnit.SESSION,
                    "duration_value": None,
                },
                {
                    "name": "display_*",
                    "purpose": "Remembers display settings such as text size, in your browser only.",
                    "duration_unit": DurationUnit.YEARS,
                    "duration_value": 1,
                    "storage_type": StorageType.LOCAL_STORAGE,
                },
            ],
        },
        {
            "key": "analytics",
            "name": "Analytics",
            "purpose": "Help us understand how visitors use the site so we can improve it (Google Analytics).",
            "description": "Google Analytics counts visits and shows which pages are used, using "
            "pseudonymous identifiers. Logs are anonymised after 13 months.",
            "consent_mode_signals": [ConsentModeSignal.ANALYTICS_STORAGE],
            "sort_order": 30,
            "cookies": [
                {
                    "name": "_ga",
                    "provider": "Google",
                    "purpose": "Distinguishes one browser from another to count unique visitors.",
                    "duration_unit": DurationUnit.YEARS,
                    "duration_value": 2,
                },
                {
                    "name": "_ga_*",
                    "provider": "Google",
                    "purpose": "Keeps the state of your current visit (session) for Google Analytics 4.",
                    "duration_unit": DurationUnit.YEARS,
                    "duration_value": 2,
                },
                {
                    "name": "_gid",
                    "provider": "Google",
                    "purpose": "Distinguishes visitors over a single day.",
                    "duration_unit": DurationUnit.DAYS,
                    "duration_value": 1,
                },
            ],
        },
        {
            "key": "marketing",
            "name": "Marketing",
            "purpose": "Measure our advertising and show you relevant adverts on other sites (Google Ads, Meta).",
            "description": "Advertising partners use these to recognise your browser across websites and "
            "measure whether an advert led to a visit.",
            "consent_mode_signals": [
                ConsentModeSignal.AD_STORAGE,
                ConsentModeSignal.AD_USER_DATA,
                ConsentModeSignal.AD_PERSONALIZATION,
            ],
            "sort_order": 40,
            "cookies": [
                {
                    "name": "_fbp",
                    "provider": "Meta",
                    "purpose": "Identifies your browser to the Meta Pixel so visits from Facebook and "
                    "Instagram adverts can be measured.",
                    "duration_unit": DurationUnit.MONTHS,
                    "duration_value": 3,
                },
            ],
        },
        {
            "key": "social_media",
            "name": "Social Media",
            "purpose": "Let you share pages and use LinkedIn features embedded in the site.",
            "description": "Set by LinkedIn when a page includes its share buttons or insight tag. LinkedIn "
            "can link them to your LinkedIn account if you are signed in.",
            "consent_mode_signals": [],
            "sort_order": 50,
            "cookies": [
                {
                    "name": "li_gc",
                    "provider": "LinkedIn",
                    "domain": ".linkedin.com",
                    "party": Party.THIRD,
                    "purpose": "Stores whether you agreed to LinkedIn's non-essential cookies.",
                    "duration_unit": DurationUnit.MONTHS,
                    "duration_value": 6,
                },
                {
                    "name": "bcookie",
                    "provider": "LinkedIn",
                    "domain": ".linkedin.com",
                    "party": Party.THIRD,
                    "purpose": "Identifies the browser to LinkedIn for its share and embed features.",
                    "duration_unit": DurationUnit.YEARS,
                    "duration_value": 1,
                },
                {
                    "name": "lidc",
                    "provider": "LinkedIn",
                    "domain": ".linkedin.com",
                    "party": Party.THIRD,
                    "purpose": "Routes requests to the right LinkedIn data centre.",
                    "duration_unit": DurationUnit.DAYS,
                    "duration_value": 1,
                },
            ],
        },
    ]


RETENTION_RULES = [
    {
        "data_category": "Customer data",
        "period": "6 years after the last transaction",
        "period_days": 2192,
        "ending_rule": "Securely deleted, unless a legal claim requires us to keep it longer",
        "legal_basis": "Legal obligation (accounting and tax records)",
        "sort_order": 10,
    },
    {
        "data_category": "Marketing data",
        "period": "Until you withdraw consent, or after 2 years without activity",
        "period_days": 730,
        "ending_rule": "Deleted; withdrawing consent ends it immediately",
        "legal_basis": "Consent",
        "sort_order": 20,
    },
    {
        "data_category": "Web analytics logs",
        "period": "13 months",
        "period_days": 396,
        "ending_rule": "Anonymised",
        "legal_basis": "Consent",
        "sort_order": 30,
    },
    {
        "data_category": "Contact form submissions",
        "period": "12 months",
        "period_days": 365,
        "ending_rule": "Deleted",
        "legal_basis": "Legitimate interests (answering your enquiry)",
        "sort_order": 40,
    },
]


def publish(instance) -> None:
    """Save a new registry entry and publish it, as an editor pressing "Publish" would."""
    instance.live = False
    instance.save()
    instance.save_revision().publish()


@transaction.atomic
def load() -> None:
    with one_registry_change():
        providers = {}
        for provider_spec in PROVIDERS:
            provider = Provider.objects.filter(name=provider_spec["name"]).first()
            if provider is None:
                provider = Provider(**provider_spec)
                publish(provider)
            providers[provider_spec["name"]] = provider

        for category_spec in demo_categories():
            if CookieCategory.objects.filter(key=category_spec["key"]).exists():
                continue
            fields = {name: value for name, value in category_spec.items() if name != "cookies"}
            category = CookieCategory(
                **fields,
                translations=only_site_languages(demo_translations.CATEGORIES.get(fields["key"], {})),
            )
            category.cookies = [
                Cookie(
                    name=cookie["name"],
                    provider=providers.get(cookie.get("provider", "")),
                    domain=cookie.get("domain", ""),
                    party=cookie.get("party", Party.FIRST),
                    purpose=cookie["purpose"],
                    duration_unit=cookie["duration_unit"],
                    duration_value=cookie["duration_value"],
                    storage_type=cookie.get("storage_type", StorageType.COOKIE),
                    sort_order=position,
                    translations=cookie_translations(cookie["name"], settings.CONSENT_COOKIE_NAME),
                )
                for position, cookie in enumerate(category_spec["cookies"])
            ]
            publish(category)

        for rule_spec in RETENTION_RULES:
            if not RetentionRule.objects.filter(data_category=rule_spec["data_category"]).exists():
                translations = demo_translations.RETENTION_RULES.get(str(rule_spec["data_category"]), {})
                publish(RetentionRule(**rule_spec, translations=only_site_languages(translations)))
    ensure_registry_version()
