"""Demo consent settings."""

from .models import ConsentSettings


def load() -> None:
    ConsentSettings.load()  # creates the row with its defaults on first run
