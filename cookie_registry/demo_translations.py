"""German and French wording of the demo registry (``demo_content``), keyed as the entries are.

Only prose is translated; keys, cookie names, durations and signals are shared by every language.
"""

from __future__ import annotations

from typing import Any

Texts = dict[str, dict[str, str]]

CATEGORIES: dict[str, Texts] = {
    "necessary": {
        "de": {
            "name": "Unbedingt erforderlich",
            "purpose": "Nötig, damit die Website funktioniert und sicher bleibt, zum Beispiel um Ihre "
            "Cookie-Auswahl zu speichern und angemeldete Redakteure angemeldet zu halten.",
            "description": "Diese Cookies lassen sich nicht abschalten. Sie werden nur gesetzt, wenn Sie "
            "etwas tun (Ihre Cookie-Auswahl speichern, ein Formular senden, sich im Redaktionsbereich "
            "anmelden), und verfolgen Sie nicht über andere Websites hinweg.",
        },
        "fr": {
            "name": "Strictement nécessaires",
            "purpose": "Indispensables au fonctionnement et à la sécurité du site, par exemple pour "
            "mémoriser vos choix de cookies et garder les rédacteurs connectés.",
            "description": "Ils ne peuvent pas être désactivés. Ils ne sont déposés qu'en réponse à une "
            "action de votre part (enregistrer vos choix, envoyer un formulaire, vous connecter à "
            "l'espace de rédaction) et ne vous suivent pas sur d'autres sites.",
        },
    },
    "preferences": {
        "de": {
            "name": "Präferenzen",
            "purpose": "Merken sich Einstellungen wie Sprache, Region und Darstellung.",
            "description": "Ohne sie funktioniert die Website weiterhin, vergisst aber Ihre Einstellungen "
            "zwischen zwei Besuchen.",
        },
        "fr": {
            "name": "Préférences",
            "purpose": "Mémorisent des choix comme votre langue, votre région et vos réglages d'affichage.",
            "description": "Sans eux, le site fonctionne toujours, mais oublie vos réglages d'une visite à "
            "l'autre.",
        },
    },
    "analytics": {
        "de": {
            "name": "Statistik",
            "purpose": "Helfen uns zu verstehen, wie Besucher die Website nutzen, damit wir sie verbessern "
            "können (Google Analytics).",
            "description": "Google Analytics zählt Besuche und zeigt, welche Seiten genutzt werden, mit "
            "pseudonymen Kennungen. Protokolle werden nach 13 Monaten anonymisiert.",
        },
        "fr": {
            "name": "Mesure d'audience",
            "purpose": "Nous aident à comprendre comment les visiteurs utilisent le site afin de "
            "l'améliorer (Google Analytics).",
            "description": "Google Analytics compte les visites et montre quelles pages sont consultées, "
            "au moyen d'identifiants pseudonymes. Les journaux sont anonymisés après 13 mois.",
        },
    },
    "marketing": {
        "de": {
            "name": "Marketing",
            "purpose": "Messen unsere Werbung und zeigen Ihnen passende Anzeigen auf anderen Websites "
            "(Google Ads, Meta).",
            "description": "Werbepartner erkennen damit Ihren Browser über Websites hinweg wieder und "
            "messen, ob eine Anzeige zu einem Besuch geführt hat.",
        },
        "fr": {
            "name": "Marketing",
            "purpose": "Mesurent nos publicités et vous montrent des annonces pertinentes sur d'autres "
            "sites (Google Ads, Meta).",
            "description": "Nos partenaires publicitaires s'en servent pour reconnaître votre navigateur "
            "d'un site à l'autre et mesurer si une annonce a mené à une visite.",
        },
    },
    "social_media": {
        "de": {
            "name": "Soziale Medien",
            "purpose": "Ermöglichen das Teilen von Seiten und eingebettete LinkedIn-Funktionen.",
            "description": "Von LinkedIn gesetzt, wenn eine Seite dessen Teilen-Schaltflächen oder Insight "
            "Tag enthält. LinkedIn kann sie mit Ihrem Konto verknüpfen, wenn Sie angemeldet sind.",
        },
        "fr": {
            "name": "Réseaux sociaux",
            "purpose": "Vous permettent de partager des pages et d'utiliser les fonctions LinkedIn "
            "intégrées au site.",
            "description": "Déposés par LinkedIn lorsqu'une page contient ses boutons de partage ou son "
            "Insight Tag. LinkedIn peut les relier à votre compte si vous êtes connecté.",
        },
    },
}

COOKIE_PURPOSES: dict[str, dict[str, str]] = {
    # The consent cookie's name is a setting: it is looked up as "<consent cookie>".
    "<consent cookie>": {
        "de": "Speichert, welche Cookie-Kategorien Sie erlaubt oder abgelehnt haben und wann, damit das "
        "Banner nicht auf jeder Seite erneut fragt.",
        "fr": "Enregistre les catégories de cookies que vous avez acceptées ou refusées, et quand, pour que "
        "le bandeau ne vous interroge pas à chaque page.",
    },
    "csrftoken": {
        "de": "Schützt Formulare vor Cross-Site-Request-Forgery. Nur gesetzt, wenn Sie eine Seite mit "
        "Formular oder den Redaktionsbereich öffnen.",
        "fr": "Protège les formulaires contre la falsification de requêtes intersites. Déposé seulement "
        "sur une page avec formulaire ou dans l'espace de rédaction.",
    },
    "sessionid": {
        "de": "Hält Redakteure im Verwaltungsbereich angemeldet. Gewöhnliche Besucher erhalten es nie.",
        "fr": "Garde les rédacteurs connectés à l'administration du site. Les visiteurs ne le reçoivent "
        "jamais.",
    },
    "django_language": {
        "de": "Merkt sich die von Ihnen gewählte Sprache. Nur gesetzt, wenn Sie sie ändern.",
        "fr": "Mémorise la langue que vous avez choisie. Déposé seulement si vous la changez.",
    },
    "display_*": {
        "de": "Merkt sich Darstellungseinstellungen wie die Schriftgröße, nur in Ihrem Browser.",
        "fr": "Mémorise des réglages d'affichage comme la taille du texte, dans votre navigateur seulement.",
    },
    "_ga": {
        "de": "Unterscheidet Browser voneinander, um einzelne Besucher zu zählen.",
        "fr": "Distingue un navigateur d'un autre pour compter les visiteurs uniques.",
    },
    "_ga_*": {
        "de": "Speichert den Stand Ihres aktuellen Besuchs (Sitzung) für Google Analytics 4.",
        "fr": "Conserve l'état de votre visite en cours (session) pour Google Analytics 4.",
    },
    "_gid": {
        "de": "Unterscheidet Besucher innerhalb eines Tages.",
        "fr": "Distingue les visiteurs sur une seule journée.",
    },
    "_fbp": {
        "de": "Identifiziert Ihren Browser gegenüber dem Meta-Pixel, damit Besuche über Anzeigen auf "
        "Facebook und Instagram gemessen werden können.",
        "fr": "Identifie votre navigateur auprès du pixel Meta afin de mesurer les visites issues des "
        "publicités Facebook et Instagram.",
    },
    "li_gc": {
        "de": "Speichert, ob Sie den nicht notwendigen Cookies von LinkedIn zugestimmt haben.",
        "fr": "Enregistre si vous avez accepté les cookies non essentiels de LinkedIn.",
    },
    "bcookie": {
        "de": "Identifiziert den Browser gegenüber LinkedIn für dessen Teilen- und Einbettungsfunktionen.",
        "fr": "Identifie le navigateur auprès de LinkedIn pour ses fonctions de partage et d'intégration.",
    },
    "lidc": {
        "de": "Leitet Anfragen an das richtige Rechenzentrum von LinkedIn weiter.",
        "fr": "Oriente les requêtes vers le bon centre de données de LinkedIn.",
    },
}

RETENTION_RULES: dict[str, Texts] = {
    "Customer data": {
        "de": {
            "data_category": "Kundendaten",
            "period": "6 Jahre nach dem letzten Geschäftsvorfall",
            "ending_rule": "Sicher gelöscht, sofern ein Rechtsanspruch keine längere Aufbewahrung verlangt",
            "legal_basis": "Rechtliche Verpflichtung (Buchführungs- und Steuerunterlagen)",
        },
        "fr": {
            "data_category": "Données clients",
            "period": "6 ans après la dernière transaction",
            "ending_rule": "Supprimées de façon sécurisée, sauf si un litige impose de les garder plus "
            "longtemps",
            "legal_basis": "Obligation légale (pièces comptables et fiscales)",
        },
    },
    "Marketing data": {
        "de": {
            "data_category": "Marketingdaten",
            "period": "Bis zum Widerruf Ihrer Einwilligung oder nach 2 Jahren ohne Aktivität",
            "ending_rule": "Gelöscht; ein Widerruf beendet die Speicherung sofort",
            "legal_basis": "Einwilligung",
        },
        "fr": {
            "data_category": "Données marketing",
            "period": "Jusqu'au retrait de votre consentement, ou après 2 ans sans activité",
            "ending_rule": "Supprimées ; le retrait du consentement y met fin immédiatement",
            "legal_basis": "Consentement",
        },
    },
    "Web analytics logs": {
        "de": {
            "data_category": "Webanalyse-Protokolle",
            "period": "13 Monate",
            "ending_rule": "Anonymisiert",
            "legal_basis": "Einwilligung",
        },
        "fr": {
            "data_category": "Journaux de mesure d'audience",
            "period": "13 mois",
            "ending_rule": "Anonymisés",
            "legal_basis": "Consentement",
        },
    },
    "Contact form submissions": {
        "de": {
            "data_category": "Kontaktformular-Anfragen",
            "period": "12 Monate",
            "ending_rule": "Gelöscht",
            "legal_basis": "Berechtigte Interessen (Beantwortung Ihrer Anfrage)",
        },
        "fr": {
            "data_category": "Messages du formulaire de contact",
            "period": "12 mois",
            "ending_rule": "Supprimés",
            "legal_basis": "Intérêts légitimes (répondre à votre demande)",
        },
    },
}

SCRIPT_NAMES: dict[str, dict[str, str]] = {
    "Demo analytics": {"de": "Demo-Statistik", "fr": "Mesure d'audience (démo)"},
    "Demo marketing pixel": {"de": "Demo-Marketing-Pixel", "fr": "Pixel marketing (démo)"},
    "Demo display preferences": {"de": "Demo-Anzeigeeinstellungen", "fr": "Préférences d'affichage (démo)"},
}


def only_site_languages(translations: dict[str, Any]) -> dict[str, Any]:
    """The translations of the languages this site is configured for (``SITE_LANGUAGES``)."""
    from languages.fields import translation_languages

    wanted = {code for code, _name in translation_languages()}
    return {code: texts for code, texts in translations.items() if code in wanted}


def cookie_translations(name: str, consent_cookie_name: str) -> dict[str, dict[str, str]]:
    key = "<consent cookie>" if name == consent_cookie_name else name
    return only_site_languages(
        {code: {"purpose": text} for code, text in COOKIE_PURPOSES.get(key, {}).items()}
    )
