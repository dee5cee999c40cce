"""Backups proven on PostgreSQL: pg_dump, pg_restore into a fresh database, same counts, evidence verifies.

The commands are the README's ("Operations › Backups"). The restored database is named after the test
database (``<test db>_restore_<pid>``) and dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.parse

import pytest

from django.db import connection

from consent.models import ConsentRecord
from cookie_registry.models import RegistryVersion
from policy_pages.models import PolicyVersion
from tests.consent.conftest import choice, post_json
from tests.operations.helpers import manage

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not shutil.which("pg_restore"),
        reason="needs PostgreSQL and its client tools (pg_dump, pg_restore, createdb, dropdb)",
    ),
]


def database_url(name: str) -> str:
    settings = connection.settings_dict
    user = urllib.parse.quote(settings["USER"] or "")
    password = f":{urllib.parse.quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)  # noqa: S603


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"
    yield name
    subprocess.run(
        ["dropdb", "--if-exists", "--force", "--maintenance-db", database_url("postgres"), name], check=True
    )  # noqa: S603, S607


def test_dump_and_restore_keeps_every_record_and_the_chains(
    transactional_db, client, registry, policy_version, restored_database, tmp_path
):
    for action, granted in [
        ("accept_all", ["analytics", "marketing", "preferences"]),
        ("reject_all", []),
        ("custom", ["analytics"]),
    ]:
        assert post_json(client, choice(action, granted, registry.version.number)).status_code == 201
    counts = (ConsentRecord.objects.count(), PolicyVersion.objects.count(), RegistryVersion.objects.count())
    source = database_url(connection.settings_dict["NAME"])
    dump = tmp_path / "policy.dump"

    # The README's commands.
    run("pg_dump", "--format=custom", f"--file={dump}", source)
    run("createdb", "--maintenance-db", database_url("postgres"), restored_database)
    run("pg_restore", "--no-owner", "--dbname", database_url(restored_database), str(dump))

    restored = database_url(restored_database)
    count_sql = (
        "select (select count(*) from consent_consentrecord), (select count(*) from policy_pages_policyversion),"
        " (select count(*) from cookie_registry_registryversion)"
    )
    restored_counts = run("psql", "--no-psqlrc", "-tA", "-F", ",", "-c", count_sql, restored).stdout.strip()
    assert tuple(int(n) for n in restored_counts.split(",")) == counts
    verified = manage("verify_evidence", DJANGO_SETTINGS_MODULE="cms.settings.dev", DATABASE_URL=restored)
    assert verified.returncode == 0, verified.stderr
    assert f"consent_consentrecord: {counts[0]} rows checked" in verified.stdout
    assert "All evidence verifies" in verified.stdout

    # and a restored copy that was tampered with afterwards is caught by the same command
    run(
        "psql",
        "--no-psqlrc",
        "-c",
        "update consent_consentrecord set granted = '[]' where chain_sequence = 1",
        restored,
    )
    tampered = manage("verify_evidence", DJANGO_SETTINGS_MODULE="cms.settings.dev", DATABASE_URL=restored)
    assert tampered.returncode == 1
    assert "consent_consentrecord id=" in tampered.stderr and "Traceback" not in tampered.stderr
