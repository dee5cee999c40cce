"""German and French versions of the demo home page: the fields ``demo_content`` writes in English."""

HOME_TRANSLATIONS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Datenschutz bei Northwind",
        "slug": "startseite",
        "intro": (
            "<p>Diese Website erklärt in verständlicher Sprache, welche personenbezogenen Daten wir erheben, "
            "warum wir das tun, wie lange wir sie aufbewahren und wie Sie die Cookies auf dieser Website "
            "selbst steuern.</p>"
        ),
        "search_description": (
            "Datenschutzerklärung, Cookie-Richtlinie und Cookie-Einstellungen von Northwind in "
            "verständlicher Sprache."
        ),
    },
    "fr": {
        "title": "La confidentialité chez Northwind",
        "slug": "accueil",
        "intro": (
            "<p>Ce site explique, en termes simples, quelles données personnelles nous collectons, pourquoi, "
            "combien de temps nous les conservons et comment vous gardez la maîtrise des cookies sur ce "
            "site.</p>"
        ),
        "search_description": (
            "La politique de confidentialité, la politique relative aux cookies et les paramètres des "
            "cookies de Northwind, en termes simples."
        ),
    },
}
