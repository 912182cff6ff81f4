"""Support offers (Angebote) for municipal staff and their providers (Anbieter:innen).

State changes (submit, review, publish, archive, confirm) live in ``services``; the
German search text (``OfferSearchText``) is written by ``search``.
"""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from kommune360.core.dates import local_date
from kommune360.core.fields import URLField
from kommune360.core.models import (
    Format,
    ImportJob,
    Method,
    Municipality,
    State,
    TargetGroup,
    Topic,
)
from kommune360.core.text import SlugPool, unique_slug
from kommune360.core.uploads import TableSpec

# Slugs the URLs of /angebote/ use for themselves; no offer may take them.
RESERVED_SLUGS = {"analyse", "export", "verwalten", "neu", "anbieter-werden"}

STALE_AFTER = timedelta(days=365)
RICH_TEXT = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class Provider(models.Model):
    """An organisation that offers support; its accounts may maintain its offers."""

    class Type(models.TextChoices):
        FOUNDATION = "stiftung", _("Stiftung")
        ASSOCIATION = "verein", _("Verein")
        STATE = "land", _("Land")
        FEDERAL = "bund", _("Bund")
        MUNICIPAL_ASSOCIATION = "spitzenverband", _("kommunaler Spitzenverband")
        UNIVERSITY = "hochschule", _("Hochschule")
        COMPANY = "unternehmen", _("Unternehmen")
        INITIATIVE = "initiative", _("Initiative")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=200, unique=True)
    type = models.CharField(_("Art"), max_length=20, choices=Type.choices)
    website = URLField(_("Website"), blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    maintainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konten, die die Angebote pflegen"),
        blank=True,
        related_name="atlas_providers",
        help_text=_("Diese Konten brauchen die Rolle „Anbieter:in“."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("type"),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("maintainers"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Anbieter:in")
        verbose_name_plural = _("Anbieter:innen")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Provider, self.name, exclude_pk=self.pk, fallback="angebot", reserved=RESERVED_SLUGS
            )
        super().save(*args, **kwargs)


class ProviderRequest(models.Model):
    """A member asks to maintain the offers of an organisation: a provider in the atlas,
    or a new one they propose by name. Editors approve (the account gets the provider
    role for it) or decline; ``provider_requests`` holds the steps."""

    class Status(models.TextChoices):
        OPEN = "offen", _("offen")
        APPROVED = "angenommen", _("angenommen")
        DECLINED = "abgelehnt", _("abgelehnt")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        related_name="atlas_provider_requests",
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("Anbieter:in"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requests",
    )
    name = models.CharField(_("Name der neuen Organisation"), max_length=200, blank=True)
    website = URLField(_("Website der Organisation"), blank=True)
    note = models.TextField(_("Notiz für die Redaktion"), max_length=1000, blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    reason = models.TextField(_("Nachricht der Redaktion"), max_length=1000, blank=True)
    created = models.DateTimeField(_("gestellt am"), default=timezone.now)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entschieden von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("Anfrage als Anbieter:in")
        verbose_name_plural = _("Anfragen als Anbieter:in")
        constraints = [
            # One open request per person and organisation (the service says so first).
            models.UniqueConstraint(
                fields=["user", "provider"],
                condition=models.Q(status="offen", provider__isnull=False),
                name="atlas_request_one_open_per_provider",
            ),
            models.UniqueConstraint(
                models.F("user"),
                Lower("name"),
                condition=models.Q(status="offen", provider__isnull=True),
                name="atlas_request_one_open_per_new_name",
            ),
            models.CheckConstraint(
                condition=models.Q(provider__isnull=False) | ~models.Q(name=""),
                name="atlas_request_names_an_organisation",
            ),
        ]

    def __str__(self):
        return str(_("Anfrage für %(name)s") % {"name": self.organisation_name})

    @property
    def organisation_name(self):
        return self.provider.name if self.provider_id else self.name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


def dates_text(ongoing, start_date, end_date, dates_note) -> str:
    """When an offer takes place, as the site writes it (``Offer.dates_display``; the
    API's list calls it with the values of a row)."""
    if ongoing:
        return gettext("laufend")
    if start_date and end_date and end_date != start_date:
        start = local_date(start_date, "SHORT_DATE_FORMAT")
        return f"{start} – {local_date(end_date, 'SHORT_DATE_FORMAT')}"
    if start_date:
        return local_date(start_date, "SHORT_DATE_FORMAT")
    return dates_note


class Offer(models.Model):
    """A support offer, with the facts an employer needs to approve the training."""

    class Status(models.TextChoices):
        DRAFT = "entwurf", _("Entwurf")
        SUBMITTED = "eingereicht", _("eingereicht")
        PUBLISHED = "veroeffentlicht", _("veröffentlicht")
        ARCHIVED = "archiviert", _("archiviert")

    class Delivery(models.TextChoices):
        ONLINE = "online", _("online")
        ON_SITE = "praesenz", _("Präsenz")
        HYBRID = "hybrid", _("hybrid")

    class Region(models.TextChoices):
        NATIONWIDE = "bundesweit", _("bundesweit")
        STATE = "land", _("Land")
        MUNICIPALITY = "kommune", _("Kommune")

    class Cost(models.TextChoices):
        FREE = "kostenfrei", _("kostenfrei")
        AMOUNT = "betrag", _("Betrag in Euro")
        ON_REQUEST = "auf_anfrage", _("auf Anfrage")

    class CostBand(models.TextChoices):
        FREE = "kostenfrei", _("kostenfrei")
        UP_TO_100 = "bis-100", _("bis 100 €")
        UP_TO_500 = "bis-500", _("101 bis 500 €")
        OVER_500 = "ueber-500", _("über 500 €")
        ON_REQUEST = "auf-anfrage", _("auf Anfrage")

    class Language(models.TextChoices):
        GERMAN = "de", _("Deutsch")
        ENGLISH = "en", _("Englisch")
        BOTH = "de-en", _("Deutsch und Englisch")

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kürzel"), max_length=200, unique=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    provider = models.ForeignKey(
        Provider, verbose_name=_("Anbieter:in"), on_delete=models.PROTECT, related_name="offers"
    )
    methods = models.ManyToManyField(Method, verbose_name=_("Methoden"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("Zielgruppen"), blank=True)
    format = models.ForeignKey(
        Format, verbose_name=_("Format"), on_delete=models.PROTECT, related_name="+"
    )
    delivery = models.CharField(
        _("Durchführung"), max_length=10, choices=Delivery.choices, default=Delivery.ONLINE
    )
    region = models.CharField(
        _("Region"), max_length=10, choices=Region.choices, default=Region.NATIONWIDE
    )
    state = models.CharField(
        _("Land"),
        max_length=2,
        choices=State.choices,
        blank=True,
        help_text=_("Nur bei Angeboten für ein Land."),
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Nur bei Angeboten für eine Kommune."),
    )
    cost = models.CharField(_("Kosten"), max_length=12, choices=Cost.choices, default=Cost.FREE)
    cost_amount = models.DecimalField(
        _("Betrag in Euro"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    cost_band = models.CharField(
        _("Kostenrahmen"), max_length=12, choices=CostBand.choices, editable=False, db_index=True
    )
    duration_hours = models.DecimalField(
        _("Dauer in Stunden"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    ongoing = models.BooleanField(_("laufend"), default=False)
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    dates_note = models.CharField(_("Hinweis zu den Terminen"), max_length=200, blank=True)
    language = models.CharField(
        _("Sprache"), max_length=5, choices=Language.choices, default=Language.GERMAN
    )
    website = URLField(_("Website"), blank=True)
    contact = models.CharField(
        _("Kontakt"),
        max_length=200,
        blank=True,
        help_text=_("Funktionsadresse oder Telefonnummer, keine privaten Daten."),
    )
    # The facts an employer asks for before approving training (Fortbildungsantrag).
    certificate = models.BooleanField(_("Teilnahmebescheinigung"), default=False)
    learning_goals = models.TextField(_("Lernziele"), blank=True)
    accreditation = models.CharField(
        _("Anerkennung/Akkreditierung"),
        max_length=200,
        blank=True,
        help_text=_("z. B. als Bildungsurlaub anerkannt, Fortbildungspunkte"),
    )

    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    rejection_reason = models.TextField(_("Grund der Zurückweisung"), blank=True)
    last_checked = models.DateField(_("zuletzt geprüft"), null=True, blank=True)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    created = models.DateTimeField(_("angelegt"), default=timezone.now)
    updated = models.DateTimeField(_("geändert"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent = models.DateField(_("Erinnerung gesendet"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("provider"),
        MultiFieldPanel(
            [
                FieldPanel("methods", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("format"),
            ],
            heading=_("Einordnung"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("delivery"), FieldPanel("language")]),
                FieldRowPanel([FieldPanel("region"), FieldPanel("state")]),
                FieldPanel("municipality"),
                FieldRowPanel([FieldPanel("cost"), FieldPanel("cost_amount")]),
                FieldPanel("duration_hours"),
                FieldRowPanel(
                    [FieldPanel("ongoing"), FieldPanel("start_date"), FieldPanel("end_date")]
                ),
                FieldPanel("dates_note"),
                FieldRowPanel([FieldPanel("website"), FieldPanel("contact")]),
            ],
            heading=_("Rahmen"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("certificate"),
                FieldPanel("learning_goals"),
                FieldPanel("accreditation"),
            ],
            heading=_("Für den Fortbildungsantrag"),
        ),
        MultiFieldPanel(
            [FieldPanel("last_checked"), FieldPanel("rejection_reason", read_only=True)],
            heading=_("Prüfung"),
        ),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["status", "last_checked"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Offer, self.title, exclude_pk=self.pk, fallback="angebot", reserved=RESERVED_SLUGS
            )
        self.cost_band = self.compute_cost_band()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "cost" in update_fields:
            kwargs["update_fields"] = {*update_fields, "cost_band"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("atlas:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.cost == self.Cost.AMOUNT and self.cost_amount is None:
            errors["cost_amount"] = _("Bitte geben Sie den Betrag in Euro an.")
        if self.region == self.Region.STATE and not self.state:
            errors["state"] = _("Bitte wählen Sie das Land, für das das Angebot gilt.")
        if self.region == self.Region.MUNICIPALITY and not self.municipality_id:
            errors["municipality"] = _("Bitte wählen Sie die Kommune, für die das Angebot gilt.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Das Ende liegt vor dem Beginn.")
        if errors:
            raise ValidationError(errors)

    def compute_cost_band(self):
        if self.cost == self.Cost.FREE:
            return self.CostBand.FREE
        if self.cost == self.Cost.ON_REQUEST or self.cost_amount is None:
            return self.CostBand.ON_REQUEST
        if self.cost_amount <= 0:
            return self.CostBand.FREE
        if self.cost_amount <= 100:
            return self.CostBand.UP_TO_100
        if self.cost_amount <= 500:
            return self.CostBand.UP_TO_500
        return self.CostBand.OVER_500

    @property
    def cost_display(self):
        if self.cost == self.Cost.AMOUNT and self.cost_amount is not None:
            # 1.234,50 € on German pages, 1,234.50 € on English ones; whole euros bare.
            whole = self.cost_amount == self.cost_amount.to_integral_value()
            places = 0 if whole else 2
            return f"{number_format(self.cost_amount, places, force_grouping=True)} €"
        return self.get_cost_display()

    @property
    def region_display(self):
        if self.region == self.Region.STATE and self.state:
            return self.get_state_display()
        if self.region == self.Region.MUNICIPALITY and self.municipality_id:
            return self.municipality.name
        return self.get_region_display()

    @property
    def dates_from_note(self):
        """Whether ``dates_display`` is the provider's own note (text in its language)."""
        return bool(not self.ongoing and not self.start_date and self.dates_note)

    @property
    def dates_display(self):
        return dates_text(self.ongoing, self.start_date, self.end_date, self.dates_note)

    @property
    def is_stale(self):
        if self.last_checked is None:
            return True
        return self.last_checked < timezone.localdate() - STALE_AFTER

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @classmethod
    def site_search(cls, queryset, query):
        """Offers of ``queryset`` for the site search (/suche/), best first, with ``relevance``.

        The atlas's own German index, so the site search finds offers as the list does.
        """
        from kommune360.core.synonyms import parse_query

        from .search import annotate_relevance, filter_queryset

        parsed = parse_query(query)
        if not parsed:
            return queryset.none()
        found = annotate_relevance(filter_queryset(queryset, parsed), parsed)
        return found.order_by("-matched", "-relevance", "title")


class OfferSearchText(models.Model):
    """The stemmed words of an offer, as the database's full-text index sees them.

    Written only by ``search.index_offers``: ``heavy`` holds the stems of the title and
    the provider's name, ``light`` all other stems (each stem once). On SQLite the FTS5
    table ``atlas_offer_fts`` follows this table through triggers; on PostgreSQL the
    generated column ``document`` (a weighted ``tsvector`` with a GIN index) does. Both
    are created by migration 0003 and are unknown to the ORM.
    """

    offer = models.OneToOneField(
        Offer, primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    heavy = models.TextField(blank=True)
    light = models.TextField(blank=True)

    def __str__(self):
        return f"{self.heavy} | {self.light}"


class SearchState(models.Model):
    """One row: a random token that changes with every change to the published offers'
    facets, sort keys or search text; ``facet_index`` rebuilds its snapshot when it
    differs (written in the changing transaction, so it is as current as the data)."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    token = models.CharField(max_length=32)
    # When the token last changed: no offer's answer in the API (its provider, terms
    # and municipality included) changed later.
    changed = models.DateTimeField(auto_now=True, null=True)

    def __str__(self):
        return self.token


class AnalysisText(models.Model):
    """The editors' interpretation beside the figures of the landscape analysis."""

    title = models.CharField(_("Titel"), max_length=200, default="Landschaftsanalyse")
    introduction = RichTextField(_("Einleitung"), blank=True, features=RICH_TEXT)
    body = RichTextField(_("Interpretation"), blank=True, features=RICH_TEXT)
    updated = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Text der Analyse")
        verbose_name_plural = _("Texte der Analyse")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("atlas:analysis")

    @classmethod
    def current(cls):
        """The text shown on the analysis page: the first one, created if there is none.

        The analysis page always has this object, so contributions (Mitdenken) to the
        analysis and its sections have a target even before an editor writes a text.
        """
        text = cls.objects.order_by("pk").first()
        if text is None:
            text = cls.objects.create(title=str(_("Landschaftsanalyse")))
        return text

    @property
    def is_public(self):
        """Only the text the analysis page shows takes contributions."""
        return type(self).objects.order_by("pk").values_list("pk", flat=True).first() == self.pk


class OfferImportJob(ImportJob):
    """One CSV/XLSX import of offers (or its dry run), processed by a task.

    ``content`` keeps the uploaded file so that a clean dry run can become the real
    import without a second upload (``services.import_checked_file``); it is emptied
    when the real import has run. ``errors`` lists every problem as [row, column,
    message] (row 0: the file as a whole); ``created_count`` counts the offers created
    (a clean dry run: the offers ready to import).
    """

    started_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(blank=True, default=b"")
    offer_status = models.CharField(
        _("Status der importierten Angebote"),
        max_length=20,
        choices=[
            (Offer.Status.DRAFT, Offer.Status.DRAFT.label),
            (Offer.Status.PUBLISHED, Offer.Status.PUBLISHED.label),
        ],
        default=Offer.Status.DRAFT,
    )
    new_providers = models.JSONField(default=list, blank=True)

    file_field = "content"
    upload = TableSpec(kinds=("csv", "xlsx"), max_rows=5000)
    not_importable = _("Nur ein abgeschlossener Probelauf ohne Probleme kann importiert werden.")
    admin_url_name = "atlas_import_job"
    admin_start_url_name = "atlas_import"
    admin_permission = "atlas.add_offerimportjob"

    class Meta(ImportJob.Meta):
        verbose_name = _("Angebots-Import")
        verbose_name_plural = _("Angebots-Importe")

    def enqueue(self):
        from .tasks import import_offers_task

        import_offers_task.enqueue(self.pk)


def offer_slug_pool() -> SlugPool:
    """Free slugs for many new offers at once, without a query each (the import)."""
    return SlugPool(Offer, fallback="angebot", reserved=RESERVED_SLUGS)
