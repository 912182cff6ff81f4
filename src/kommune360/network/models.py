"""Member profiles of the network, with who may see each field.

A profile is invisible until its owner switches it on (``is_active``). Every field
has its own visibility: everybody, members (logged-in accounts), nobody. What a
viewer may see is decided in one place, ``visibility.card`` — templates and searches
only ever get what it returns.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.storage import private_storage


class Visibility(models.TextChoices):
    EVERYBODY = "alle", _("alle")
    MEMBERS = "mitglieder", _("nur Mitglieder")
    NOBODY = "niemand", _("niemand")


class Role(models.TextChoices):
    YOUTH_OFFICE_HEAD = "jugendamtsleitung", _("Jugendamtsleitung")
    YOUTH_PLANNING = "jugendhilfeplanung", _("Jugendhilfeplanung")
    SOCIAL_PLANNING = "sozialplanung", _("Sozialplanung")
    ADMINISTRATION_HEAD = "verwaltungsleitung", _("Verwaltungsleitung")
    ORGANISATION = "organisationsentwicklung", _("Personal-/Organisationsentwicklung")
    OTHER = "andere", _("andere Funktion")


# The fields whose visibility the owner chooses, in the order the form shows them.
FIELDS = (
    "name",
    "role",
    "municipality",
    "topics",
    "offers",
    "seeks",
    "languages",
    "photo",
    "links",
)


def _visibility(label, default=Visibility.MEMBERS):
    return models.CharField(label, max_length=10, choices=Visibility.choices, default=default)


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="network_profile",
        verbose_name=_("Konto"),
    )
    is_active = models.BooleanField(
        _("im Netzwerk sichtbar"),
        default=False,
        help_text=_("Solange dies aus ist, sieht niemand außer Ihnen Ihr Profil."),
    )
    name = models.CharField(_("Name"), max_length=150)
    name_visibility = _visibility(_("Name sichtbar für"))
    role = models.CharField(
        _("Funktion in der Verwaltung"), max_length=30, choices=Role.choices, blank=True
    )
    role_visibility = _visibility(_("Funktion sichtbar für"))
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("Kommune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipality_visibility = _visibility(_("Kommune sichtbar für"))
    topics = models.ManyToManyField(
        "core.Topic", verbose_name=_("Themen"), blank=True, related_name="+"
    )
    topics_visibility = _visibility(_("Themen sichtbar für"))
    offers = models.TextField(_("Das biete ich"), max_length=600, blank=True)
    offers_topics = models.ManyToManyField(
        "core.Topic",
        verbose_name=_("Themen, zu denen ich etwas biete"),
        blank=True,
        related_name="+",
    )
    offers_visibility = _visibility(_("„Das biete ich“ sichtbar für"))
    seeks = models.TextField(_("Das suche ich"), max_length=600, blank=True)
    seeks_topics = models.ManyToManyField(
        "core.Topic",
        verbose_name=_("Themen, zu denen ich etwas suche"),
        blank=True,
        related_name="+",
    )
    seeks_visibility = _visibility(_("„Das suche ich“ sichtbar für"))
    languages = models.CharField(
        _("Sprachen"),
        max_length=200,
        blank=True,
        help_text=_("Durch Kommas getrennt, z. B. Deutsch, Englisch, Türkisch."),
    )
    languages_visibility = _visibility(_("Sprachen sichtbar für"))
    # Private: only network.views.photo serves it, to whom its owner opened it.
    photo = models.ImageField(
        _("Foto"), upload_to="network/photos/", blank=True, storage=private_storage
    )
    photo_visibility = _visibility(_("Foto sichtbar für"))
    links = models.TextField(
        _("Links"), max_length=1000, blank=True, help_text=_("Eine Adresse (https://…) je Zeile.")
    )
    links_visibility = _visibility(_("Links sichtbar für"))

    is_fellow = models.BooleanField(_("Fellow"), default=False)
    fellow_year = models.PositiveSmallIntegerField(_("Fellow-Jahrgang"), null=True, blank=True)
    show_as_fellow = models.BooleanField(
        _("auf der Seite der Fellows zeigen"),
        default=False,
        help_text=_("Nur für Fellows: Ihr Profil erscheint unter „Unsere Fellows“."),
    )
    created = models.DateTimeField(_("angelegt"), default=timezone.now)
    updated = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["is_active", "name"])]

    def __str__(self):
        return self.name

    def visibility_of(self, field: str) -> str:
        return getattr(self, f"{field}_visibility")

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]


class ProfileTerm(models.Model):
    """A stemmed word of a profile's fields open to members (``search``); the directory
    searches these, so a closed field is never found."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["term"])]
        constraints = [
            models.UniqueConstraint(fields=["profile", "term"], name="network_term_once")
        ]

    def __str__(self):
        return self.term


class ContactRequest(models.Model):
    """A member asks another for contact; e-mail addresses are shown to both only
    once the recipient accepts (``services.contact``)."""

    class State(models.TextChoices):
        OPEN = "offen", _("offen")
        ACCEPTED = "angenommen", _("angenommen")
        DECLINED = "abgelehnt", _("abgelehnt")
        WITHDRAWN = "beendet", _("beendet")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("von")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("an")
    )
    message = models.TextField(_("Nachricht"), max_length=800)
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices, default=State.OPEN)
    reason = models.TextField(_("Begründung"), max_length=500, blank=True)
    created = models.DateTimeField(_("gesendet"), default=timezone.now)
    decided = models.DateTimeField(_("entschieden"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kontaktanfrage")
        verbose_name_plural = _("Kontaktanfragen")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=models.Q(state="offen"),
                name="network_one_open_request_per_pair",
            )
        ]

    def __str__(self):
        return f"{self.sender_id} → {self.recipient_id}"


class Block(models.Model):
    """Someone who blocked another member: no requests, no matches between them."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Blockierung")
        verbose_name_plural = _("Blockierungen")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="network_block_once")
        ]

    def __str__(self):
        return f"{self.blocker_id} ⊘ {self.blocked_id}"


class Report(models.Model):
    """A profile or request reported to the Moderation role."""

    class State(models.TextChoices):
        OPEN = "offen", _("offen")
        DONE = "erledigt", _("erledigt")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gemeldet von"),
    )
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Profil")
    )
    reason = models.TextField(_("Grund"), max_length=1000)
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices, default=State.OPEN)
    created = models.DateTimeField(_("gemeldet am"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bearbeitet von"),
    )
    note = models.TextField(_("Notiz der Moderation"), blank=True)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-created", "-pk"]
        permissions = [("moderate_report", "Can handle reports of network profiles")]

    def __str__(self):
        return f"{self.profile} ({self.get_state_display()})"


# --- "It's a Match!" ------------------------------------------------------------------------


class MatchingRound(models.Model):
    """A round of "It's a Match!": members opt in, the pairing proposes pairs (``matching``),
    staff review and release them, both sides accept before contact."""

    class State(models.TextChoices):
        DRAFT = "entwurf", _("Entwurf")
        OPEN = "anmeldung", _("Anmeldung offen")
        REVIEW = "pruefung", _("Paare in Prüfung")
        RELEASED = "freigegeben", _("freigegeben")

    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    state = models.CharField(_("Stand"), max_length=12, choices=State.choices, default=State.DRAFT)
    created = models.DateTimeField(_("angelegt"), default=timezone.now)
    released_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Matching-Runde")
        verbose_name_plural = _("Matching-Runden")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.title


class Participation(models.Model):
    round = models.ForeignKey(
        MatchingRound, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seeks = models.TextField(_("Was suchen Sie?"), max_length=600, blank=True)
    topics = models.ManyToManyField(
        "core.Topic", verbose_name=_("Themen"), blank=True, related_name="+"
    )
    partners = models.PositiveSmallIntegerField(_("Wie viele Tandem-Partner:innen?"), default=1)
    exclude_municipality = models.BooleanField(_("nicht aus meiner Kommune"), default=True)
    exclude_district = models.BooleanField(_("nicht aus meinem Kreis"), default=False)
    excluded = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("nicht mit"), blank=True, related_name="+"
    )
    unmatched_reason = models.CharField(max_length=20, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Teilnahme an einer Matching-Runde")
        verbose_name_plural = _("Teilnahmen an Matching-Runden")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="network_one_participation"),
            models.CheckConstraint(
                condition=models.Q(partners__gte=1, partners__lte=3),
                name="network_partners_1_to_3",
            ),
        ]

    def __str__(self):
        return f"{self.round_id}: {self.user_id}"


class Pair(models.Model):
    """A proposed tandem with its "Warum ihr?" reasons; contact once both accepted."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="pairs")
    first = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    second = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.FloatField(_("Punktzahl"), default=0)
    reasons = models.JSONField(_("Warum ihr?"), default=list)
    first_accepted = models.BooleanField(default=False)
    second_accepted = models.BooleanField(default=False)
    declined = models.BooleanField(default=False)
    ended = models.BooleanField(default=False)
    followup_sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Tandem")
        verbose_name_plural = _("Tandems")
        ordering = ["-score", "pk"]

    def __str__(self):
        return f"{self.round_id}: {self.first_id} + {self.second_id}"

    @property
    def both_accepted(self) -> bool:
        return self.first_accepted and self.second_accepted and not self.ended

    def other(self, user):
        return self.second if self.first_id == user.pk else self.first


class TandemAnswer(models.Model):
    """An answer to "Wie läuft euer Tandem?" three months after the release."""

    class Answer(models.TextChoices):
        VERY_GOOD = "sehr_gut", _("sehr gut – wir sind regelmäßig im Austausch")
        GOOD = "gut", _("gut – wir hatten schon Kontakt")
        NOT_YET = "noch_nicht", _("wir haben uns noch nicht ausgetauscht")
        ENDED = "beendet", _("es passt nicht, wir haben aufgehört")

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.CharField(_("Antwort"), max_length=12, choices=Answer.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Antwort „Wie läuft euer Tandem?“")
        verbose_name_plural = _("Antworten „Wie läuft euer Tandem?“")
        constraints = [
            models.UniqueConstraint(fields=["pair", "user"], name="network_one_answer_per_pair")
        ]

    def __str__(self):
        return self.get_answer_display()
