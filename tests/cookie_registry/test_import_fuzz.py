"""Whatever JSON arrives, the importer answers with located problems or imports: never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cookie_registry.models import CookieCategory, duration_in_words
from cookie_registry.transfer import RegistryImportError, import_registry_data, validate_registry_data

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
cookie_like = st.fixed_dictionaries(
    {"name": st.text(max_size=10)},
    optional={
        "purpose": json_values,
        "duration_unit": st.sampled_from(["session", "days", "months", "years", "weeks", 3, None]),
        "duration_value": json_values,
        "party": json_values,
        "provider": json_values,
        "storage_type": json_values,
    },
)
category_like = st.fixed_dictionaries(
    {"key": json_values, "name": json_values, "purpose": json_values},
    optional={
        "is_essential": json_values,
        "default_enabled": json_values,
        "consent_mode_signals": json_values,
        "cookies": st.lists(cookie_like, max_size=3) | json_values,
        "live": json_values,
    },
)
registry_like = st.fixed_dictionaries(
    {},
    optional={
        "categories": st.lists(category_like, max_size=3) | json_values,
        "providers": json_values,
        "retention_rules": json_values,
        "scripts": json_values,
    },
)
fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fuzz
@given(data=json_values | registry_like)
def test_any_json_is_validated_without_crashing(db, data):
    problems = validate_registry_data(data)
    assert all(isinstance(problem, str) and ": " in problem for problem in problems)


@fuzz
@given(data=registry_like)
def test_import_is_all_or_nothing(db, data):
    before = CookieCategory.objects.count()
    try:
        import_registry_data(data)
    except RegistryImportError as error:
        assert error.errors
        assert CookieCategory.objects.count() == before, "a refused file wrote something"
        return
    assert validate_registry_data(data) == [], "only a valid file may be imported"
    keys = {category["key"] for category in data.get("categories", [])}
    assert set(CookieCategory.objects.filter(key__in=keys).values_list("key", flat=True)) == keys


@pytest.mark.parametrize(
    ("unit", "value", "words"),
    [
        ("session", None, "Session"),
        ("days", 1, "1 day"),
        ("days", 14, "14 days"),
        ("months", 1, "1 month"),
        ("months", 6, "6 months"),
        ("years", 2, "2 years"),
    ],
)
def test_durations_in_words(unit, value, words):
    assert duration_in_words(unit, value) == words
