"""The blocks a newsletter issue is built from.

Every block renders twice: as HTML for mail clients (tables, inline styles, see
``templates/newsletter/blocks/``) and as plain text (``render_text``), so the
plain-text part is written, not scraped from the HTML.
"""

import textwrap

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from kommune360.core.languages import in_shown_language
from kommune360.core.registry import registry

WIDTH = 72


def _wrap(text: str) -> str:
    paragraphs = [p.strip() for p in text.replace("\r", "").split("\n\n")]
    return "\n\n".join(textwrap.fill(" ".join(p.split()), WIDTH) for p in paragraphs if p)


def _paragraphs(*parts) -> str:
    """Plain text: the parts that are not empty, a blank line between them."""
    return "\n\n".join(part for part in parts if part)


def _underlined(heading, line="-") -> str:
    return f"{heading}\n{line * len(heading)}" if heading else ""


def richtext_to_text(value) -> str:
    html = str(getattr(value, "source", value) or "")
    for tag in ("</p>", "<br>", "<br/>", "</li>", "</h2>", "</h3>"):
        html = html.replace(tag, tag + "\n\n" if tag != "</li>" else tag + "\n")
    html = html.replace("<li>", "- ")
    from html import unescape

    return _wrap(unescape(strip_tags(html)))


# --- Platform items (the registry's NewsletterItem entries) --------------------------------


def _item_key(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def item_choices():
    """Choices for the teaser's item field: every registered item type's objects."""
    choices = [("", "---------")]
    for entry in registry.newsletter_items():
        queryset = entry.queryset() if entry.queryset else entry.model._default_manager.all()
        if not entry.queryset and hasattr(queryset, "live"):
            # Pages: the German ones (a newsletter is written in German).
            queryset = in_shown_language(queryset.live(), settings.LANGUAGE_CODE)
        group = [(_item_key(obj), str(obj)[:120]) for obj in queryset[:300]]
        if group:
            choices.append((str(entry.label), group))
    return choices


def resolve_item(key: str):
    """``(registry entry, object)`` for a stored key, or ``None`` if it is gone."""
    if not key or ":" not in key:
        return None
    model_label, pk = key.split(":", 1)
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return None
    for entry in registry.newsletter_items():
        if entry.model._meta.label_lower == model._meta.label_lower or issubclass(
            model, entry.model
        ):
            obj = model._default_manager.filter(pk=pk).first()
            return (entry, obj) if obj is not None else None
    return None


def item_teaser(key: str) -> dict:
    resolved = resolve_item(key)
    if resolved is None:
        return {}
    entry, obj = resolved
    data = dict(entry.teaser(obj) or {})
    # Apps describe their items with "title", "text"/"teaser", "url", "kind".
    data.setdefault("teaser", data.get("text") or "")
    data.setdefault("kicker", str(data.get("kind") or entry.label))
    return data


# --- Blocks ---------------------------------------------------------------------------


class MailBlockMixin:
    def render_text(self, value) -> str:  # pragma: no cover - every block overrides it
        raise NotImplementedError


class LetterBlock(MailBlockMixin, blocks.StructBlock):
    salutation = blocks.CharBlock(label=_("Anrede"), default="Liebe:r Leser:in,")
    body = blocks.RichTextBlock(label=_("Brief"), features=["bold", "italic", "link"])
    signature = blocks.CharBlock(label=_("Gruß"), required=False)

    class Meta:
        label = _("Brief")
        icon = "mail"
        template = "newsletter/blocks/letter.html"

    def render_text(self, value):
        return _paragraphs(value["salutation"], richtext_to_text(value["body"]), value["signature"])


class QuoteBlock(MailBlockMixin, blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"))
    author = blocks.CharBlock(label=_("Wer"))
    origin = blocks.CharBlock(label=_("Woher (Kommune, Organisation)"), required=False)
    comment = blocks.TextBlock(label=_("Einordnung danach"), required=False)

    class Meta:
        label = _("Zitat")
        icon = "openquote"
        template = "newsletter/blocks/quote.html"

    def render_text(self, value):
        who = value["author"] + (f", {value['origin']}" if value["origin"] else "")
        quoted = textwrap.indent(_wrap(f"„{value['text']}“"), "> ")
        return _paragraphs(quoted, f"– {who}", _wrap(value["comment"] or ""))


class ItemChoiceBlock(blocks.ChoiceBlock):
    """The keys are plain strings: reading a stored value must not build the choice
    list (one query per item type), which Wagtail's ChoiceBlock does to normalise it."""

    def to_python(self, value):
        return value

    def bulk_to_python(self, values):
        return list(values)


class TeaserBlock(blocks.StructBlock):
    item = ItemChoiceBlock(
        label=_("Inhalt der Plattform"),
        choices=item_choices,
        required=False,
        help_text=_(
            "Titel, Anreißer und Link werden beim Speichern übernommen, wenn sie leer sind; "
            "danach können Sie sie ändern."
        ),
    )
    kicker = blocks.CharBlock(label=_("Dachzeile"), required=False)
    title = blocks.CharBlock(label=_("Titel"), required=False)
    teaser = blocks.TextBlock(label=_("Anreißer"), required=False)
    url = blocks.URLBlock(label=_("Link"), required=False)
    link_text = blocks.CharBlock(label=_("Linktext"), required=False, default="Weiterlesen")
    image = ImageChooserBlock(label=_("Bild"), required=False)
    image_alt = blocks.CharBlock(
        label=_("Alternativtext des Bildes"),
        required=False,
        help_text=_("Beschreibt, was das Bild zeigt; Pflicht, wenn ein Bild gewählt ist."),
    )

    class Meta:
        label = _("Anreißer")
        icon = "doc-full"

    def clean(self, value):
        value = super().clean(value)
        if value.get("item"):
            data = item_teaser(value["item"])
            for field in ("kicker", "title", "teaser", "url"):
                if not value.get(field) and data.get(field):
                    value[field] = data[field]
        errors = {}
        if not value.get("title"):
            errors["title"] = ValidationError(
                _("Bitte geben Sie einen Titel an oder wählen Sie einen Inhalt.")
            )
        if value.get("image") and not (value.get("image_alt") or "").strip():
            errors["image_alt"] = ValidationError(
                _("Bitte beschreiben Sie, was das Bild zeigt (Alternativtext).")
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def text(self, value):
        parts = []
        if value.get("kicker"):
            parts.append(value["kicker"].upper())
        parts.append(value.get("title") or "")
        if value.get("teaser"):
            parts.append(_wrap(value["teaser"]))
        if value.get("url"):
            parts.append(f"{value.get('link_text') or 'Weiterlesen'}: {value['url']}")
        return "\n".join(parts[:2]) + ("\n\n" + "\n\n".join(parts[2:]) if parts[2:] else "")


class SectionBlock(MailBlockMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift der Rubrik"))
    intro = blocks.TextBlock(label=_("Einleitung"), required=False)
    items = blocks.ListBlock(TeaserBlock(), label=_("Anreißer"), min_num=1)

    class Meta:
        label = _("Rubrik mit Anreißern")
        icon = "list-ul"
        template = "newsletter/blocks/section.html"

    def render_text(self, value):
        teaser = self.child_blocks["items"].child_block
        return _paragraphs(
            _underlined(value["heading"], "="),
            _wrap(value["intro"] or ""),
            *(teaser.text(item) for item in value["items"]),
        )


class TextBlock(MailBlockMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), required=False)
    body = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul"])

    class Meta:
        label = _("Text")
        icon = "pilcrow"
        template = "newsletter/blocks/text.html"

    def render_text(self, value):
        return _paragraphs(_underlined(value["heading"]), richtext_to_text(value["body"]))


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Zahl"), help_text=_("z. B. „über 4.600“"))
    label = blocks.CharBlock(label=_("Wofür"))


class FiguresBlock(MailBlockMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), default="In Zahlen")
    intro = blocks.TextBlock(label=_("Einleitung"), required=False)
    figures = blocks.ListBlock(FigureBlock(), label=_("Zahlen"), min_num=1)

    class Meta:
        label = _("In Zahlen")
        icon = "table"
        template = "newsletter/blocks/figures.html"

    def render_text(self, value):
        return _paragraphs(
            _underlined(value["heading"]),
            _wrap(value["intro"] or ""),
            "\n".join(f"- {f['value']}: {f['label']}" for f in value["figures"]),
        )


class CallToActionBlock(MailBlockMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), required=False)
    text = blocks.TextBlock(label=_("Text"), required=False)
    url = blocks.URLBlock(label=_("Link"))
    link_text = blocks.CharBlock(label=_("Beschriftung der Schaltfläche"))

    class Meta:
        label = _("Handlungsaufruf")
        icon = "link"
        template = "newsletter/blocks/cta.html"

    def render_text(self, value):
        return _paragraphs(
            value["heading"], _wrap(value["text"] or ""), f"{value['link_text']}: {value['url']}"
        )


class CampaignBodyBlock(blocks.StreamBlock):
    letter = LetterBlock()
    quote = QuoteBlock()
    section = SectionBlock()
    text = TextBlock()
    figures = FiguresBlock()
    call_to_action = CallToActionBlock()
