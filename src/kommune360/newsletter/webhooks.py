"""The bounce webhook of the one mail provider in use (django-anymail).

Only ``/newsletter/bounces/<NEWSLETTER_BOUNCE_PROVIDER>/tracking/`` answers; every
other provider's address is a 404. The endpoint refuses every request (403) unless
anymail can check where it comes from: HTTP basic auth (``ANYMAIL_WEBHOOK_SECRET``)
or the provider's own signature key (e.g. ``ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY``).
A body anymail cannot read is a 400, never a 500. ``check --deploy`` warns about a
provider without a secret (``check_bounce_webhook``).
"""

from __future__ import annotations

import logging
import warnings
from functools import cache

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponseForbidden

logger = logging.getLogger(__name__)

TRACKING_SUFFIX = "_tracking_webhook"
# Providers anymail still routes under an old name, with a deprecation warning on every
# request: not offered (configure the new name).
RENAMED = {"sendinblue": "brevo"}

# What a provider's parser raises on a body that is not what it expects.
_JUNK_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, LookupError)


@cache
def tracking_views() -> dict:
    """Anymail's tracking view class per provider, from ``anymail.urls`` itself."""
    from anymail.urls import urlpatterns

    views = {}
    for pattern in urlpatterns:
        name = pattern.name or ""
        if name.endswith(TRACKING_SUFFIX) and name.removesuffix(TRACKING_SUFFIX) not in RENAMED:
            views[name.removesuffix(TRACKING_SUFFIX)] = pattern.callback.view_class
    return views


def configured_provider() -> str:
    return (getattr(settings, "NEWSLETTER_BOUNCE_PROVIDER", "") or "").strip().lower()


def secret_problem(provider: str) -> str | None:
    """Why anymail would accept unauthenticated requests for ``provider``, or None."""
    from anymail.exceptions import AnymailInsecureWebhookWarning

    if provider in RENAMED:
        return f"provider {provider!r} is now called {RENAMED[provider]!r}"
    view_class = tracking_views().get(provider)
    if view_class is None:
        return f"unknown provider {provider!r}; known: {', '.join(sorted(tracking_views()))}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AnymailInsecureWebhookWarning)
            view = view_class()
    except (ImproperlyConfigured, ImportError) as error:
        return str(error)
    if getattr(view, "warn_if_no_basic_auth", True) and not getattr(view, "basic_auth", None):
        return "no ANYMAIL_WEBHOOK_SECRET (and no signature key of the provider)"
    return None


@cache
def _strict_view(view_class):
    """The provider's view, answering 400 to a body it cannot parse."""
    from anymail.exceptions import AnymailAPIError, AnymailWebhookValidationFailure

    # Amazon SES's view (with boto3 installed, which django-storages brings) reports an
    # unreadable SNS body as AnymailAPIError.
    junk = (*_JUNK_ERRORS, AnymailAPIError)

    class Strict(view_class):
        def run_validators(self, request):
            try:
                super().run_validators(request)
            except junk as error:
                raise AnymailWebhookValidationFailure("unreadable webhook request") from error

        def parse_events(self, request):
            try:
                return list(super().parse_events(request))
            except junk as error:
                raise AnymailWebhookValidationFailure("unreadable webhook body") from error

    Strict.__name__ = f"Strict{view_class.__name__}"
    return Strict.as_view()


def tracking_webhook(request, provider):
    """The configured provider's tracking webhook; 404 for all others."""
    if not provider or provider != configured_provider():
        raise Http404
    problem = secret_problem(provider)
    if problem is not None:
        logger.warning("Bounce webhook of %s refused: %s", provider, problem)
        return HttpResponseForbidden()
    return _strict_view(tracking_views()[provider])(request)


tracking_webhook.csrf_exempt = True


@checks.register(checks.Tags.security, deploy=True)
def check_bounce_webhook(app_configs=None, **kwargs):
    provider = configured_provider()
    if not provider:
        return []
    problem = secret_problem(provider)
    if problem is None:
        return []
    return [
        checks.Warning(
            f"The bounce webhook of {provider} refuses every request: {problem}.",
            hint="Set ANYMAIL_WEBHOOK_SECRET (user:password, also entered at the provider) "
            "or the provider's signature key; see docs/newsletter.md, Bounces.",
            id="newsletter.W001",
        )
    ]
