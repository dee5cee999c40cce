"""Admin form for policy pages: publishing metadata is required to publish, not to save a draft."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wagtail.admin.forms import WagtailAdminPageForm

# Buttons of Wagtail's page editor that lead (now or after approval) to a public version.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class PolicyPageForm(WagtailAdminPageForm):
    """Checks the effective date and change summary when a version is being published or submitted.

    Submitting for review counts too: the legal reviewer may approve from the dashboard, where no
    form is validated, so what is submitted must already be publishable.
    """

    def is_publishing(self) -> bool:
        data = self.data
        if any(data.get(action) for action in PUBLISHING_ACTIONS):
            return True
        return bool(data.get("action-workflow-action")) and data.get("workflow-action-name") == "approve"

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        if self.is_bound and self.is_publishing():
            self.check_publishing_metadata(cleaned_data)
        return cleaned_data

    def check_publishing_metadata(self, cleaned_data: dict[str, Any]) -> None:
        from .models import PolicyVersion

        effective_date = cleaned_data.get("effective_date")
        change_summary = (cleaned_data.get("change_summary") or "").strip()
        go_live_at = cleaned_data.get("go_live_at")
        latest = None
        if self.instance.pk:
            latest = (
                PolicyVersion.objects.filter(page_id=self.instance.pk)
                .select_related("page")
                .order_by("-number")
                .first()
            )

        if effective_date is None:
            if "effective_date" not in self.errors:
                self.add_error(
                    "effective_date", "Enter the date this version takes effect. It is required to publish."
                )
        else:
            publish_day = timezone.localdate(go_live_at) if go_live_at else timezone.localdate()
            if effective_date > publish_day:
                self.add_error(
                    "effective_date",
                    f"The effective date is after the day this would go live ({publish_day:%d %B %Y}). "
                    "Set the go-live date to the effective date so the new text is scheduled, or correct "
                    "the effective date.",
                )
            if latest is not None and effective_date < latest.effective_date:
                self.add_error(
                    "effective_date",
                    f"Version {latest.number} took effect on {latest.effective_date:%d %B %Y}; a new "
                    "version cannot take effect before it.",
                )

        # The database row holds the published slug (drafts keep theirs in revisions).
        published_slug = latest.page.slug if latest is not None else None
        if published_slug and cleaned_data.get("slug") not in (None, published_slug):
            self.add_error(
                "slug",
                f"This policy has published versions under /{published_slug}/versions/, and people "
                "link to them; its address cannot change. Create a new policy page instead.",
            )

        if latest is not None:
            if not change_summary:
                self.add_error(
                    "change_summary",
                    "Describe what changed and why. It is required to publish a new version and is "
                    "shown in the public version history.",
                )
            elif change_summary == latest.change_summary.strip():
                self.add_error(
                    "change_summary",
                    f"This is still the change summary of version {latest.number}. Describe what "
                    "changed in this version.",
                )
