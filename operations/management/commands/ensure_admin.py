"""Make sure an admin account exists, without ever changing an existing one."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create a superuser if none exists. Uses DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_PASSWORD "
        "when set; otherwise creates 'admin' with a generated password and prints it once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "").strip() or "admin"
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "").strip()

        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin account '{username}' already exists; its password is unchanged.")
            return
        if User.objects.filter(is_superuser=True).exists() and not password:
            self.stdout.write("A superuser already exists; no new admin account created.")
            return

        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        else:  # Django's AUTH_PASSWORD_VALIDATORS, as the admin's own password forms apply them
            try:
                validate_password(password, User(username=username, email=email))
            except ValidationError as error:
                reasons = "; ".join(message.rstrip(".").replace(". ", ", ") for message in error.messages)
                raise CommandError(f"DJANGO_SUPERUSER_PASSWORD is too weak: {reasons}.") from None
        User.objects.create_superuser(username=username, email=email, password=password)
        if generated:
            self.stdout.write(
                self.style.SUCCESS(f"Created admin login  user: {username}  password: {password}")
            )
            self.stdout.write("This password is shown only now; change it under Account in the admin.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Created admin account '{username}' from the environment."))
