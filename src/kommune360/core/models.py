from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.search import index

from .fields import URLField
from .languages import active_language
from .text import slugify_de

# --- Shared taxonomy ---------------------------------------------------------------------


class NamedInEnglishToo(models.Model):
    """A German ``name`` with an optional English one for the English pages: the
    shared taxonomy, newsletter topics, any list of terms editors keep."""

    name_en = models.CharField(
        _("Name auf Englisch"),
        max_length=120,
        blank=True,
        help_text=_(
            "Für die englischen Seiten. Leer gelassen steht dort der deutsche Name "
            "(als deutscher Text ausgezeichnet)."
        ),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name in the language of the page: the English one on English pages if
        an editor gave one, otherwise the German one (marked ``lang="de"`` there,
        ``content_language``)."""
        if self.name_en and active_language() == "en":
            return self.name_en
        return self.name

    @property
    def content_language(self):
        """The language ``display_name`` is in (``core.languages.content_language``)."""
        return "en" if self.name_en and active_language() == "en" else "de"


class TaxonomyTerm(index.Indexed, NamedInEnglishToo):
    """A term of the shared vocabulary: editors keep it, every app filters by it."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=120, unique=True, allow_unicode=False)
    description = models.TextField(_("Beschreibung"), blank=True)
    sort_order = models.PositiveIntegerField(_("Reihenfolge"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_en"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify_de(self.name)[:120]
        super().save(*args, **kwargs)


class Topic(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")


class Method(TaxonomyTerm):
    is_innovative = models.BooleanField(
        _("innovative Methode"),
        default=False,
        help_text=_(
            "Zählt in der Analyse zu den neuen Arbeitsformen "
            "(z. B. Agilität, Design Thinking, New Work)."
        ),
    )

    panels = [*TaxonomyTerm.panels, FieldPanel("is_innovative")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Methode")
        verbose_name_plural = _("Methoden")


class TargetGroup(TaxonomyTerm):
    is_municipal = models.BooleanField(
        _("kommunale Zielgruppe"),
        default=True,
        help_text=_("Menschen, die in einer Kommunalverwaltung arbeiten."),
    )

    panels = [*TaxonomyTerm.panels, FieldPanel("is_municipal")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")


class Format(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Format")
        verbose_name_plural = _("Formate")


# --- Municipalities ----------------------------------------------------------------------


class State(models.TextChoices):
    """The 16 Länder with their two-digit key, the first part of every AGS."""

    SH = "01", "Schleswig-Holstein"
    HH = "02", "Hamburg"
    NI = "03", "Niedersachsen"
    HB = "04", "Bremen"
    NW = "05", "Nordrhein-Westfalen"
    HE = "06", "Hessen"
    RP = "07", "Rheinland-Pfalz"
    BW = "08", "Baden-Württemberg"
    BY = "09", "Bayern"
    SL = "10", "Saarland"
    BE = "11", "Berlin"
    BB = "12", "Brandenburg"
    MV = "13", "Mecklenburg-Vorpommern"
    SN = "14", "Sachsen"
    ST = "15", "Sachsen-Anhalt"
    TH = "16", "Thüringen"


class Municipality(index.Indexed, models.Model):
    """A Kommune, identified by its Amtlicher Gemeindeschlüssel.

    Kreise have a five-digit key (Land, Regierungsbezirk, Kreis), Gemeinden the full
    eight digits. Imported from the Destatis GV100AD file (``import_gv100ad``).
    """

    class Kind(models.TextChoices):
        GEMEINDE = "gemeinde", _("Gemeinde")
        STADT = "stadt", _("Stadt")
        KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")
        LANDKREIS = "landkreis", _("Landkreis")
        KREIS = "kreis", _("Kreis")
        STADTSTAAT = "stadtstaat", _("Stadtstaat")
        REGIONALVERBAND = "regionalverband", _("Regionalverband")

    ags = models.CharField(_("AGS"), max_length=8, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("Land"), max_length=2, choices=State.choices)
    district = models.ForeignKey(
        "self",
        verbose_name=_("Kreis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="municipalities",
    )
    population = models.PositiveIntegerField(_("Einwohner:innen"), null=True, blank=True)
    postal_code = models.CharField(_("PLZ"), max_length=5, blank=True)
    territorial_status = models.DateField(_("Gebietsstand"), null=True, blank=True)

    panels = [
        FieldPanel("ags"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("state"),
        FieldPanel("district"),
        FieldPanel("population"),
        FieldPanel("postal_code"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("state"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


# --- The network -----------------------------------------------------------------------


class SynonymGroup(models.Model):
    """Words that mean the same thing to the people who search (``core.synonyms``).

    A search for one of them also finds offers and pages that use another one, in the
    Angebotsatlas and in the site search alike. Editors keep the groups in the admin.
    """

    name = models.CharField(_("Bezeichnung"), max_length=100)
    terms = models.TextField(
        _("Begriffe"),
        help_text=_(
            "Ein Begriff pro Zeile, auch aus mehreren Wörtern (z. B. „agile Methoden“). "
            "Gebeugte Formen findet die Suche von selbst."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("terms")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Gruppe gleichbedeutender Suchbegriffe")
        verbose_name_plural = _("Gleichbedeutende Suchbegriffe")

    def __str__(self):
        return self.name

    @property
    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


class Supporter(models.Model):
    """An organisation behind the network, named in the footer."""

    name = models.CharField(_("Name"), max_length=200)
    url = URLField(_("Website"), blank=True)
    sort_order = models.PositiveIntegerField(_("Reihenfolge"), default=100)

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Träger:in")
        verbose_name_plural = _("Träger:innen")

    def __str__(self):
        return self.name


class Person(index.Indexed, models.Model):
    """Someone the network names publicly: a guest, a quoted participant, a speaker."""

    name = models.CharField(_("Name"), max_length=200)
    role = models.CharField(_("Funktion"), max_length=200, blank=True)
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("Kommune"), null=True, blank=True, on_delete=models.SET_NULL
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("municipality"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")

    def __str__(self):
        return self.name

    @property
    def affiliation(self):
        return ", ".join(
            part
            for part in (
                self.role,
                self.organisation or (self.municipality and self.municipality.name),
            )
            if part
        )


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Name, logo and legal pages of the network that runs this instance."""

    network_name = models.CharField(_("Name des Netzwerks"), max_length=120, default="Kommune 360°")
    tagline = models.CharField(_("Untertitel"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Steht im Kopf jeder Seite. Ohne eigenes Logo zeigt die Seite das Zeichen "
            "von kommune360."
        ),
    )
    icon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Symbol im Browser-Tab (Favicon)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Ein quadratisches Bild, mindestens 180 × 180 Pixel."),
    )
    notice = models.CharField(
        _("Hinweis auf jeder Seite"),
        max_length=300,
        blank=True,
        help_text=_(
            "Erscheint über dem Inhalt jeder Seite, etwa „Dies ist eine Demo“ oder eine "
            "Wartungsankündigung. Leer: kein Hinweis."
        ),
    )
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    imprint_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Impressum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Datenschutz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Erklärung zur Barrierefreiheit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Every page shows the logo and links the legal pages: load them with the settings.
    select_related = ["logo", "icon", "imprint_page", "privacy_page", "accessibility_page"]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("network_name"),
                FieldPanel("tagline"),
                FieldPanel("logo"),
                FieldPanel("icon"),
                FieldPanel("notice"),
            ],
            heading=_("Netzwerk"),
        ),
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [
                FieldPanel("imprint_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Pflichtseiten im Fußbereich"),
        ),
    ]

    class Meta:
        verbose_name = _("Netzwerk-Einstellungen")


# --- Audit log ---------------------------------------------------------------------------


class AuditEntry(models.Model):
    """Who did what to which object, and when (written by ``core.audit.log_action``)."""

    # The log points at objects but is no "usage" of them; keep it out of Wagtail's
    # reference index (which would cost several queries per entry).
    wagtail_reference_index_ignore = True

    timestamp = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("Aktion"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("Objekt"), max_length=255, blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


# --- Outgoing mail -------------------------------------------------------------------------


class OutgoingMail(models.Model):
    """A message waiting for the task worker (``core.mail``).

    The row holds the finished message until it is delivered, then it is deleted: no
    copy of a delivered mail (and of its recipient address) stays in the database.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("wartet")
        FAILED = "failed", _("fehlgeschlagen")

    created = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    subject = models.CharField(max_length=255)
    to = models.JSONField()
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    attachments = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")

    def __str__(self):
        return self.subject


class ImportJob(models.Model):
    """What every file import run by a task records (abstract): who uploaded which file,
    dry run or not, its state, progress (rows done of rows total), what was created, the
    problems per row and a failure text. The newsletter and the atlas extend it; a
    concrete job says which task runs it (``enqueue``). ``core.imports`` runs jobs and
    queues again those whose worker died (``heartbeat``, ``attempts``)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("abgebrochen")

    created = models.DateTimeField(_("angelegt"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField(_("Datei"), max_length=255, blank=True)
    dry_run = models.BooleanField(_("nur prüfen"), default=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life: queued, taken by a worker, progress.
    heartbeat = models.DateTimeField(null=True, blank=True)
    # Runs started; a run may change the job only while it is the latest one.
    attempts = models.PositiveSmallIntegerField(default=0)

    # The field of a concrete job that keeps the uploaded file while it is needed.
    file_field = ""
    # What the uploaded file may be (``core.uploads.TableSpec``: kinds, size, rows).
    upload = None
    # Why a dry run cannot become the import („Jetzt importieren“, ``core.imports``).
    not_importable = _("Nur ein abgeschlossener Probelauf kann importiert werden.")
    # The admin screens of a concrete job: one job (URL name taking its pk), the upload
    # page, and the permission they need; the dashboard's import panel links there.
    admin_url_name = ""
    admin_start_url_name = ""
    admin_permission = ""

    class Meta:
        abstract = True
        ordering = ["-created"]

    def __str__(self):
        return f"{self.filename or self.pk} ({self.get_state_display()})"

    def enqueue(self):
        """Hand the job to the task that runs it."""
        raise NotImplementedError

    @classmethod
    def recent(cls, count=10):
        """The last jobs, for the import screen (without their files and problems)."""
        fields = [name for name in (cls.file_field, "errors") if name]
        return cls.objects.select_related("actor").defer(*fields)[:count]

    @classmethod
    def without_file(cls) -> dict:
        """The update that drops the job's copy of the uploaded file (``file_field``)."""
        if not cls.file_field:
            return {}
        field = cls._meta.get_field(cls.file_field)
        return {cls.file_field: b"" if isinstance(field, models.BinaryField) else ""}

    @property
    def retry(self) -> int:
        """The number of the run under way or waiting when earlier runs were
        interrupted (2, 3, …); 0 for a first run or a finished job."""
        if self.finished:
            return 0
        number = self.attempts + (1 if self.state == self.State.QUEUED else 0)
        return number if number > 1 else 0

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def run_label(self):
        """What the job is called on its screens: a dry run or the import."""
        return _("Probelauf") if self.dry_run else _("Import")

    @property
    def percent(self):
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0


from .certificates import Certificate  # noqa: E402, F401  (shared certificate machinery)
