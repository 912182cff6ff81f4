"""K360-Magazin: an index with topic filter and articles."""

import functools
import math

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from kommune360.core.languages import in_shown_language, with_content_language

from ..blocks import ArticleStreamBlock
from .base import READING_TIME_HELP, READING_WORDS_PER_MINUTE, MetadataMixin

PER_PAGE = 10


class MagazineIndexPage(MetadataMixin, Page):
    intro = models.TextField(_("Einleitung"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["editorial.ArticlePage"]
    parent_page_types = ["editorial.HomePage"]
    schema_type = "CollectionPage"

    class Meta:
        verbose_name = _("Magazin")

    def articles(self):
        return (
            with_content_language(ArticlePage.objects.live().public().child_of(self))
            .select_related("image")
            .prefetch_related(
                "topics",
                Prefetch("authors", queryset=ArticleAuthor.objects.select_related("person")),
                Prefetch("image", queryset=get_image_model().objects.prefetch_renditions()),
            )
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        from kommune360.core.models import Topic

        context = super().get_context(request, *args, **kwargs)

        @functools.cache
        def listing():
            articles = self.articles()
            topics = list(Topic.objects.filter(articles__live=True).distinct())
            current_topic = None
            if slug := request.GET.get("thema"):
                current_topic = next((t for t in topics if t.slug == slug), None)
                if current_topic is not None:
                    articles = articles.filter(topics=current_topic)
            page = Paginator(articles, PER_PAGE).get_page(request.GET.get("seite"))
            return page, topics, current_topic

        # Read only where the list is rendered, not when it comes from the shared parts.
        context["articles"] = SimpleLazyObject(lambda: listing()[0])
        context["topics"] = SimpleLazyObject(lambda: listing()[1])
        context["current_topic"] = SimpleLazyObject(lambda: listing()[2])
        return context


class ArticlePage(MetadataMixin, Page):
    date = models.DateField(_("Datum"), default=timezone.localdate)
    teaser = models.TextField(_("Anreißer"), max_length=400)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Titelbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("Alternativtext des Titelbilds"),
        max_length=300,
        blank=True,
        help_text=_("Pflicht, wenn ein Titelbild gewählt ist."),
    )
    body = StreamField(ArticleStreamBlock(), verbose_name=_("Inhalt"))
    topics = ParentalManyToManyField(
        "core.Topic", verbose_name=_("Themen"), blank=True, related_name="articles"
    )
    reading_time = models.PositiveSmallIntegerField(
        _("Lesezeit (Minuten)"), default=1, editable=False, help_text=READING_TIME_HELP
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("teaser"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Titelbild")),
        InlinePanel("authors", label=_("Autor:innen")),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["editorial.MagazineIndexPage"]
    subpage_types = []
    og_type = "article"
    schema_type = "Article"

    class Meta:
        verbose_name = _("Magazinartikel")
        verbose_name_plural = _("Magazinartikel")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {
                    "image_alt": _(
                        "Bitte beschreiben Sie das Titelbild für Menschen, die es nicht sehen."
                    )
                }
            )

    def save(self, *args, **kwargs):
        self.reading_time = self.compute_reading_time()
        return super().save(*args, **kwargs)

    def read_for_shared_parts(self, request):
        # Byline, topic badges and the structured data, all in shared parts, read
        # authors and topics: read them once. (A preview keeps the edited, unsaved ones
        # it holds.)
        if not getattr(request, "is_preview", False):
            prefetch_related_objects(
                [self],
                Prefetch("authors", queryset=ArticleAuthor.objects.select_related("person")),
                "topics",
            )

    def compute_reading_time(self):
        words = len(strip_tags(self.teaser).split())
        for block in self.body:
            if block.block_type == "paragraph":
                words += len(strip_tags(block.value.source).split())
            elif block.block_type in ("heading", "quote"):
                words += len(str(block.value.get("text", "")).split())
            elif block.block_type == "fact_box":
                words += len(strip_tags(block.value["text"].source).split())
        return max(1, math.ceil(words / READING_WORDS_PER_MINUTE))

    @classmethod
    def latest(cls, count=3):
        return list(
            with_content_language(in_shown_language(cls.objects.live().public()))
            .select_related("image")
            .prefetch_related(
                Prefetch("image", queryset=get_image_model().objects.prefetch_renditions())
            )
            .order_by("-date", "-pk")[:count]
        )

    def search_keywords(self):
        return [*self.author_names(), *(topic.name for topic in self.topics.all())]

    def author_names(self):
        return [author.person.name for author in self.authors.all()]

    def extra_structured_data(self, request):
        return {
            "headline": self.title,
            "author": [
                {"@type": "Person", "name": author.person.name} for author in self.authors.all()
            ],
            "about": [topic.name for topic in self.topics.all()],
            "timeRequired": f"PT{self.reading_time}M",
        }


class ArticleAuthor(Orderable):
    page = ParentalKey(ArticlePage, related_name="authors", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "core.Person", verbose_name=_("Person"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("Autor:in")
        verbose_name_plural = _("Autor:innen")
