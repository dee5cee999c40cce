"""Importing through review: drafts submitted to the "Legal review" workflow as a named user.

Kept apart from ``transfer.import_registry_data`` (validation and the plain import) so the two can
change independently: this module only decides who the import acts as and how each entry is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .transfer import (
    SECTIONS,
    ImportReport,
    RegistryImportError,
    _apply,
    _normalised,
    entry_data,
    validate_registry_data,
)
from .versioning import one_registry_change


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
    errors = validate_registry_data(data)
    if errors:
        raise RegistryImportError(errors)
    report = ImportReport()
    with transaction.atomic(), one_registry_change():
        for section, (model, _fields, key) in SECTIONS.items():
            for item in data.get(section, []):
                wanted = _normalised(section, item)
                existing = model.objects.filter(**{key: wanted[key]}).first()
                label = f"{model._meta.verbose_name} {wanted[key]}"
                if existing is not None and entry_data(section, existing) == wanted:
                    report.unchanged.append(label)
                    continue
                instance = existing or model()
                _apply(section, instance, wanted)
                if publish:
                    _publish_as(instance, user, live=wanted["live"], is_new=existing is None)
                else:
                    _submit_as(instance, user, submit=wanted["live"], is_new=existing is None)
                (report.created if existing is None else report.updated).append(label)
    return report


def _submit_as(instance: Any, user: AbstractBaseUser, *, submit: bool, is_new: bool) -> None:
    if is_new:
        instance.live = False
    if not instance.live:  # a draft's row holds its content; a live row changes only on publish
        instance.save()
    instance.save_revision(user=user)
    workflow = instance.get_workflow() if submit else None
    if workflow is not None:
        workflow_state = instance.workflow_states.filter(status="in_progress").first()
        if workflow_state is not None:  # a review already under way restarts with the imported draft
            workflow_state.cancel(user=user)
        workflow.start(instance, user)


def _publish_as(instance: Any, user: AbstractBaseUser, *, live: bool, is_new: bool) -> None:
    if is_new:
        instance.live = False
    if not instance.live:
        instance.save()
    revision = instance.save_revision(user=user)
    if live:
        revision.publish(user=user)
    elif instance.live:
        instance.unpublish(user=user)
