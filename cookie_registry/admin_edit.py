"""The registry editor's edit view: approving from it publishes exactly what the reviewer saved, once.

Wagtail's snippet edit view saves a new revision before it runs the workflow action. With
``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`` the approval then belongs to the older, submitted
revision, so the workflow opens a new task on the new one instead of publishing ("approve loops").
The reviewer approves what they are looking at, so the task moves to the revision just saved before
the approval is recorded; the submitter (the workflow's ``requested_by``) is unchanged.
"""

from __future__ import annotations

from typing import Any

from wagtail.snippets.views.snippets import EditView


class RegistryEditView(EditView):
    def workflow_action_action(self) -> Any:
        task_state = self.object.current_workflow_task_state
        new_revision = getattr(self, "new_revision", None)
        if task_state is not None and new_revision is not None and task_state.revision_id != new_revision.pk:
            task_state.revision = new_revision
            task_state.save(update_fields=["revision"])
        return super().workflow_action_action()
