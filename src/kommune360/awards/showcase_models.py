"""The public side of a decided round: solution profiles and "Nachnutzen" requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from kommune360.core.models import State
from kommune360.core.text import unique_slug


class SolutionQuerySet(models.QuerySet):
    def published(self):
        """Profiles shown publicly: consented, published, of a published round."""
        return self.filter(
            is_published=True,
            application__showcase_consent_at__isnull=False,
            application__round__phase="published",
        )


class Solution(index.Indexed, models.Model):
    """The profile of an awarded solution, written with the applicants; public only
    with their consent, given in the application (``Application.showcase_consent_at``)."""

    application = models.OneToOneField(
        "awards.Application", on_delete=models.CASCADE, related_name="solution"
    )
    slug = models.SlugField(_("Kürzel in der Adresse"), max_length=200, blank=True)
    title = models.CharField(_("Titel"), max_length=200)
    municipality_name = models.CharField(_("Kommune"), max_length=200)
    state = models.CharField(_("Land"), max_length=2, choices=State.choices, blank=True)
    topic = models.ForeignKey(
        "core.Topic",
        verbose_name=_("Thema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    problem = models.TextField(_("Ausgangslage"))
    solution = models.TextField(_("Lösung"))
    results = models.TextField(_("Ergebnisse"), blank=True)
    costs = models.TextField(_("Kosten und Aufwand"), blank=True)
    adoption = models.TextField(_("Was andere zum Nachnutzen brauchen"), blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = SolutionQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("municipality_name"), FieldPanel("state"), FieldPanel("topic")]),
        FieldPanel("problem"),
        FieldPanel("solution"),
        FieldPanel("results"),
        FieldPanel("costs"),
        FieldPanel("adoption"),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
        FieldPanel(
            "is_published",
            help_text=_("Öffentlich nur, wenn die Bewerbung der Veröffentlichung zugestimmt hat."),
        ),
    ]

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("municipality_name", boost=2),
        index.SearchField("problem"),
        index.SearchField("solution"),
        index.SearchField("results"),
        index.FilterField("is_published"),
    ]

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("Lösungsprofil")
        verbose_name_plural = _("Lösungsprofile")
        constraints = [
            models.UniqueConstraint(fields=["application", "slug"], name="awards_solution_slug")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Solution.objects.filter(application__round_id=self.application.round_id),
                self.title,
                exclude_pk=self.pk,
                fallback="loesung",
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("awards:solution", args=[self.application.round.slug, self.slug])

    @property
    def consent_at(self):
        """When the applicants agreed to the publication (in their application)."""
        return self.application.showcase_consent_at

    @property
    def round(self):
        return self.application.round

    def seal_url(self):
        return reverse("awards:seal", args=[self.application.round.slug, self.slug])


class AdoptionRequest(models.Model):
    """A member asks the team behind a solution for an exchange ("Nachnutzen")."""

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="award_adoption_requests",
    )
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    message = models.TextField(_("Nachricht"), max_length=2000)
    state = models.CharField(_("Status"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("gestellt am"), auto_now_add=True)
    decided_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("Anfrage zum Nachnutzen")
        verbose_name_plural = _("Anfragen zum Nachnutzen")
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "requester"],
                condition=Q(state="open"),
                name="awards_one_open_request",
            )
        ]

    def __str__(self):
        return f"{self.solution} ({self.get_state_display()})"
