"""Admin forms for the registry: checks that need the category and its inline cookies together."""

from __future__ import annotations

from django import forms

from wagtail.admin.forms import WagtailAdminModelForm

from .models import (
    ConsentModeSignal,
    CookieCategory,
    unpublished_provider_message,
    unpublished_provider_names,
)


class CookieCategoryForm(WagtailAdminModelForm):
    """Category editor: Consent Mode signals as checkboxes, and checks across the inline cookies."""

    consent_mode_signals = forms.MultipleChoiceField(
        label="Google Consent Mode signals",
        choices=ConsentModeSignal.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Consent Mode v2 types granted when a visitor accepts this category.",
    )

    def clean_consent_mode_signals(self) -> list[str]:
        chosen = set(self.cleaned_data.get("consent_mode_signals") or [])
        # Stored in the canonical order so revisions only differ when the choice does.
        return [signal for signal in ConsentModeSignal.values if signal in chosen]

    def clean_key(self) -> str:
        key = self.cleaned_data.get("key", "")
        if self.instance.pk:
            stored = (
                CookieCategory.objects.filter(pk=self.instance.pk).values("key", "first_published_at").first()
            )
            if stored and stored["first_published_at"] and stored["key"] != key:
                raise forms.ValidationError(
                    f'The key "{stored["key"]}" has been published: visitors\' consent cookies and links to '
                    f"#{stored['key']} in the cookie policy use it. Keep it, or create a new category instead."
                )
        return key

    def clean(self):
        cleaned_data = super().clean()
        cookie_forms = self._kept_cookie_forms()
        if cookie_forms is None:
            return cleaned_data
        seen: dict[tuple[str, object], int] = {}
        for form in cookie_forms:
            name = (form.cleaned_data.get("name") or "").strip()
            provider = form.cleaned_data.get("provider")
            identity = (name.lower(), provider.pk if provider else None)
            if not name:
                continue
            if identity in seen:
                owner = f"from {provider}" if provider else "without a provider"
                message = f'"{name}" is declared twice in this category ({owner}). Keep one declaration.'
                form.add_error("name", message)
                self.add_error(None, message)
            seen[identity] = 1
        if self._is_going_live():
            provider_ids = {
                form.cleaned_data["provider"].pk for form in cookie_forms if form.cleaned_data.get("provider")
            }
            names = unpublished_provider_names(provider_ids)
            if names:
                self.add_error(None, unpublished_provider_message(names))
        publishing_rules = not getattr(self, "is_deferred_validation", False)
        if publishing_rules and cleaned_data.get("is_essential") and not cookie_forms:
            self.add_error(
                None,
                "An essential category must declare at least one cookie: visitors cannot refuse it, "
                "so the policy has to say exactly what it sets.",
            )
        return cleaned_data

    def _is_going_live(self) -> bool:
        """The editor pressed Publish, or approved the review task from this edit view."""
        data = self.data or {}
        approving = data.get("action-workflow-action") and data.get("workflow-action-name") == "approve"
        return bool(data.get("action-publish") or approving)

    def _kept_cookie_forms(self) -> list[forms.Form] | None:
        """Inline cookie forms that will be saved (not deleted, not left empty); None if invalid."""
        formset = self.formsets.get("cookies") if hasattr(self, "formsets") else None
        if formset is None:
            return None
        formset.is_valid()  # populates cleaned_data; errors are shown by the formset itself
        kept = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            kept.append(form)
        return kept
