"""Only policy pages (and the registry) go through "Legal review"; other pages keep their workflow."""

import pytest

from wagtail.models import Page

from home.models import HomePage
from policy_pages.models import PolicyPage

pytestmark = pytest.mark.django_db


def test_a_new_policy_page_gets_legal_review_and_other_pages_keep_the_sites_workflow():
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="review-home"))
    policy = home.add_child(instance=PolicyPage(title="Privacy", slug="privacy-review"))
    other = home.add_child(instance=HomePage(title="News", slug="news-review"))

    assert policy.get_workflow().name == "Legal review"
    for page in (home, other):
        workflow = page.get_workflow()
        assert workflow is None or workflow.name != "Legal review", page.title
