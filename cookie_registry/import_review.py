"""Importing through review: drafts submitted to the "Legal review" workflow as a named user.

Kept apart from ``transfer.import_registry_data`` (validation and the plain import) so the two can
change independently: this module only decides who the import acts as and how each entry is saved.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from .transfer import ImportReport, import_registry_data


class ImportRefused(Exception):
    """The import may not run as asked (unknown user, --publish without being a superuser)."""


def import_user(username: str | None, *, publish: bool) -> AbstractBaseUser:
    """The active user the import acts as; ``--publish`` (skipping review) is for superusers only."""
    if not username:
        raise ImportRefused("Name the user the import acts as with --user NAME: nothing imported.")
    user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    if user is None or not user.is_active:
        raise ImportRefused(f'There is no active user "{username}": nothing imported.')
    if publish and not user.is_superuser:
        raise ImportRefused(
            f'--publish skips Legal review and is for superusers only; "{username}" is not one: nothing imported.'
        )
    return user


def import_registry_as(data: Any, *, user: AbstractBaseUser, publish: bool) -> ImportReport:
    """Validate the whole file, then save every changed entry as a revision by ``user``.

    Without ``publish`` each changed entry becomes a draft submitted to its workflow ("Legal review")
    as ``user``; nothing goes live until a reviewer approves it. With ``publish`` (superusers) entries
    marked live are published at once and the revisions name ``user``.
    """
    save = partial(_publish_as if publish else _submit_as, user=user)
    return import_registry_data(data, save=save)


def _submit_as(instance: Any, *, user: AbstractBaseUser, live: bool, is_new: bool) -> None:
    if is_new:
        instance.live = False
    if not instance.live:  # a draft's row holds its content; a live row changes only on publish
        instance.save()
    instance.save_revision(user=user)
    workflow = instance.get_workflow() if live else None
    if workflow is not None:
        workflow_state = instance.workflow_states.filter(status="in_progress").first()
        if workflow_state is not None:  # a review already under way restarts with the imported draft
            workflow_state.cancel(user=user)
        workflow.start(instance, user)


def _publish_as(instance: Any, *, user: AbstractBaseUser, live: bool, is_new: bool) -> None:
    if is_new:
        instance.live = False
    if not instance.live:
        instance.save()
    revision = instance.save_revision(user=user)
    if live:
        revision.publish(user=user)
    elif instance.live:
        instance.unpublish(user=user)
