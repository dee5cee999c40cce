"""Wagtail's ``publish_scheduled``, saying what it did: each item published or unpublished, or "nothing due".

Wagtail's own command is silent when it publishes (cron mails only output, so nobody learnt that a
policy went live). This command runs it unchanged and listens to Wagtail's publish/unpublish
signals meanwhile; ``operations`` comes before ``wagtail`` in ``INSTALLED_APPS``, so this one wins.
"""

from __future__ import annotations

from typing import Any

from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled
from wagtail.signals import page_published, page_unpublished, published, unpublished


def describe(instance: Any) -> str:
    """ "Cookie Policy (page, /cookie-policy/)" or "Analytics (cookie category)"."""
    specific = getattr(instance, "specific", instance)
    url = getattr(specific, "url", None) if hasattr(specific, "url_path") else None
    kind = str(specific._meta.verbose_name)
    return f"{specific} ({kind}, {url})" if url else f"{specific} ({kind})"


class Command(WagtailPublishScheduled):
    help = "Publish revisions whose go-live time has come and unpublish expired items, and report each."

    def handle(self, *args: Any, **options: Any) -> None:
        # Pages send both the page and the generic signal: one entry per object.
        went_live: dict[tuple[str, Any], str] = {}
        went_off: dict[tuple[str, Any], str] = {}

        def on_publish(sender: Any, instance: Any, **kwargs: Any) -> None:
            went_live.setdefault((instance._meta.label, instance.pk), describe(instance))

        def on_unpublish(sender: Any, instance: Any, **kwargs: Any) -> None:
            went_off.setdefault((instance._meta.label, instance.pk), describe(instance))

        receivers = [
            (page_published, on_publish),
            (published, on_publish),
            (page_unpublished, on_unpublish),
            (unpublished, on_unpublish),
        ]
        for signal, receiver in receivers:
            signal.connect(receiver, weak=False, dispatch_uid=f"publish_scheduled_report_{id(receiver)}")
        try:
            super().handle(*args, **options)
        finally:
            for signal, receiver in receivers:
                signal.disconnect(receiver, dispatch_uid=f"publish_scheduled_report_{id(receiver)}")
        if options.get("dryrun"):
            return
        for line in went_live.values():
            self.stdout.write(f"Published: {line}")
        for line in went_off.values():
            self.stdout.write(f"Unpublished (expired): {line}")
        if not went_live and not went_off:
            self.stdout.write("Nothing due.")
        else:
            self.stdout.write(f"{len(went_live)} published, {len(went_off)} unpublished.")
