from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
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


class ImageBlock(blocks.StructBlock):
    """An image with alt text that editors must write (or mark the image decorative)."""

    image = ImageChooserBlock(label=_("Bild"))
    alt = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=300,
        help_text=_("Beschreiben Sie, was auf dem Bild zu sehen ist (Pflichtfeld)."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "editorial/blocks/image.html"


class FactBoxBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    text = blocks.RichTextBlock(label=_("Inhalt"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "info-circle"
        label = _("Infokasten")
        template = "editorial/blocks/fact_box.html"


class InternalLinkBlock(blocks.StructBlock):
    """A pointer to an offer of the Angebotsatlas or a page of this site (a publication,
    an episode …), chosen in the admin, or an address on this site.

    The offer is chosen with the atlas's snippet chooser (the model by name: editorial
    does not import the atlas); an offer that is no longer published is not linked.
    """

    offer = SnippetChooserBlock("atlas.Offer", label=_("Angebot"), required=False)
    page = blocks.PageChooserBlock(label=_("Seite"), required=False)
    url = blocks.CharBlock(
        label=_("oder Adresse auf dieser Website"),
        required=False,
        max_length=300,
        help_text=_("z. B. /angebote/beispiel-angebot/"),
    )
    title = blocks.CharBlock(label=_("Linktext"), required=False, max_length=200)
    text = blocks.TextBlock(label=_("Kurzbeschreibung"), required=False)

    class Meta:
        icon = "link"
        label = _("Verweis auf Angebot oder Publikation")
        template = "editorial/blocks/internal_link.html"

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        if not value.get("offer") and not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={
                    "offer": ValidationError(
                        _("Wählen Sie ein Angebot oder eine Seite oder geben Sie eine Adresse an.")
                    )
                }
            )
        url = value.get("url") or ""
        if url and not url.startswith("/"):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Die Adresse muss mit „/“ beginnen (diese Website)."))
                }
            )
        return value


class LatestEpisodeBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), default=_("Neu im Kommunen-Podcast"))

    class Meta:
        icon = "media"
        label = _("Neueste Podcastfolge")
        template = "editorial/blocks/latest_episode.html"

    def get_context(self, value, parent_context=None):
        from .models import EpisodePage

        context = super().get_context(value, parent_context)
        context["episode"] = EpisodePage.latest()
        return context


class LatestArticlesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), default=_("Aus dem Magazin"))
    count = blocks.IntegerBlock(label=_("Anzahl"), default=3, min_value=1, max_value=12)

    class Meta:
        icon = "doc-full"
        label = _("Neueste Magazinartikel")
        template = "editorial/blocks/latest_articles.html"

    def get_context(self, value, parent_context=None):
        from .models import ArticlePage

        context = super().get_context(value, parent_context)
        context["articles"] = ArticlePage.latest(value["count"])
        return context


def contributed_section_choices():
    from kommune360.core.registry import registry

    return [(section.key, section.label) for section in registry.home_sections()]


class ContributedSectionBlock(blocks.StructBlock):
    """A section another app contributes to the home page (e.g. upcoming events).

    Apps register a ``HomeSection`` in the registry; ``core`` renders it (tag
    ``home_section``), editorial never imports them.
    """

    section = blocks.ChoiceBlock(label=_("Bereich"), choices=contributed_section_choices)

    class Meta:
        icon = "placeholder"
        label = _("Bereich aus einem anderen Modul")
        template = "editorial/blocks/contributed_section.html"


class ArticleStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="editorial/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    fact_box = FactBoxBlock()
    link = InternalLinkBlock()


class HomeStreamBlock(blocks.StreamBlock):
    highlights = HighlightsBlock()
    latest_episode = LatestEpisodeBlock()
    latest_articles = LatestArticlesBlock()
    section = ContributedSectionBlock()
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="editorial/blocks/paragraph.html"
    )
    quote = QuoteBlock()
    figures = FiguresBlock()
