"""Demo privacy policy and cookie policy, written for the fictional demo organisation.

The facts (categories, retention periods, rights, the GDPR articles) follow the reference policy;
the wording is our own. Cookie tables come from the registry blocks, never from text here.
"""

import datetime
from functools import partial
from typing import Any

from django.utils import timezone

from home.models import HomePage
from languages.demo import ensure_translation, translation_locales

from .models import PolicyPage


def heading(text: str, anchor: str = "") -> tuple:
    return ("heading", {"text": text, "anchor": anchor})


def paragraph(html: str) -> tuple:
    return ("paragraph", html)


DATA_SUBJECT_RIGHTS = [
    {"right": "Access", "explanation": "Ask for a copy of the personal data we hold about you."},
    {"right": "Rectification", "explanation": "Have inaccurate or incomplete data corrected."},
    {"right": "Erasure", "explanation": "Ask us to delete your data (the “right to be forgotten”)."},
    {"right": "Restriction and objection", "explanation": "Limit how we use your data, or object to it."},
    {"right": "Withdraw consent", "explanation": "At any time, as easily as you gave it."},
    {"right": "Portability", "explanation": "Receive your data in a structured, machine-readable format."},
    {
        "right": "Automated decisions",
        "explanation": "Object to decisions made solely by automated means, including profiling.",
    },
]

PRIVACY_BODY = [
    heading("Introduction", "introduction"),
    paragraph(
        "<p>This policy describes what personal data we collect when you use our website, why we collect "
        "it, who we share it with, how long we keep it and the choices you have. The organisation "
        "responsible for your data (the <b>controller</b>) is named in the contact section below.</p>"
        "<p>We use some trusted third-party services, such as search and advertising platforms, to run "
        "parts of the site. We are not responsible for the content or privacy practices of other websites "
        "you reach through links on ours. Where we have subsidiaries, we may share data with them for the "
        "purposes described here.</p>"
    ),
    heading("What we collect", "what-we-collect"),
    paragraph(
        "<h3>Information you give us</h3><ul><li>Your name, email address, phone number and other contact "
        "details</li><li>Details you enter when you register an account</li><li>What you write to us "
        "through forms, email or support channels</li></ul>"
        "<h3>Information collected automatically</h3><ul><li>Your IP address, browser, operating system and "
        "device details</li><li>Approximate location derived from your IP address, or precise location "
        "if you allow it on your device</li><li>How you use the site: pages viewed, time spent, clicks</li></ul>"
    ),
    heading("Why we may process your data", "lawful-basis"),
    paragraph(
        "<p>We only process personal data where Article 6 of the GDPR gives us a lawful basis: your "
        "<b>consent</b> (for example to optional cookies), the <b>performance of a contract</b> with you, a "
        "<b>legal obligation</b> (such as keeping accounting records), or our <b>legitimate interests</b> in "
        "running and securing the site, balanced against your rights.</p>"
    ),
    heading("Cookies", "cookies"),
    paragraph(
        '<p>We use cookies and similar technologies. The <a href="/cookie-policy/">cookie policy</a> lists '
        "every one of them and explains how to change your choices.</p>"
    ),
    heading("How long we keep data", "retention"),
    ("retention_schedule", {"caption": "How long we keep your data"}),
    paragraph(
        "<p>We review these periods regularly. When data is no longer needed it is securely deleted or "
        "anonymised.</p>"
    ),
    heading("Your rights", "your-rights"),
    (
        "data_subject_rights",
        {"intro": "<p>Under the GDPR you have the right to:</p>", "rights": DATA_SUBJECT_RIGHTS},
    ),
    heading("Contact us", "contact"),
    (
        "contact",
        {
            "intro": "<p>To exercise any of your rights, or to ask a question about this policy, contact us. "
            "You may also complain to your data protection supervisory authority.</p>"
        },
    ),
]

COOKIE_BODY = [
    heading("What cookies are", "what-cookies-are"),
    paragraph(
        "<p>Cookies are small text files a website stores on your device. They let a site remember you "
        "between pages and visits, keep it secure, measure how it is used and, with your permission, "
        "personalise content and advertising. This policy also covers similar technologies such as "
        "local storage and tracking pixels.</p>"
    ),
    heading("Types of cookies we use", "types"),
    ("cookie_categories", {"caption": "Types of cookies we use"}),
    heading("Cookies on this site", "declarations"),
    ("cookie_declarations", {"category": None, "caption": "Every cookie this site uses"}),
    heading("Third-party cookies", "third-parties"),
    paragraph(
        "<p>Some services we use, such as Google, Facebook and LinkedIn, place their own cookies through our "
        "website. They may combine what they collect across many websites to build a profile of your "
        "interests; their own privacy policies explain how. We cannot read their cookies and they cannot "
        "read ours.</p>"
    ),
    ("third_party_providers", {"caption": "Third parties that set cookies on this site"}),
    heading("Your consent", "consent"),
    paragraph(
        "<p>On your first visit a banner asks for your permission before any non-essential cookie (for "
        "example analytics or marketing) is used, as Article 7 of the GDPR and the ePrivacy Directive "
        "require. You can accept all, reject all, or choose category by category. Strictly necessary "
        "cookies are always on because the site cannot work without them.</p>"
    ),
    heading("Changing or withdrawing consent", "withdraw"),
    paragraph(
        '<p>You can change your mind at any time: use the <a href="/cookie-settings/">Cookie Settings</a> '
        "link in the footer of every page, or delete cookies through your browser's privacy settings. "
        "Withdrawing consent is as easy as giving it and does not affect processing that happened "
        "before.</p>"
    ),
    heading("Contact us", "contact"),
    ("contact", {"intro": "<p>Questions about cookies? Reach us here:</p>"}),
]

# The first cookie policy, as it read a few months ago: shorter on third parties and withdrawal.
# Version 2 (COOKIE_BODY) is today's text; the demo publishes both so the history, the archived
# page and the comparison have something to show.
COOKIE_BODY_V1 = [
    *COOKIE_BODY[:7],
    paragraph(
        "<p>Some services we use, such as Google and Facebook, place their own cookies through our website. "
        "Their own privacy policies explain how they use them.</p>"
    ),
    ("third_party_providers", {"caption": "Third parties that set cookies on this site"}),
    heading("Your consent", "consent"),
    paragraph(
        "<p>On your first visit a banner asks for your permission before any non-essential cookie is used. "
        "You can accept all or reject all. Strictly necessary cookies are always on because the site cannot "
        "work without them.</p>"
    ),
    heading("Changing or withdrawing consent", "withdraw"),
    paragraph(
        '<p>You can change your mind at any time using the <a href="/cookie-settings/">Cookie Settings</a> '
        "link in the footer of every page.</p>"
    ),
    heading("Contact us", "contact"),
    ("contact", {"intro": "<p>Questions about cookies? Reach us here:</p>"}),
]

COOKIE_V2_CHANGES = (
    "Consent can now be given category by category, not only all or nothing. We name LinkedIn as a "
    "further third party, explain that third parties may combine data across websites, and describe "
    "withdrawal through browser settings."
)

POLICIES: list[dict[str, Any]] = [
    {
        "slug": "privacy-policy",
        "title": "Privacy Policy",
        "search_description": "What personal data we collect, why, for how long, and your rights.",
        "summary": "<p>We collect only what we need to run this site and serve you, keep it no longer "
        "than necessary, and you can ask to see, correct or delete it at any time.</p>",
        "versions": [{"body": PRIVACY_BODY, "days_ago": 90, "change_summary": "", "material": False}],
    },
    {
        "slug": "cookie-policy",
        "title": "Cookie Policy",
        "search_description": "Every cookie this site uses, why, for how long, and how to change your choices.",
        "summary": "<p>Only strictly necessary cookies run until you choose otherwise. "
        "You can change your choice at any time from the footer.</p>",
        "versions": [
            {"body": COOKIE_BODY_V1, "days_ago": 120, "change_summary": "", "material": False},
            {"body": COOKIE_BODY, "days_ago": 0, "change_summary": COOKIE_V2_CHANGES, "material": True},
        ],
    },
]


def publish_version(page: PolicyPage, version: dict) -> None:
    """Publish one demo version; publishing freezes it into a PolicyVersion (see freezing.py)."""
    page.body = version["body"]
    page.effective_date = timezone.localdate() - datetime.timedelta(days=version["days_ago"])
    page.change_summary = version["change_summary"]
    page.is_material_change = version["material"]
    page.save_revision().publish()


def load(home: HomePage) -> dict[str, PolicyPage]:
    """Idempotent: pages that exist are kept; a live page without any version gets its first one."""
    pages: dict[str, PolicyPage] = {}
    for spec in POLICIES:
        page = PolicyPage.objects.filter(slug=spec["slug"], locale_id=home.locale_id).first()
        if page is None:
            page = home.add_child(
                instance=PolicyPage(
                    title=spec["title"],
                    slug=spec["slug"],
                    search_description=spec["search_description"],
                    summary=spec["summary"],
                    body=spec["versions"][0]["body"],
                    show_in_menus=True,
                )
            )
            for version in spec["versions"]:
                publish_version(page, version)
        elif page.live and not page.versions.exists():
            page.effective_date = page.effective_date or timezone.localdate()
            page.save_revision().publish()
        pages[spec["slug"]] = page
    return pages


def load_translations(pages: dict[str, PolicyPage]) -> dict[str, dict[str, PolicyPage]]:
    """German and French translations of the demo policies (configured languages only), created once.

    Each new translation is copied from its English page and published once, as version 1 with the
    English page's current effective date. Call after the home page's translations exist.
    """
    from .demo_translations import FIRST_VERSION_SUMMARY, POLICY_TRANSLATIONS  # it imports heading()

    translations: dict[str, dict[str, PolicyPage]] = {}
    for slug, page in pages.items():
        texts = POLICY_TRANSLATIONS.get(slug, {})
        translations[slug] = {}
        for locale in translation_locales(page, texts):
            fields = dict(texts[locale.language_code])
            version = {
                "body": fields.pop("body"),
                "days_ago": (timezone.localdate() - (page.effective_date or timezone.localdate())).days,
                "change_summary": FIRST_VERSION_SUMMARY[locale.language_code],
                "material": False,
            }
            translations[slug][locale.language_code] = ensure_translation(
                page, locale, fields, partial(publish_version, version=version)
            )
    return translations
