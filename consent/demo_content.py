"""Demo consent settings and gated demo tags that work offline.

The tags stand in for Google Analytics, a Meta pixel and a preferences widget: they only write
first-party cookies/storage declared in the registry and set a ``window.demo…Loaded`` flag, so the
banner's gating can be seen (and tested) without any request to a real third party.
"""

from wagtail.models import Page

from cookie_registry.demo_translations import SCRIPT_NAMES, only_site_languages
from cookie_registry.models import CookieCategory, ThirdPartyScript

from .models import ConsentSettings

DEMO_ANALYTICS = """(function () {
  var now = Math.floor(Date.now() / 1000), twoYears = 63072000;
  if (!/(^|; )_ga=/.test(document.cookie)) {
    document.cookie = "_ga=GA1.1." + Math.floor(Math.random() * 1e9) + "." + now +
      "; Max-Age=" + twoYears + "; path=/; SameSite=Lax";
  }
  document.cookie = "_ga_DEMO=GS1.1." + now + "; Max-Age=" + twoYears + "; path=/; SameSite=Lax";
  window.demoAnalyticsLoaded = true;
})();"""

DEMO_MARKETING = """(function () {
  var now = Date.now();
  if (!/(^|; )_fbp=/.test(document.cookie)) {
    document.cookie = "_fbp=fb.1." + now + "." + Math.floor(Math.random() * 1e9) +
      "; Max-Age=7776000; path=/; SameSite=Lax";
  }
  window.demoMarketingLoaded = true;
})();"""

DEMO_PREFERENCES = """(function () {
  window.localStorage.setItem("display_preferences", JSON.stringify({ textSize: "normal" }));
  window.demoPreferencesLoaded = true;
})();"""

DEMO_SCRIPTS = [
    {"name": "Demo analytics", "category": "analytics", "code": DEMO_ANALYTICS, "placement": "head"},
    {"name": "Demo marketing pixel", "category": "marketing", "code": DEMO_MARKETING, "placement": "body"},
    {
        "name": "Demo display preferences",
        "category": "preferences",
        "code": DEMO_PREFERENCES,
        "placement": "body",
    },
]


BANNER_TRANSLATIONS = {
    "de": {
        "banner_heading": "Ihre Datenschutz-Einstellungen",
        "banner_text": "Wir verwenden unbedingt erforderliche Cookies, damit diese Website funktioniert. "
        "Mit Ihrer Erlaubnis möchten wir außerdem optionale Cookies nutzen, um Ihre Einstellungen zu "
        "speichern, die Nutzung der Website zu messen und passende Inhalte zu zeigen. Nichts Optionales "
        "läuft, bevor Sie entschieden haben.",
        "reconsent_text": "Unser Einsatz von Cookies hat sich seit Ihrer letzten Auswahl geändert. Bitte "
        "prüfen Sie Ihre Auswahl.",
        "gpc_notice": "Ihr Browser sendet ein Global-Privacy-Control-Signal. Werbe- und Tracking-Kategorien "
        "bleiben daher aus, solange Sie sie nicht selbst einschalten.",
        "accept_label": "Alle akzeptieren",
        "reject_label": "Alle ablehnen",
        "customize_label": "Anpassen",
        "save_label": "Auswahl speichern",
    },
    "fr": {
        "banner_heading": "Vos choix en matière de confidentialité",
        "banner_text": "Nous utilisons des cookies strictement nécessaires au fonctionnement du site. Avec "
        "votre accord, nous aimerions aussi utiliser des cookies facultatifs pour mémoriser vos "
        "préférences, mesurer l'utilisation du site et afficher des contenus pertinents. Rien de "
        "facultatif ne fonctionne avant votre choix.",
        "reconsent_text": "Notre utilisation des cookies a changé depuis votre dernier choix. Merci de "
        "vérifier vos préférences.",
        "gpc_notice": "Votre navigateur envoie un signal Global Privacy Control : les catégories de "
        "publicité et de suivi restent donc désactivées, sauf si vous les activez vous-même.",
        "accept_label": "Tout accepter",
        "reject_label": "Tout refuser",
        "customize_label": "Personnaliser",
        "save_label": "Enregistrer mes choix",
    },
}


def load(*, cookie_policy: Page | None = None, privacy_policy: Page | None = None) -> None:
    """Default settings linked to the demo policies (kept if an editor chose others), demo scripts."""
    consent_settings = ConsentSettings.load()  # creates the row with its defaults on first run
    changed = False
    if consent_settings.cookie_policy_page_id is None and cookie_policy is not None:
        consent_settings.cookie_policy_page, changed = cookie_policy, True
    if consent_settings.privacy_policy_page_id is None and privacy_policy is not None:
        consent_settings.privacy_policy_page, changed = privacy_policy, True
    if not consent_settings.translations:
        consent_settings.translations, changed = only_site_languages(BANNER_TRANSLATIONS), True
    if changed:
        consent_settings.save()
    for position, spec in enumerate(DEMO_SCRIPTS):
        category = CookieCategory.objects.filter(key=spec["category"]).first()
        if category is None or ThirdPartyScript.objects.filter(name=spec["name"]).exists():
            continue
        script = ThirdPartyScript(
            name=spec["name"],
            category=category,
            inline_code=spec["code"],
            placement=spec["placement"],
            sort_order=position,
            translations=only_site_languages(
                {code: {"name": name} for code, name in SCRIPT_NAMES.get(spec["name"], {}).items()}
            ),
        )
        script.save()
        script.save_revision().publish()
