"""Write the cookie registry to a JSON file (or stdout) that ``import_registry`` reads back."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cookie_registry.transfer import export_registry_data


class Command(BaseCommand):
    help = "Export the cookie registry (categories, cookies, providers, retention rules, scripts) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-", help="File to write; '-' (default) for stdout.")

    def handle(self, *args, path: str = "-", **options):
        text = json.dumps(export_registry_data(), indent=2, ensure_ascii=False) + "\n"
        if path == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from error
        self.stderr.write(f"Registry exported to {path}.")
