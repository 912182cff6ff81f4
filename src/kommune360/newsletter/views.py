"""Public newsletter pages: sign-up, confirmation, preferences, unsubscribe, archive.

Views parse and check; ``services`` changes state. Two views are exempt from CSRF on
purpose (docs/decisions/0040 and 0041): the sign-up POST, because the form sits on
cached pages without a per-visitor token, and the unsubscribe POST, because RFC 8058
one-click requests come from mail providers. Both carry their own protection.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kommune360.core import ratelimit
from kommune360.core.addresses import normalize_email
from kommune360.core.cache import mark_private

from . import services
from .forms import PreferencesForm, SignupForm
from .models import Campaign, ConsentEvent, Subscriber
from .tokens import link_token, read_click_token

SIGNUP_LIMIT_PER_IP = 10  # per hour
SIGNUP_LIMIT_PER_ADDRESS = 3  # per hour
SIGNUPS = ratelimit.Limit("newsletter:signup", SIGNUP_LIMIT_PER_IP)
SIGNUPS_PER_ADDRESS = ratelimit.Limit(
    "newsletter:signup-address", SIGNUP_LIMIT_PER_ADDRESS, per=ratelimit.VALUE
)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.method != "POST":
        return render(request, "newsletter/signup.html", {"form": SignupForm()})
    mark_private(request)
    form = SignupForm(request.POST)
    if form.is_bot:
        # Answer like a success, so the bot learns nothing.
        return redirect("newsletter:thanks")
    if SIGNUPS.exceeded(request):
        return render(
            request,
            "newsletter/signup.html",
            {"form": form, "rate_limited": True},
            status=429,
        )
    if not form.is_valid():
        return render(request, "newsletter/signup.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    if not SIGNUPS_PER_ADDRESS.exceeded_for(normalize_email(email)):
        services.request_subscription(
            email,
            topics=list(form.cleaned_data["topics"]),
            form=request.POST.get("form_id", "newsletter")[:60] or "newsletter",
        )
    return redirect("newsletter:thanks")


def thanks(request):
    return render(request, "newsletter/thanks.html")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    # GET only shows a button: link scanners in mail systems must not confirm for
    # someone else (the point of double opt-in).
    mark_private(request)
    if request.method == "POST":
        subscriber = services.confirm_subscription(token)
        if subscriber is None:
            return render(request, "newsletter/confirm.html", {"invalid": True}, status=400)
        return render(
            request,
            "newsletter/confirmed.html",
            {
                "preferences_url": reverse(
                    "newsletter:preferences", args=[link_token(subscriber.token)]
                )
            },
        )
    if services.read_confirm_token(token) is None:
        return render(request, "newsletter/confirm.html", {"invalid": True}, status=400)
    return render(request, "newsletter/confirm.html", {"token": token})


def _subscriber_for_link(request, token):
    """The subscriber and campaign a link in a mail names (404 for a broken link)."""
    mark_private(request)
    subscriber, campaign_id = services.subscriber_for_link(token)
    if subscriber is None:
        raise Http404
    return subscriber, campaign_id


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    subscriber, _campaign_id = _subscriber_for_link(request, token)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.update_preferences(subscriber, list(form.cleaned_data["topics"]))
            messages.success(request, _("Ihre Themen sind gespeichert."))
            return redirect(request.path)
    else:
        form = PreferencesForm(initial={"topics": list(subscriber.topics.all())})
    return render(
        request,
        "newsletter/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "unsubscribe_url": reverse("newsletter:unsubscribe", args=[token]),
        },
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows the page, POST unsubscribes (also RFC 8058 one-click POSTs)."""
    subscriber, campaign_id = _subscriber_for_link(request, token)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        services.unsubscribe(
            subscriber,
            channel=ConsentEvent.Channel.ONE_CLICK if one_click else ConsentEvent.Channel.WEB,
            campaign_id=campaign_id,
        )
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscriber": subscriber,
            "already": subscriber.state == Subscriber.State.UNSUBSCRIBED,
            "preferences_url": reverse("newsletter:preferences", args=[token]),
        },
    )


def archive(request):
    campaigns = Campaign.objects.filter(state=Campaign.State.SENT, show_in_archive=True).only(
        "subject", "slug", "issue_date", "preheader"
    )
    page = Paginator(campaigns, 12).get_page(request.GET.get("seite"))
    return render(request, "newsletter/archive.html", {"page": page})


def archive_detail(request, slug):
    campaign = get_object_or_404(
        Campaign, slug=slug, state=Campaign.State.SENT, show_in_archive=True
    )
    return render(request, "newsletter/archive_detail.html", {"campaign": campaign})


def click(request, token):
    """Count one anonymous click on a campaign link and forward to it."""
    parsed = read_click_token(token)
    if parsed is None:
        raise Http404
    campaign_id, url = parsed
    services.count_click(campaign_id, url)
    return redirect(url)
