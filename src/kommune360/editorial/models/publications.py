"""Publikationen: the network's own (with a file) and recommendations of others'."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from kommune360.core.fields import URLField
from kommune360.core.languages import with_content_language

from ..blocks import RICH_TEXT_FEATURES
from ..panels import DownloadStatsPanel
from .base import MetadataMixin

PER_PAGE = 10
FILE_TYPES = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument (ODT)"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint (PPTX)",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
    "csv": ("text/csv", "CSV"),
    "txt": ("text/plain", "Text"),
    "zip": ("application/zip", "ZIP"),
}


class PublicationIndexPage(MetadataMixin, Page):
    intro = models.TextField(_("Einleitung"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["editorial.PublicationPage"]
    parent_page_types = ["editorial.HomePage"]
    schema_type = "CollectionPage"

    class Meta:
        verbose_name = _("Publikationen")

    def publications(self):
        return (
            with_content_language(PublicationPage.objects.live().public().child_of(self))
            .select_related("document")
            .order_by("-year", "-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("art")
        if kind not in PublicationPage.Kind.values:
            kind = None

        def publications():
            chosen = self.publications()
            return chosen.filter(kind=kind) if kind else chosen

        # Read only where the list is rendered, not when it comes from the shared parts.
        context["publications"] = SimpleLazyObject(
            lambda: Paginator(publications(), PER_PAGE).get_page(request.GET.get("seite"))
        )
        context["kinds"] = PublicationPage.Kind.choices
        context["current_kind"] = kind
        return context


class PublicationPage(MetadataMixin, Page):
    class Kind(models.TextChoices):
        OWN = "own", _("Eigene Publikation")
        RECOMMENDATION = "recommendation", _("Empfehlung")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OWN)
    teaser = models.TextField(_("Kurzbeschreibung"), max_length=400)
    description = RichTextField(_("Beschreibung"), features=RICH_TEXT_FEATURES, blank=True)
    year = models.PositiveSmallIntegerField(_("Erscheinungsjahr"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Datei (PDF bevorzugt)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    publisher = models.CharField(_("Herausgeber:in"), max_length=200, blank=True)
    external_url = URLField(_("Link zur Publikation"), blank=True)

    content_panels = [
        *Page.content_panels,
        DownloadStatsPanel(),
        FieldPanel("kind"),
        FieldPanel("teaser"),
        FieldPanel("year"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("document")], heading=_("Eigene Publikation")),
        MultiFieldPanel(
            [FieldPanel("publisher"), FieldPanel("external_url")],
            heading=_("Empfehlung einer fremden Publikation"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("description"),
        index.SearchField("publisher"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["editorial.PublicationIndexPage"]
    subpage_types = []
    schema_type = "CreativeWork"

    class Meta:
        verbose_name = _("Publikation")
        verbose_name_plural = _("Publikationen")

    def clean(self):
        super().clean()
        if self.kind == self.Kind.OWN and not self.document_id:
            raise ValidationError({"document": _("Eine eigene Publikation braucht eine Datei.")})
        if self.kind == self.Kind.RECOMMENDATION:
            errors = {}
            if not self.publisher:
                errors["publisher"] = _("Bitte geben Sie an, wer die Publikation herausgibt.")
            if not self.external_url:
                errors["external_url"] = _("Bitte geben Sie den Link zur Publikation an.")
            if errors:
                raise ValidationError(errors)

    def search_keywords(self):
        return [self.publisher]

    @property
    def is_own(self):
        return self.kind == self.Kind.OWN

    @property
    def file_extension(self):
        return self.document.file_extension.lower() if self.document_id else ""

    @property
    def file_type(self):
        return FILE_TYPES.get(self.file_extension, ("application/octet-stream", ""))[0]

    @property
    def file_format(self):
        return FILE_TYPES.get(self.file_extension, ("", self.file_extension.upper()))[1]

    @property
    def file_size(self):
        return self.document.file_size if self.document_id else None

    @property
    def download_url(self):
        if not self.document_id:
            return ""
        return reverse("editorial:download", args=[self.pk, f"{self.slug}.{self.file_extension}"])

    def extra_structured_data(self, request):
        data = {"copyrightYear": self.year}
        if self.is_own:
            data["publisher"] = {"@type": "Organization", "name": self.publisher or "Kommune 360°"}
            if self.document_id:
                data["encoding"] = {
                    "@type": "MediaObject",
                    "contentUrl": request.build_absolute_uri(self.download_url),
                    "encodingFormat": self.file_type,
                    "contentSize": str(self.file_size or ""),
                }
        else:
            data["publisher"] = {"@type": "Organization", "name": self.publisher}
            data["sameAs"] = self.external_url
        return data
