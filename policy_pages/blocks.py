"""StreamField blocks for the body of policy pages."""

from django.utils.text import slugify

from wagtail import blocks

from cookie_registry.blocks import (
    ConsentGatedEmbedBlock,
    CookieCategoriesOverviewBlock,
    CookieDeclarationsBlock,
    RetentionScheduleBlock,
    ThirdPartyProvidersBlock,
)

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading with a stable anchor; feeds the table of contents."""

    text = blocks.CharBlock()
    anchor = blocks.CharBlock(
        required=False, help_text="Link target (#anchor). Left empty, it is made from the text."
    )

    class Meta:
        icon = "title"
        template = "policy_pages/blocks/heading.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = heading_anchor(value)
        return context


def heading_anchor(value) -> str:
    return slugify(value.get("anchor") or value.get("text") or "") or "section"


class DataSubjectRightBlock(blocks.StructBlock):
    right = blocks.CharBlock()
    explanation = blocks.TextBlock(required=False)


class DataSubjectRightsBlock(blocks.StructBlock):
    intro = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)
    rights = blocks.ListBlock(DataSubjectRightBlock())

    class Meta:
        icon = "user"
        label = "Data subject rights"
        template = "policy_pages/blocks/data_subject_rights.html"


class ContactBlock(blocks.StructBlock):
    """How to reach the controller, from the organisation settings (never typed here)."""

    intro = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "mail"
        label = "Contact details"
        template = "policy_pages/blocks/contact.html"


class PolicyBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    data_subject_rights = DataSubjectRightsBlock()
    contact = ContactBlock()
    cookie_categories = CookieCategoriesOverviewBlock()
    cookie_declarations = CookieDeclarationsBlock()
    third_party_providers = ThirdPartyProvidersBlock()
    retention_schedule = RetentionScheduleBlock()
    consent_embed = ConsentGatedEmbedBlock()
