"""Migration tests: move the test database to a migration state, as ``manage.py migrate`` would."""

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]):
    """Apply or unapply migrations until each (app, migration) in ``targets`` is the latest applied.

    Returns the historical app registry of that state: rows written at an old schema must use its
    models (today's models have columns the old tables lack).
    """
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Each test moves the schema back; the rest of the suite needs every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
