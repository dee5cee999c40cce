"""Editor panels for policy pages."""

from __future__ import annotations

from typing import Any

from wagtail.admin.panels import Panel


class TranslationStatusPanel(Panel):
    """Warns the editor of a translation whose original has a newer material version."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "policy_pages/panels/translation_status.html"

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            from .versions import translation_lag

            self.lag = translation_lag(self.instance) if self.instance is not None else None

        def is_shown(self) -> bool:
            return self.lag is not None

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context["translation_lag"] = self.lag
            return context
