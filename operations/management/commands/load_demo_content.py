"""Build the demo site a newcomer sees. Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from consent import demo_content as consent_demo
from cookie_registry import demo_content as registry_demo
from home import demo_content as home_demo
from organisation import demo_content as organisation_demo
from policy_pages import demo_content as policy_demo


class Command(BaseCommand):
    help = (
        "Load demo content: organisation settings, home page, cookie registry and both policies, "
        "with the home page and policies translated into the configured languages."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            organisation_demo.load()
            home = home_demo.load()
            registry_demo.load()
            policies = policy_demo.load(home)
            home_demo.load_translations(home)
            policy_demo.load_translations(policies)
            consent_demo.load(
                cookie_policy=policies.get("cookie-policy"), privacy_policy=policies.get("privacy-policy")
            )
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
