from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ContentStreamBlock, HomeStreamBlock
from .base import MetadataMixin


class HomePage(MetadataMixin, Page):
    """The start page: the network in a few sentences, then editable sections."""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(HomeStreamBlock(), verbose_name=_("Abschnitte"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    schema_type = "WebSite"

    class Meta:
        verbose_name = _("Startseite")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Sections of other apps the editors have not placed follow theirs.
        # (From the stored data: turning the body into blocks reads every chosen page
        # and image, which only the shared part that renders the body needs.)
        context["placed_sections"] = [
            block["value"]["section"] for block in self.body.raw_data if block["type"] == "section"
        ]
        return context


class ContentPage(MetadataMixin, Page):
    """A page of text, e.g. Impressum, Datenschutz, Erklärung zur Barrierefreiheit."""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("Inhaltsseite")
