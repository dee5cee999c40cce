"""Migration tests: move the test database to a migration state, as ``manage.py migrate`` would."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> None:
    """Apply or unapply migrations until each (app, migration) in ``targets`` is the latest applied."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
