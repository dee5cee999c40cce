"""Every policy page goes through the "Legal review" workflow (set up by migration 0003).

Wagtail assigns workflows to pages and their subtrees, not to page types, so each new policy page
gets the workflow itself when it is created; workflows on other pages are the site's own.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Workflow, WorkflowPage

WORKFLOW_NAME = "Legal review"


def assign_legal_review(
    sender: type, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if not created or raw:
        return
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page_id=instance.pk, defaults={"workflow": workflow})
