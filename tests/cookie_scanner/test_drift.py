"""The runtime drift middleware: undeclared names counted, nothing else kept, memory bounded."""

import pytest

from cookie_scanner import middleware
from cookie_scanner.middleware import DriftCounter
from cookie_scanner.models import RuntimeCookieDrift


@pytest.fixture(autouse=True)
def fresh_counter(monkeypatch):
    monkeypatch.setattr(middleware, "drift_counter", DriftCounter())


@pytest.mark.urls("tests.cookie_scanner.urls")
def test_undeclared_cookie_names_the_site_sets_are_counted(client, demo_site):
    for _ in range(3):
        assert client.get("/scan-fixture/sets-cookies/").status_code == 200
    rows = list(RuntimeCookieDrift.objects.values_list("name", flat=True))
    assert rows == ["mystery_pref"]  # declared cookie_consent and the deletion are not drift
    # The first sighting is written at once, later ones are batched in memory until the next flush.
    assert RuntimeCookieDrift.objects.get().count == 1
    assert middleware.drift_counter.pending["mystery_pref"] == 2
    middleware.drift_counter.last_flush -= middleware.FLUSH_SECONDS
    client.get("/scan-fixture/sets-cookies/")
    assert RuntimeCookieDrift.objects.get().count == 4


def test_memory_and_table_are_bounded(db, monkeypatch):
    monkeypatch.setattr(middleware, "MAX_NAMES", 5)
    monkeypatch.setattr(middleware, "MAX_ROWS", 3)
    counter = DriftCounter()
    written = []
    monkeypatch.setattr(counter, "write", written.append)
    counter.note(f"name{i}" for i in range(20))
    assert [len(batch) for batch in written] == [5] and counter.dropped == 15
    real = DriftCounter()
    real.note(["x" * 500] + [f"row{i}" for i in range(10)])
    assert RuntimeCookieDrift.objects.count() == 3
    assert all(len(name) <= 120 for name in RuntimeCookieDrift.objects.values_list("name", flat=True))
