"""Query budgets: the consent endpoint and the settings page cost the same however much history exists."""

from __future__ import annotations

from django.db import connection

from .conftest import choice, create_category_row, post_json

# The record and its policy links inside one transaction. The published registry, the consent
# settings and the policy versions in force are shared by the worker between requests (the previous
# POST loaded them); tests/performance covers their cost after a change.
# PostgreSQL: BEGIN, one statement (lock the chain's head, hash, insert the record and its links,
# move the head: evidence.chain.append_in_one_statement), COMMIT. SQLite: the head is locked with a
# no-op UPDATE (it ignores FOR UPDATE), read, moved, then the record and its links are inserted.
POST_QUERIES = {"postgresql": 3}.get(connection.vendor, 7)


def test_consent_post_runs_a_fixed_number_of_queries(
    client, registry, policy_version, django_assert_num_queries
):
    for index in range(5):
        create_category_row(f"extra-{index}", f"Extra {index}", order=10 + index)
    post_json(client, choice("reject_all", [], registry.version.number))  # a returning visitor from now on

    with django_assert_num_queries(POST_QUERIES):
        response = post_json(client, choice("custom", ["analytics"], registry.version.number))

    assert response.status_code == 201


def test_settings_page_cost_does_not_grow_with_history(
    client, registry, policy_version, django_assert_max_num_queries
):
    post_json(client, choice("reject_all", [], registry.version.number))
    with django_assert_max_num_queries(30) as first:
        client.get("/cookie-settings/")
    first_count = len(first.captured_queries)  # read now: the next request resets Django's query log
    for _ in range(10):
        post_json(client, choice("custom", ["analytics"], registry.version.number))

    with django_assert_max_num_queries(first_count):
        response = client.get("/cookie-settings/")

    assert response.status_code == 200
