"""Policy pages: the privacy policy, the cookie policy and any further policy editors add.

Every publish of a policy page freezes what the public saw into an append-only
:class:`PolicyVersion` (see ``freezing.py``); the page routes ``versions/…`` serve that history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cookie_registry.approval_routes import ApprovalRecord
from cookie_registry.blocks import ANCHORS_CONTEXT_KEY
from cookie_registry.services import published_registry_token
from evidence.models import ChainedRecord
from site_data.routing import SharedRoutePageMixin

from .blocks import PolicyBodyBlock, heading_anchor
from .evidence_content import policy_version_content
from .forms import PolicyPageForm
from .panels import TranslationStatusPanel

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class PolicyPage(SharedRoutePageMixin, RoutablePageMixin, Page):
    """A legal policy with a structured body, an automatic table of contents and a public history."""

    summary = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="A short plain-language summary."
    )
    body = StreamField(PolicyBodyBlock(), blank=True)

    # Publishing metadata. Stored in each revision, so a scheduled revision carries its own.
    effective_date = models.DateField(
        null=True,
        blank=True,
        help_text="The date this version takes effect. Required to publish. For a future date, "
        "schedule publishing (Go-live date) on that day.",
    )
    change_summary = models.TextField(
        blank=True,
        help_text="What changed and why, in plain words. Required to publish a new version; "
        "shown in the public version history.",
    )
    is_material_change = models.BooleanField(
        "material change",
        default=False,
        help_text="Tick when the change affects people's rights or how their data is used "
        "(new purposes, new recipients, longer retention…).",
    )

    content_panels = [
        TranslationStatusPanel(),
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("effective_date"), FieldPanel("change_summary"), FieldPanel("is_material_change")],
            heading="Version being published",
            help_text="Required to publish or submit for review; shown in the public version history.",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    base_form_class = PolicyPageForm

    class Meta:
        verbose_name = "policy page"

    def table_of_contents(self) -> list[dict[str, str]]:
        """Top-level headings of the body, in order, with their anchors."""
        return [
            {"text": block.value["text"], "anchor": heading_anchor(block.value)}
            for block in self.body
            if block.block_type == "heading"
        ]

    # --- public routes -------------------------------------------------------------------------

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .versions import in_force

        context = super().get_context(request, *args, **kwargs)
        if "current_version" not in context or "upcoming" not in context:
            current, upcoming = in_force(self)
            context.setdefault("current_version", current)
            context.setdefault("upcoming", upcoming)
        version = context["current_version"]
        if version is not None:
            context.setdefault(
                "running_header",
                f"{self.title} · Version {version.number} · effective {version.effective_date:%-d %B %Y}",
            )
        context.setdefault(
            "versions_url", (self.get_url(request) or "") + self.reverse_subpage("version_history")
        )
        # The body's fragment cache key: the registry tables change without the page changing.
        context.setdefault("registry_token", published_registry_token())
        context.setdefault(ANCHORS_CONTEXT_KEY, set())  # each #category anchor once per render
        return context

    @path("")
    def current(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("versions/")
    def version_history(self, request: HttpRequest) -> HttpResponse:
        from . import views

        return views.version_history(request, self)

    @path("versions/feed/")
    def version_feed(self, request: HttpRequest) -> HttpResponse:
        from . import views

        return views.version_feed(request, self)

    @path("versions/upcoming/")
    def upcoming_version(self, request: HttpRequest) -> HttpResponse:
        from . import views

        return views.upcoming_version(request, self)

    @path("versions/<int:number>/")
    def archived_version(self, request: HttpRequest, number: int) -> HttpResponse:
        from . import views

        return views.archived_version(request, self, number)

    @path("versions/compare/")
    def compare_picker(self, request: HttpRequest) -> HttpResponse:
        from . import views

        return views.compare_picker(request, self)

    @path("versions/<int:number>/cookies/<str:fmt>/")
    def version_declaration(self, request: HttpRequest, number: int, fmt: str) -> HttpResponse:
        from . import views

        return views.version_declaration(request, self, number, fmt)

    @path("on/<str:day>/")
    def version_on(self, request: HttpRequest, day: str) -> HttpResponse:
        from . import views

        return views.version_on(request, self, day)

    @path("versions/<int:a>/compare/<int:b>/")
    def compare_versions(self, request: HttpRequest, a: int, b: int) -> HttpResponse:
        from . import views

        return views.compare_versions(request, self, a, b)


class PolicyVersionQuerySet(models.QuerySet):
    """Append-only: bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("Policy versions are legal records and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Policy versions are legal records and cannot be deleted.")


class PolicyVersion(ApprovalRecord, ChainedRecord):
    """What the public saw of one policy from one publish on: the frozen legal record.

    Created once, in the ``page_published`` handler, and never changed or deleted afterwards.
    The rendered HTML already contains the registry tables as they were at publish time, so a
    later registry change cannot alter an archived version.
    """

    page = models.ForeignKey(PolicyPage, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(help_text="1, 2, 3 … per policy, in publishing order.")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The Wagtail revision this version was published from (protected from purging).",
    )
    title = models.CharField(max_length=255)
    effective_date = models.DateField()
    published_at = models.DateTimeField(default=timezone.now)
    change_summary = models.TextField(blank=True)
    is_material_change = models.BooleanField("material change", default=False)

    summary_html = models.TextField(blank=True, help_text="The page summary as rendered.")
    table_of_contents = models.JSONField(default=list, blank=True, help_text="Headings and anchors.")
    body_html = models.TextField(help_text="The body exactly as rendered for the public at publish time.")
    body_text = models.TextField(help_text="Plain-text version of summary and body.")
    content_sha256 = models.CharField(
        "SHA-256", max_length=64, help_text="Digest of title, effective date, summary and body HTML."
    )
    registry_snapshot = models.JSONField(
        default=dict, blank=True, help_text="The published cookie registry at publish time, in its language."
    )
    language = models.CharField(
        max_length=15, blank=True, help_text="The language of the page this version was frozen from."
    )
    translates = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translated_by",
        help_text="For a translation: the default-language version in force when this one was published.",
    )

    objects = PolicyVersionQuerySet.as_manager()
    # Set by the views on the instances they show (not columns).
    url: str
    compare_previous_url: str
    public_url: str

    class Meta:
        ordering = ["page_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="policy_version_unique_number")
        ]
        indexes = [models.Index(fields=["page", "published_at"], name="policy_version_published")]
        verbose_name = "policy version"

    def __str__(self) -> str:
        return f"{self.title}, version {self.number} (effective {self.effective_date:%d %B %Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionDenied("Policy versions are legal records and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Policy versions are legal records and cannot be deleted.")

    def evidence_content(self) -> dict[str, Any]:
        return policy_version_content(self)

    def evidence_problems(self) -> list[str]:
        """The frozen text must be there and still match its own SHA-256."""
        from .freezing import content_digest

        digest = content_digest(
            self.title, self.effective_date.isoformat(), self.summary_html, self.body_html
        )
        if digest == self.content_sha256:
            return []
        if not self.body_html.strip():
            return ["its frozen text is missing"]
        return ["its frozen text no longer matches its SHA-256"]

    def get_absolute_url(self) -> str:
        return self.page.url + self.page.reverse_subpage("archived_version", args=[self.number])

    def get_compare_url(self, other_number: int) -> str:
        return self.page.url + self.page.reverse_subpage("compare_versions", args=[other_number, self.number])


class PolicyVersionComparison(models.Model):
    """The diff between two frozen versions, computed once (versions never change, so neither does
    their diff): an uncached ``versions/<a>/compare/<b>/`` is one lookup instead of a word diff.

    Derived data, not a legal record: it may be deleted and is then recomputed on the next view.
    """

    older = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="+")
    newer = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="+")
    summary_diff_html = models.TextField(blank=True)
    summary_insertions = models.PositiveIntegerField(default=0)
    summary_deletions = models.PositiveIntegerField(default=0)
    body_diff_html = models.TextField(blank=True)
    body_insertions = models.PositiveIntegerField(default=0)
    body_deletions = models.PositiveIntegerField(default=0)
    registry_changes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["older", "newer"], name="policy_version_comparison_unique_pair")
        ]
        verbose_name = "policy version comparison"

    def __str__(self) -> str:
        return f"Changes from version {self.older_id} to {self.newer_id}"
