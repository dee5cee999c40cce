"""policy_pages 0004: declarations blocks that stored a category key now store the category's pk."""

import json

import pytest

from wagtail.models import Page, Revision

from cookie_registry.models import CookieCategory
from policy_pages.models import PolicyPage

from .conftest import migrate

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

BEFORE = [("policy_pages", "0003_review_groups_and_workflow")]
AFTER = [("policy_pages", "0004_cookie_declarations_choose_category")]


def declarations(stream):
    return [block["value"]["category"] for block in stream if block["type"] == "cookie_declarations"]


def test_keys_in_pages_and_revisions_become_chosen_categories():
    analytics = CookieCategory.objects.create(key="analytics", name="Analytics", purpose="Counts visits.")
    page = Page.get_first_root_node().add_child(instance=PolicyPage(title="Cookie Policy", slug="cookies"))
    old_body = [
        {"type": "cookie_declarations", "value": {"category": "Analytics", "caption": ""}, "id": "a"},
        {"type": "cookie_declarations", "value": {"category": "", "caption": "All"}, "id": "b"},
        {"type": "cookie_declarations", "value": {"category": "gone", "caption": ""}, "id": "c"},
    ]
    revision = page.save_revision()
    migrate(BEFORE)  # the state before: the block stored keys (upper case left by cookie_registry 0003)
    PolicyPage.objects.filter(pk=page.pk).update(body=json.dumps(old_body))
    Revision.objects.filter(pk=revision.pk).update(content={**revision.content, "body": json.dumps(old_body)})

    migrate(AFTER)

    page.refresh_from_db()
    assert declarations(page.body.raw_data) == [analytics.pk, None, None]
    revision.refresh_from_db()
    assert declarations(json.loads(revision.content["body"])) == [analytics.pk, None, None]
    assert page.body[0].value["category"] == analytics, "the chooser resolves the stored pk"
