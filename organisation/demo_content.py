"""Demo organisation settings (a fictional controller)."""

from .models import OrganisationSettings

DEMO_ORGANISATION = {
    "legal_name": "Northwind Open Source Solutions LLP",
    "short_name": "Northwind",
    "address": "4th Floor, Harbour View Tower\nCalicut, Kerala 673001\nIndia",
    "website": "https://northwind.example",
    "contact_email": "privacy@northwind.example",
    "phone": "+91 495 000 0000",
    "messaging_label": "WhatsApp",
    "messaging_url": "https://wa.me/914950000000",
    "dpo_name": "Data Protection Team",
    "dpo_email": "dpo@northwind.example",
}


def load() -> OrganisationSettings:
    organisation = OrganisationSettings.load()
    if not organisation.legal_name:
        for field, value in DEMO_ORGANISATION.items():
            setattr(organisation, field, value)
        organisation.save()
    return organisation
