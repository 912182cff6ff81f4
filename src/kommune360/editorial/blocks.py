from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h2", "h3"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=200)

    class Meta:
        icon = "title"
        label = _("Zwischenüberschrift")
        template = "editorial/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"))
    person = SnippetChooserBlock("core.Person", label=_("Person"), required=False)
    attribution = blocks.CharBlock(
        label=_("Quelle (ohne Person)"),
        required=False,
        help_text=_("Nur ausfüllen, wenn keine Person ausgewählt ist."),
    )

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "editorial/blocks/quote.html"


class FigureItemBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Zahl"), max_length=30)
    label = blocks.CharBlock(label=_("Bedeutung"), max_length=200)


class FiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), required=False)
    items = blocks.ListBlock(FigureItemBlock(), label=_("Zahlen"))

    class Meta:
        icon = "table"
        label = _("In Zahlen")
        template = "editorial/blocks/figures.html"


class TeaserBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"))
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Seite"), required=False)
    url = blocks.URLBlock(label=_("oder Adresse"), required=False)


class HighlightsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"))
    items = blocks.ListBlock(TeaserBlock(), label=_("Hervorhebungen"))

    class Meta:
        icon = "pick"
        label = _("Hervorhebungen")
        template = "editorial/blocks/highlights.html"


class ContentStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="editorial/blocks/paragraph.html"
    )
    quote = QuoteBlock()
    figures = FiguresBlock()
    highlights = HighlightsBlock()
