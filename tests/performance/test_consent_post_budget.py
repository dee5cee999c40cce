"""The consent POST: a fixed number of queries whatever the registry size, and no frozen texts read."""

import json
import re

import pytest

from django.db import connection

from policy_pages.versions import policy_versions_in_force
from site_data.generation import bump_generation

# Policy versions in force (1: the page GET before did not need them), then the write. The banner
# data (registry snapshot and consent settings) is shared in the worker until the site generation
# changes; when it is not loaded yet (first request after a change) add its 6 + 1 queries, and 1 for
# the banner's material-change notices.
CONSENT_POST_QUERIES = 1
REGISTRY_LOAD_QUERIES = 8
# The write: on PostgreSQL BEGIN, one statement (lock the chain's head, hash, insert the record and its
# policy-version links, move the head: evidence.chain.append_in_one_statement), COMMIT (3). SQLite
# ignores FOR UPDATE, so a no-op UPDATE takes the write lock, then the head is read and moved, and the
# record and its links inserted, between BEGIN and COMMIT (7).
WRITE_QUERIES = {"postgresql": 3}.get(connection.vendor, 7)


@pytest.mark.parametrize("registry_loaded", [True, False], ids=["registry-shared", "registry-cold"])
@pytest.mark.parametrize(("cookies", "versions"), [(10, 1), (1000, 1)])
def test_consent_post_runs_a_fixed_number_of_queries(
    client, sized_registry_site, django_assert_num_queries, cookies, versions, registry_loaded
):
    sized_registry_site(cookies=cookies, versions=versions)
    html = client.get("/cookie-policy/").content.decode()
    expected = CONSENT_POST_QUERIES + WRITE_QUERIES
    if not registry_loaded:
        bump_generation()  # as a registry change does: the worker's copy is retired
        expected += REGISTRY_LOAD_QUERIES
    body = {
        "action": "accept_all",
        "granted": sorted(set(re.findall(r'name="granted" value="([\w-]+)"', html))),
        "registry_version": int(re.search(r'name="registry_version" value="(\d+)"', html).group(1)),
    }
    with django_assert_num_queries(expected):
        response = client.post(
            "/consent/",
            json.dumps(body),
            content_type="application/json",
            headers={"origin": "http://testserver"},
        )
    assert response.status_code == 201, response.content


def test_policy_versions_in_force_leave_the_frozen_texts_unread(sized_registry_site):
    sized_registry_site(cookies=10, versions=1)
    versions = policy_versions_in_force()
    assert len(versions) == 2
    for version in versions:
        assert {"body_html", "body_text", "registry_snapshot"} <= version.get_deferred_fields()
        assert version.title and version.number == 1
