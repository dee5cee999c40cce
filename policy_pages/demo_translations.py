"""German and French versions of the demo privacy and cookie policies.

Each body mirrors its English counterpart in ``demo_content`` block for block: the same block
types in the same order and the same anchors; registry blocks keep their non-text values and
only their captions are translated. The registry tables themselves come from the registry.
"""

from typing import Any

from .demo_content import heading, paragraph

NBSP = "\u00a0"  # French puts a non-breaking space inside « » and before : ; ? !

DE_PRIVACY_SLUG = "datenschutzerklaerung"
DE_COOKIE_SLUG = "cookie-richtlinie"
FR_PRIVACY_SLUG = "politique-de-confidentialite"
FR_COOKIE_SLUG = "politique-cookies"

# --- German (formal "Sie") ----------------------------------------------------------------------

DE_DATA_SUBJECT_RIGHTS = [
    {
        "right": "Auskunft",
        "explanation": "Sie können eine Kopie der personenbezogenen Daten verlangen, die wir über Sie "
        "gespeichert haben.",
    },
    {
        "right": "Berichtigung",
        "explanation": "Sie können unrichtige oder unvollständige Daten berichtigen lassen.",
    },
    {
        "right": "Löschung",
        "explanation": "Sie können verlangen, dass wir Ihre Daten löschen (das „Recht auf Vergessenwerden“).",
    },
    {
        "right": "Einschränkung und Widerspruch",
        "explanation": "Sie können die Nutzung Ihrer Daten einschränken lassen oder ihr widersprechen.",
    },
    {
        "right": "Widerruf der Einwilligung",
        "explanation": "Jederzeit und so einfach, wie Sie die Einwilligung erteilt haben.",
    },
    {
        "right": "Datenübertragbarkeit",
        "explanation": "Sie können Ihre Daten in einem strukturierten, maschinenlesbaren Format erhalten.",
    },
    {
        "right": "Automatisierte Entscheidungen",
        "explanation": "Sie können Entscheidungen widersprechen, die ausschließlich automatisiert getroffen "
        "werden, einschließlich Profiling.",
    },
]

DE_PRIVACY_BODY = [
    heading("Einleitung", "introduction"),
    paragraph(
        "<p>Diese Erklärung beschreibt, welche personenbezogenen Daten wir erheben, wenn Sie unsere Website "
        "nutzen, warum wir sie erheben, an wen wir sie weitergeben, wie lange wir sie aufbewahren und welche "
        "Wahlmöglichkeiten Sie haben. Die für Ihre Daten verantwortliche Organisation (der "
        "<b>Verantwortliche</b>) ist im Abschnitt „Kontakt“ unten genannt.</p>"
        "<p>Für einzelne Teile der Website nutzen wir vertrauenswürdige Dienste Dritter, etwa Such- und "
        "Werbeplattformen. Für die Inhalte und den Umgang mit Daten anderer Websites, die Sie über Links auf "
        "unserer Website erreichen, sind wir nicht verantwortlich. Soweit wir Tochtergesellschaften haben, "
        "können wir Daten für die hier beschriebenen Zwecke an sie weitergeben.</p>"
    ),
    heading("Welche Daten wir erheben", "what-we-collect"),
    paragraph(
        "<h3>Angaben, die Sie uns machen</h3><ul><li>Ihr Name, Ihre E-Mail-Adresse, Ihre Telefonnummer und "
        "weitere Kontaktdaten</li><li>Angaben, die Sie bei der Registrierung eines Kontos machen</li>"
        "<li>Was Sie uns über Formulare, per E-Mail oder über den Support schreiben</li></ul>"
        "<h3>Automatisch erhobene Daten</h3><ul><li>Ihre IP-Adresse sowie Angaben zu Browser, "
        "Betriebssystem und Gerät</li><li>Ihr ungefährer Standort, abgeleitet aus Ihrer IP-Adresse, oder Ihr "
        "genauer Standort, wenn Sie dies auf Ihrem Gerät erlauben</li><li>Wie Sie die Website nutzen: "
        "aufgerufene Seiten, Verweildauer, Klicks</li></ul>"
    ),
    heading("Warum wir Ihre Daten verarbeiten dürfen", "lawful-basis"),
    paragraph(
        "<p>Wir verarbeiten personenbezogene Daten nur, wenn Artikel 6 DSGVO uns dafür eine Rechtsgrundlage "
        "gibt: Ihre <b>Einwilligung</b> (zum Beispiel in optionale Cookies), die <b>Erfüllung eines "
        "Vertrags</b> mit Ihnen, eine <b>rechtliche Verpflichtung</b> (etwa die Aufbewahrung von "
        "Buchhaltungsunterlagen) oder unser <b>berechtigtes Interesse</b> am Betrieb und an der Sicherheit "
        "der Website, abgewogen gegen Ihre Rechte.</p>"
    ),
    heading("Cookies", "cookies"),
    paragraph(
        f'<p>Wir verwenden Cookies und ähnliche Technologien. Die <a href="/de/{DE_COOKIE_SLUG}/">'
        "Cookie-Richtlinie</a> führt jedes einzelne davon auf und erklärt, wie Sie Ihre Auswahl ändern "
        "können.</p>"
    ),
    heading("Wie lange wir Daten aufbewahren", "retention"),
    ("retention_schedule", {"caption": "Wie lange wir Ihre Daten aufbewahren"}),
    paragraph(
        "<p>Wir überprüfen diese Fristen regelmäßig. Werden Daten nicht mehr benötigt, löschen wir sie sicher "
        "oder anonymisieren sie.</p>"
    ),
    heading("Ihre Rechte", "your-rights"),
    (
        "data_subject_rights",
        {"intro": "<p>Nach der DSGVO haben Sie folgende Rechte:</p>", "rights": DE_DATA_SUBJECT_RIGHTS},
    ),
    heading("Kontakt", "contact"),
    (
        "contact",
        {
            "intro": "<p>Wenn Sie eines Ihrer Rechte ausüben möchten oder eine Frage zu dieser Erklärung haben, "
            "wenden Sie sich an uns. Sie können sich außerdem bei der zuständigen Datenschutz-Aufsichtsbehörde "
            "beschweren.</p>"
        },
    ),
]

DE_COOKIE_BODY = [
    heading("Was Cookies sind", "what-cookies-are"),
    paragraph(
        "<p>Cookies sind kleine Textdateien, die eine Website auf Ihrem Gerät speichert. Mit ihnen erkennt "
        "eine Website Sie beim Wechsel zwischen Seiten und bei späteren Besuchen wieder; außerdem dienen sie "
        "der Sicherheit, der Messung der Nutzung und – mit Ihrer Erlaubnis – der Personalisierung von "
        "Inhalten und Werbung. Diese Richtlinie gilt auch für ähnliche Technologien wie den lokalen Speicher "
        "des Browsers und Tracking-Pixel.</p>"
    ),
    heading("Welche Arten von Cookies wir verwenden", "types"),
    ("cookie_categories", {"caption": "Welche Arten von Cookies wir verwenden"}),
    heading("Cookies auf dieser Website", "declarations"),
    ("cookie_declarations", {"category": None, "caption": "Alle Cookies, die diese Website verwendet"}),
    heading("Cookies von Drittanbietern", "third-parties"),
    paragraph(
        "<p>Einige Dienste, die wir nutzen, etwa Google, Facebook und LinkedIn, setzen über unsere Website "
        "eigene Cookies. Diese Anbieter können die dabei erhobenen Daten über viele Websites hinweg "
        "zusammenführen und daraus ein Profil Ihrer Interessen erstellen; wie sie das tun, erklären ihre "
        "eigenen Datenschutzerklärungen. Wir können ihre Cookies nicht lesen, und sie können unsere nicht "
        "lesen.</p>"
    ),
    ("third_party_providers", {"caption": "Drittanbieter, die auf dieser Website Cookies setzen"}),
    heading("Ihre Einwilligung", "consent"),
    paragraph(
        "<p>Bei Ihrem ersten Besuch bittet Sie ein Banner um Ihre Erlaubnis, bevor ein nicht notwendiges "
        "Cookie (zum Beispiel für Statistik oder Marketing) verwendet wird, wie es Artikel 7 DSGVO und die "
        "ePrivacy-Richtlinie verlangen. Sie können alle Cookies akzeptieren, alle ablehnen oder für jede "
        "Kategorie einzeln entscheiden. Unbedingt erforderliche Cookies sind immer aktiv, weil die Website "
        "ohne sie nicht funktioniert.</p>"
    ),
    heading("Einwilligung ändern oder widerrufen", "withdraw"),
    paragraph(
        "<p>Sie können Ihre Entscheidung jederzeit ändern: über den Link "
        '<a href="/de/cookie-settings/">Cookie-Einstellungen</a> in der Fußzeile jeder Seite oder indem Sie '
        "Cookies in den Datenschutzeinstellungen Ihres Browsers löschen. Der Widerruf ist so einfach wie die "
        "Einwilligung und lässt die Rechtmäßigkeit der bis dahin erfolgten Verarbeitung unberührt.</p>"
    ),
    heading("Kontakt", "contact"),
    ("contact", {"intro": "<p>Fragen zu Cookies? Hier erreichen Sie uns:</p>"}),
]

# --- French ("vous") ----------------------------------------------------------------------------

FR_DATA_SUBJECT_RIGHTS = [
    {
        "right": "Accès",
        "explanation": "Obtenir une copie des données personnelles que nous détenons à votre sujet.",
    },
    {"right": "Rectification", "explanation": "Faire corriger des données inexactes ou incomplètes."},
    {
        "right": "Effacement",
        "explanation": f"Nous demander de supprimer vos données (le «{NBSP}droit à l’oubli{NBSP}»).",
    },
    {
        "right": "Limitation et opposition",
        "explanation": "Limiter l’utilisation que nous faisons de vos données, ou vous y opposer.",
    },
    {
        "right": "Retrait du consentement",
        "explanation": "À tout moment, aussi facilement que vous l’avez donné.",
    },
    {
        "right": "Portabilité",
        "explanation": "Recevoir vos données dans un format structuré et lisible par machine.",
    },
    {
        "right": "Décisions automatisées",
        "explanation": "Vous opposer aux décisions fondées exclusivement sur un traitement automatisé, "
        "y compris le profilage.",
    },
]

FR_PRIVACY_BODY = [
    heading("Introduction", "introduction"),
    paragraph(
        "<p>La présente politique décrit les données personnelles que nous collectons lorsque vous utilisez "
        "notre site web, les raisons de cette collecte, les destinataires avec qui nous les partageons, leur "
        "durée de conservation et les choix dont vous disposez. L’organisme responsable de vos données (le "
        f"<b>responsable du traitement</b>) est indiqué dans la rubrique «{NBSP}Nous contacter{NBSP}» "
        "ci-dessous.</p>"
        "<p>Pour faire fonctionner certaines parties du site, nous faisons appel à des services tiers de "
        "confiance, comme des plateformes de recherche et de publicité. Nous ne sommes pas responsables du "
        "contenu ni des pratiques en matière de confidentialité des autres sites web auxquels vous accédez par "
        "des liens présents sur le nôtre. Si nous avons des filiales, nous pouvons partager des données avec "
        "elles aux fins décrites ici.</p>"
    ),
    heading("Les données que nous collectons", "what-we-collect"),
    paragraph(
        "<h3>Les informations que vous nous fournissez</h3><ul><li>Vos nom, adresse e-mail, numéro de "
        "téléphone et autres coordonnées</li><li>Les informations que vous saisissez lors de la création "
        "d’un compte</li><li>Ce que vous nous écrivez au moyen de formulaires, par e-mail ou via le "
        "support</li></ul>"
        "<h3>Les informations collectées automatiquement</h3><ul><li>Votre adresse IP, votre navigateur, "
        "votre système d’exploitation et les caractéristiques de votre appareil</li><li>Votre localisation "
        "approximative, déduite de votre adresse IP, ou votre localisation précise si vous l’autorisez sur "
        f"votre appareil</li><li>La manière dont vous utilisez le site{NBSP}: pages consultées, temps passé, "
        "clics</li></ul>"
    ),
    heading("Pourquoi nous pouvons traiter vos données", "lawful-basis"),
    paragraph(
        "<p>Nous ne traitons des données personnelles que lorsque l’article 6 du RGPD nous fournit une base "
        f"légale{NBSP}: votre <b>consentement</b> (par exemple pour les cookies facultatifs), "
        "l’<b>exécution d’un contrat</b> conclu avec vous, une <b>obligation légale</b> (comme la "
        "conservation des pièces comptables) ou nos <b>intérêts légitimes</b> à exploiter et à sécuriser le "
        "site, mis en balance avec vos droits.</p>"
    ),
    heading("Cookies", "cookies"),
    paragraph(
        f'<p>Nous utilisons des cookies et des technologies similaires. La <a href="/fr/{FR_COOKIE_SLUG}/">'
        "politique relative aux cookies</a> les recense tous et explique comment modifier vos choix.</p>"
    ),
    heading("Durée de conservation des données", "retention"),
    ("retention_schedule", {"caption": "Combien de temps nous conservons vos données"}),
    paragraph(
        "<p>Nous réexaminons régulièrement ces durées. Lorsque des données ne sont plus nécessaires, elles "
        "sont supprimées de manière sécurisée ou anonymisées.</p>"
    ),
    heading("Vos droits", "your-rights"),
    (
        "data_subject_rights",
        {
            "intro": f"<p>En vertu du RGPD, vous disposez des droits suivants{NBSP}:</p>",
            "rights": FR_DATA_SUBJECT_RIGHTS,
        },
    ),
    heading("Nous contacter", "contact"),
    (
        "contact",
        {
            "intro": "<p>Pour exercer l’un de vos droits ou poser une question sur la présente politique, "
            "contactez-nous. Vous pouvez également introduire une réclamation auprès de votre autorité de "
            "contrôle en matière de protection des données.</p>"
        },
    ),
]

FR_COOKIE_BODY = [
    heading(f"Qu’est-ce qu’un cookie{NBSP}?", "what-cookies-are"),
    paragraph(
        "<p>Les cookies sont de petits fichiers texte qu’un site web enregistre sur votre appareil. Ils "
        "permettent à un site de vous reconnaître d’une page à l’autre et d’une visite à l’autre, d’assurer "
        "sa sécurité, de mesurer son utilisation et, avec votre autorisation, de personnaliser les contenus "
        "et la publicité. La présente politique couvre également les technologies similaires, comme le "
        "stockage local et les pixels de suivi.</p>"
    ),
    heading("Les types de cookies que nous utilisons", "types"),
    ("cookie_categories", {"caption": "Les types de cookies que nous utilisons"}),
    heading("Les cookies de ce site", "declarations"),
    ("cookie_declarations", {"category": None, "caption": "Tous les cookies utilisés par ce site"}),
    heading("Cookies tiers", "third-parties"),
    paragraph(
        "<p>Certains services que nous utilisons, comme Google, Facebook et LinkedIn, déposent leurs propres "
        "cookies par l’intermédiaire de notre site. Ils peuvent combiner les informations qu’ils collectent "
        f"sur de nombreux sites afin d’établir un profil de vos centres d’intérêt{NBSP}; leurs propres "
        "politiques de confidentialité expliquent comment. Nous ne pouvons pas lire leurs cookies, et ils ne "
        "peuvent pas lire les nôtres.</p>"
    ),
    ("third_party_providers", {"caption": "Les tiers qui déposent des cookies sur ce site"}),
    heading("Votre consentement", "consent"),
    paragraph(
        "<p>Lors de votre première visite, un bandeau vous demande votre autorisation avant toute "
        "utilisation d’un cookie non essentiel (par exemple de mesure d’audience ou de marketing), comme "
        "l’exigent l’article 7 du RGPD et la directive ePrivacy. Vous pouvez tout accepter, tout refuser ou "
        "choisir catégorie par catégorie. Les cookies strictement nécessaires sont toujours actifs, car le "
        "site ne peut pas fonctionner sans eux.</p>"
    ),
    heading("Modifier ou retirer votre consentement", "withdraw"),
    paragraph(
        f"<p>Vous pouvez changer d’avis à tout moment{NBSP}: utilisez le lien "
        '<a href="/fr/cookie-settings/">Paramètres des cookies</a> en pied de chaque page, ou supprimez les '
        "cookies dans les paramètres de confidentialité de votre navigateur. Retirer votre consentement est "
        "aussi simple que de le donner et n’affecte pas la licéité du traitement effectué auparavant.</p>"
    ),
    heading("Nous contacter", "contact"),
    ("contact", {"intro": f"<p>Des questions sur les cookies{NBSP}? Contactez-nous{NBSP}:</p>"}),
]

# Version 1's change summary, which freezing would otherwise fill in English.
FIRST_VERSION_SUMMARY = {"de": "Erste veröffentlichte Fassung.", "fr": "Première version publiée."}

# English slug -> language code -> the translated page's fields.
POLICY_TRANSLATIONS: dict[str, dict[str, dict[str, Any]]] = {
    "privacy-policy": {
        "de": {
            "title": "Datenschutzerklärung",
            "slug": DE_PRIVACY_SLUG,
            "search_description": "Welche personenbezogenen Daten wir erheben, warum, wie lange und welche "
            "Rechte Sie haben.",
            "summary": "<p>Wir erheben nur, was wir für den Betrieb dieser Website und für unsere Leistungen "
            "benötigen, bewahren es nicht länger als nötig auf, und Sie können jederzeit Auskunft, "
            "Berichtigung oder Löschung verlangen.</p>",
            "body": DE_PRIVACY_BODY,
        },
        "fr": {
            "title": "Politique de confidentialité",
            "slug": FR_PRIVACY_SLUG,
            "search_description": "Les données personnelles que nous collectons, pourquoi, pour combien de "
            "temps, et vos droits.",
            "summary": "<p>Nous ne collectons que ce dont nous avons besoin pour faire fonctionner ce site et "
            "vous servir, nous ne le conservons pas plus longtemps que nécessaire, et vous pouvez à tout "
            "moment demander à le consulter, à le corriger ou à le supprimer.</p>",
            "body": FR_PRIVACY_BODY,
        },
    },
    "cookie-policy": {
        "de": {
            "title": "Cookie-Richtlinie",
            "slug": DE_COOKIE_SLUG,
            "search_description": "Alle Cookies dieser Website: wozu sie dienen, wie lange sie bestehen und "
            "wie Sie Ihre Auswahl ändern.",
            "summary": "<p>Solange Sie nichts anderes wählen, sind nur unbedingt erforderliche Cookies aktiv. "
            "Sie können Ihre Auswahl jederzeit über die Fußzeile ändern.</p>",
            "body": DE_COOKIE_BODY,
        },
        "fr": {
            "title": "Politique relative aux cookies",
            "slug": FR_COOKIE_SLUG,
            "search_description": "Tous les cookies utilisés par ce site, pourquoi, pour combien de temps, "
            "et comment modifier vos choix.",
            "summary": "<p>Seuls les cookies strictement nécessaires sont actifs tant que vous n’avez pas fait "
            "d’autre choix. Vous pouvez modifier ce choix à tout moment depuis le pied de page.</p>",
            "body": FR_COOKIE_BODY,
        },
    },
}
