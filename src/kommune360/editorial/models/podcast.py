"""Kommunen-Podcast: an index (with the RSS feed) and episodes with transcript."""

import os
import uuid

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kommune360.core.forms import StoredFileInput
from kommune360.core.languages import in_shown_language, with_content_language
from kommune360.core.storage import private_storage

from .. import audio
from ..blocks import RICH_TEXT_FEATURES
from ..panels import DownloadStatsPanel
from .base import MetadataMixin

PER_PAGE = 10
NO_DURATION = _(
    "Die Dauer lässt sich nicht aus der Audiodatei lesen. Bitte tragen Sie sie in Sekunden ein."
)


def format_duration(seconds):
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def own_uuid(page, value, name):
    """The GUID of an alias (the English page that shows a German one) must be its
    own: Wagtail copies every field of the source onto the alias, GUIDs too. Derived
    from the translation key and the locale, so it stays the same at each update."""
    if page.alias_of_id:
        return uuid.uuid5(uuid.UUID(str(page.translation_key)), f"{name}-{page.locale_id}")
    return value


class PodcastIndexPage(MetadataMixin, Page):
    intro = models.TextField(_("Einleitung"), blank=True)
    author = models.CharField(_("Herausgeber:in"), max_length=200, default="Kommune 360°")
    owner_email = models.EmailField(_("Kontakt für Verzeichnisse"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Cover (quadratisch, mindestens 1400 px)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("iTunes-Kategorie"), max_length=100, default="Government")
    explicit = models.BooleanField(_("Enthält explizite Inhalte"), default=False)
    feed_guid = models.UUIDField(_("Podcast-GUID"), default=uuid.uuid4, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("owner_email"),
                FieldPanel("cover_image"),
                FieldPanel("category"),
                FieldPanel("explicit"),
            ],
            heading=_("Angaben für Podcast-Verzeichnisse"),
        ),
    ]
    subpage_types = ["editorial.EpisodePage"]
    parent_page_types = ["editorial.HomePage"]
    max_count = 1
    exclude_fields_in_copy = ["feed_guid"]
    schema_type = "CollectionPage"

    class Meta:
        verbose_name = _("Podcast")

    def save(self, *args, **kwargs):
        self.feed_guid = own_uuid(self, self.feed_guid, "feed")
        return super().save(*args, **kwargs)

    def episodes(self):
        return (
            with_content_language(EpisodePage.objects.live().public().child_of(self))
            .prefetch_related(
                Prefetch("guests", queryset=EpisodeGuest.objects.select_related("person"))
            )
            .order_by("-published", "-pk")
        )

    def get_share_image(self):
        return self.cover_image

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only where the list is rendered, not when it comes from the shared parts.
        context["episodes"] = SimpleLazyObject(
            lambda: Paginator(self.episodes(), PER_PAGE).get_page(request.GET.get("seite"))
        )
        context["feed_url"] = reverse("editorial:podcast_feed")
        return context

    def extra_structured_data(self, request):
        return {
            "@type": "PodcastSeries",
            "webFeed": request.build_absolute_uri(reverse("editorial:podcast_feed")),
        }


class EpisodePage(MetadataMixin, Page):
    published = models.DateTimeField(
        _("Erscheinungsdatum"),
        default=timezone.now,
        help_text=_("Reihenfolge im Feed und auf der Seite."),
    )
    teaser = models.TextField(_("Kurzbeschreibung"), max_length=400)
    # Served only by the download view, which counts (decision 0031): private storage.
    audio_file = models.FileField(
        _("Audiodatei"),
        upload_to="podcast/%Y/",
        storage=private_storage,
        max_length=255,
        help_text=_("MP3, M4A, OGG oder WAV, höchstens 300 MB."),
    )
    audio_size = models.PositiveBigIntegerField(
        _("Größe der Audiodatei in Bytes"), default=0, editable=False
    )
    duration = models.PositiveIntegerField(
        _("Dauer in Sekunden"),
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leer lassen: Die Dauer wird aus der Audiodatei gelesen."),
    )
    season = models.PositiveSmallIntegerField(_("Staffel"), null=True, blank=True)
    number = models.PositiveSmallIntegerField(_("Folge Nr."), null=True, blank=True)
    show_notes = RichTextField(_("Shownotes"), features=RICH_TEXT_FEATURES, blank=True)
    transcript = RichTextField(
        _("Transkript"),
        features=["bold", "italic", "h3", "link"],
        help_text=_(
            "Pflicht: Menschen, die nicht hören können, lesen die Folge hier. "
            "Sprecher:innen fett am Absatzanfang."
        ),
    )
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4, editable=False, unique=True)

    content_panels = [
        *Page.content_panels,
        DownloadStatsPanel(),
        FieldPanel("published"),
        FieldPanel("teaser"),
        MultiFieldPanel(
            [
                FieldPanel("audio_file", widget=StoredFileInput(attrs={"accept": audio.ACCEPT})),
                FieldPanel("duration"),
                FieldRowPanel([FieldPanel("season"), FieldPanel("number")]),
            ],
            heading=_("Audio"),
        ),
        InlinePanel("guests", label=_("Gäste")),
        FieldPanel("show_notes"),
        InlinePanel("chapters", label=_("Kapitel")),
        FieldPanel("transcript"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("show_notes"),
        index.SearchField("transcript"),
    ]
    parent_page_types = ["editorial.PodcastIndexPage"]
    subpage_types = []
    exclude_fields_in_copy = ["guid"]
    og_type = "music.song"
    schema_type = "PodcastEpisode"

    class Meta:
        verbose_name = _("Podcastfolge")
        verbose_name_plural = _("Podcastfolgen")

    def save(self, *args, **kwargs):
        self.guid = own_uuid(self, self.guid, "episode")
        return super().save(*args, **kwargs)

    @classmethod
    def latest(cls):
        return (
            with_content_language(in_shown_language(cls.objects.live().public()))
            .prefetch_related(
                Prefetch("guests", queryset=EpisodeGuest.objects.select_related("person"))
            )
            .order_by("-published", "-pk")
            .first()
        )

    def clean(self):
        super().clean()
        self.read_audio()

    def read_audio(self):
        """A new audio file: its kind and size are checked, its name gets the extension
        of its content, and its length fills an empty duration. A stored file fills an
        empty duration too. Raises ``ValidationError`` in German."""
        if not self.audio_file:
            return
        new = not self.audio_file._committed
        if not new and self.duration is not None:
            return
        try:
            info = audio.inspect(self.audio_file)
        except ValidationError as error:
            if new:
                raise ValidationError({"audio_file": error.messages}) from error
            raise ValidationError({"duration": NO_DURATION}) from error
        finally:
            if not new:
                self.audio_file.close()
        if new:
            self.audio_size = info.size
            self.audio_file.name = audio.file_name(self.audio_file.name, info.kind)
        if self.duration is None:
            self.duration = info.seconds

    def read_for_shared_parts(self, request):
        # The page, its structured data and the page meta, all in shared parts, read
        # the guests: read them once. (A preview keeps the edited, unsaved ones it holds.)
        if not getattr(request, "is_preview", False):
            prefetch_related_objects(
                [self],
                Prefetch("guests", queryset=EpisodeGuest.objects.select_related("person")),
                "chapters",
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guests"] = SimpleLazyObject(lambda: list(self.guests.all()))
        context["chapters"] = SimpleLazyObject(lambda: list(self.chapters.all()))
        parts = []
        if self.season:
            parts.append(_("Staffel %(season)s") % {"season": self.season})
        if self.number:
            parts.append(_("Folge %(number)s") % {"number": self.number})
        context["episode_label"] = ", ".join(str(p) for p in parts)
        return context

    def search_keywords(self):
        return [
            *(f"{guest.person.name} {guest.role}" for guest in self.guests.all()),
            *(chapter.title for chapter in self.chapters.all()),
        ]

    @property
    def visiting_guests(self):
        """The episode's guests without whoever hosts it (role "Moderation"), in order;
        uses the prefetched guests of a list."""
        return [guest for guest in self.guests.all() if guest.feed_role == "guest"]

    @property
    def duration_display(self):
        return format_duration(self.duration)

    @property
    def audio_extension(self):
        return os.path.splitext(self.audio_file.name)[1].lstrip(".").lower()

    @property
    def audio_type(self):
        return audio.MIME_TYPES.get(self.audio_extension, "application/octet-stream")

    @property
    def audio_url(self):
        return reverse("editorial:download", args=[self.pk, f"{self.slug}.{self.audio_extension}"])

    def get_share_image(self):
        parent = self.get_parent().specific
        return getattr(parent, "cover_image", None)

    def extra_structured_data(self, request):
        data = {
            "timeRequired": f"PT{self.duration}S",
            "associatedMedia": {
                "@type": "MediaObject",
                "contentUrl": request.build_absolute_uri(self.audio_url),
                "encodingFormat": self.audio_type,
                "contentSize": str(self.audio_size or ""),
            },
            "actor": [
                {"@type": "Person", "name": guest.person.name, "roleName": guest.role}
                for guest in self.guests.all()
            ],
        }
        if self.number:
            data["episodeNumber"] = self.number
        if self.season:
            data["partOfSeason"] = {"@type": "PodcastSeason", "seasonNumber": self.season}
        return data


class EpisodeGuest(Orderable):
    page = ParentalKey(EpisodePage, related_name="guests", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "core.Person", verbose_name=_("Person"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("Rolle in der Folge"),
        max_length=100,
        default="Gast",
        help_text=_("z. B. Gast, Moderation"),
    )

    panels = [FieldPanel("person"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("Gast")
        verbose_name_plural = _("Gäste")

    @property
    def feed_role(self):
        """Role from the Podcasting 2.0 taxonomy."""
        return "host" if self.role.lower().startswith(("moderation", "host")) else "guest"


class EpisodeChapter(Orderable):
    page = ParentalKey(EpisodePage, related_name="chapters", on_delete=models.CASCADE)
    start = models.PositiveIntegerField(_("Beginn (Sekunden)"))
    title = models.CharField(_("Titel"), max_length=200)

    panels = [FieldPanel("start"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("Kapitel")
        verbose_name_plural = _("Kapitel")

    @property
    def start_display(self):
        return format_duration(self.start)
