"""Demo registry content. Filled in by the registry work."""


def load() -> None:
    return None
