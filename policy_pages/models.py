"""Policy pages: the privacy policy, the cookie policy and any further policy editors add."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import PolicyBodyBlock, heading_anchor


class PolicyPage(Page):
    """A legal policy with a structured body and an automatic table of contents."""

    summary = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="A short plain-language summary."
    )
    body = StreamField(PolicyBodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "policy page"

    def table_of_contents(self) -> list[dict[str, str]]:
        """Top-level headings of the body, in order, with their anchors."""
        return [
            {"text": block.value["text"], "anchor": heading_anchor(block.value)}
            for block in self.body
            if block.block_type == "heading"
        ]
