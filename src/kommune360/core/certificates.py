"""Certificates of attendance (Teilnahmebescheinigungen), shared by every app.

An app issues a certificate for one of its objects (an event registration, a cohort
enrolment …) with ``issue_certificate``; the certificate copies everything it states
(holder, title, details) so that it stays true when the source changes later. Anyone
can check it at ``/nachweis/<code>/`` (valid or revoked); an unknown code gets the
ordinary 404 page, so nobody learns which codes exist. When the holder has their data
erased (``forget_holders``), the certificate loses the name and the link to the
account; the page then only says that a certificate with this code was issued on that
date for that title, and no longer confirms it for anyone. Codes are random (100 bits),
never derived from ids. See docs/events.md, "Teilnahmebescheinigungen".

``details`` is JSON with these optional keys, all shown in the PDF:

    {"facts": [{"label": "Datum", "value": "12. Juni 2024"}, ...],
     "modules": [{"title": "...", "hours": 3, "date": "..."}, ...],
     "total_hours": 12, "goals": ["...", ...], "text": "one paragraph"}
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .http import content_disposition

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by HR


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(20))  # 32**20 = 2**100
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


class Certificate(models.Model):
    code = models.CharField(
        _("Prüfcode"), max_length=32, unique=True, default=new_certificate_code, editable=False
    )
    holder_name = models.CharField(_("Name"), max_length=200)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    title = models.CharField(_("Titel"), max_length=300)
    details = models.JSONField(_("Angaben"), default=dict, blank=True)
    issued_on = models.DateField(_("ausgestellt am"))
    issuer = models.CharField(_("ausstellende Organisation"), max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    source = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    revoked_reason = models.TextField(_("Grund des Widerrufs"), blank=True)
    # Set when the holder had their personal data erased; the name is gone then.
    holder_erased_at = models.DateTimeField(_("Name gelöscht am"), null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("Teilnahmebescheinigung")
        verbose_name_plural = _("Teilnahmebescheinigungen")
        constraints = [
            # One valid certificate per source object; a revoked one may be re-issued.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_source",
            )
        ]

    def __str__(self):
        if not self.holder_name:
            return f"{self.title} ({self.code})"
        return f"{self.title} – {self.holder_name} ({self.code})"

    def get_absolute_url(self):
        return reverse("certificate_verify", args=[self.code])

    @property
    def is_valid(self):
        """Confirms a person's attendance: neither revoked nor erased."""
        return self.revoked_at is None and self.holder_erased_at is None

    @property
    def is_erased(self):
        return self.holder_erased_at is not None

    @property
    def verification_url(self):
        return settings.SITE_URL + self.get_absolute_url()


def _default_issuer():
    from wagtail.models import Site

    from .models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).network_name if site else "kommune360"


def issue_certificate(
    source,
    *,
    holder_name,
    title,
    details=None,
    issued_on=None,
    issuer=None,
    holder=None,
    actor=None,
) -> Certificate:
    """Issue a certificate for ``source``; returns the valid one if it already exists."""
    from .audit import log_action

    content_type = ContentType.objects.get_for_model(source)
    with transaction.atomic():
        existing = (
            Certificate.objects.select_for_update()
            .filter(content_type=content_type, object_id=str(source.pk), revoked_at__isnull=True)
            .first()
        )
        if existing is not None:
            return existing
        certificate = Certificate.objects.create(
            content_type=content_type,
            object_id=str(source.pk),
            holder_name=holder_name,
            holder=holder if getattr(holder, "pk", None) else None,
            title=title,
            details=details or {},
            issued_on=issued_on or timezone.localdate(),
            issuer=issuer or _default_issuer(),
        )
        log_action(actor, "core.certificate_issued", certificate, code=certificate.code)
    return certificate


def revoke_certificate(certificate, *, reason, actor=None) -> Certificate:
    """Revoke with a reason; the verification page then says so. Idempotent."""
    from .audit import log_action

    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is None:
            certificate.revoked_at = timezone.now()
            certificate.revoked_reason = reason
            certificate.save(update_fields=["revoked_at", "revoked_reason"])
            log_action(actor, "core.certificate_revoked", certificate, reason=reason)
    return certificate


def certificates_for(source):
    return Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(source), object_id=str(source.pk)
    )


def certificates_of(queryset):
    """The certificates issued for the objects of ``queryset`` (one source model)."""
    return Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id__in=[str(pk) for pk in queryset.values_list("pk", flat=True)],
    )


def forget_holders(certificates) -> int:
    """Erasure: the certificates keep code, title, date and issuer but lose the holder's
    name and account, and no longer count as valid on the verification page."""
    return certificates.filter(holder_erased_at__isnull=True).update(
        holder_name="", holder=None, holder_erased_at=timezone.now()
    )


def certificate_pdf(certificate) -> bytes:
    """The certificate as PDF (WeasyPrint), with the verification link as QR code; in
    the platform's language, like the details it was issued with."""
    from weasyprint import HTML

    from .languages import default_language
    from .qr import qr_svg

    with default_language():
        html = render_to_string(
            "core/certificates/pdf.html",
            {"certificate": certificate, "qr": qr_svg(certificate.verification_url)},
        )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def certificate_pdf_response(certificate) -> HttpResponse:
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"teilnahmebescheinigung-{certificate.code}.pdf"
    )
    return response


def verify_certificate(request, code):
    """Public: is this certificate valid? Unknown codes get the plain 404 page."""
    from .cache import mark_private

    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        raise Http404
    mark_private(request)
    response = render(request, "core/certificates/verify.html", {"certificate": certificate})
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response
