from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from kommune360.core import ratelimit

from . import exports, provider_requests, services
from .filters import PER_PAGE, OfferQuery
from .forms import OfferForm, ProviderRequestForm
from .models import Offer

# Requests to become a provider: a few per account and day (each one mails the person
# and lands in the editors' list).
PROVIDER_REQUESTS_PER_DAY = 5
PROVIDER_REQUESTS = ratelimit.Limit(
    "atlas:provider_request", PROVIDER_REQUESTS_PER_DAY, 24 * ratelimit.HOUR, per=ratelimit.USER
)


def offer_list(request):
    query = OfferQuery(request.GET)
    groups = query.facet_groups()
    paginator = Paginator(query.page_results(), PER_PAGE)
    page = paginator.get_page(query.page_number)
    count = query.total
    context = {
        "query": query,
        "page": page,
        "offers": page.object_list,
        "groups": groups,
        "count": count,
        "count_text": ngettext("%(count)s Angebot gefunden", "%(count)s Angebote gefunden", count)
        % {"count": count},
        "sorts": query.sort_options(),
        "page_links": _page_links(query, page),
        "export_query": query.querystring(),
    }
    # htmx restoring a page of the browser history asks for the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "atlas/_results.html" if partial else "atlas/offer_list.html"
    return render(request, template, context)


def _page_links(query, page):
    links = []
    paginator = page.paginator
    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    for number in numbers:
        if number == paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            links.append(
                {
                    "number": number,
                    "current": number == page.number,
                    "query": query.querystring(page=number),
                }
            )
    return {
        "items": links,
        "previous": query.querystring(page=page.previous_page_number())
        if page.has_previous()
        else None,
        "next": query.querystring(page=page.next_page_number()) if page.has_next() else None,
    }


def offer_detail(request, slug):
    offer = get_object_or_404(
        Offer.objects.select_related("provider", "format", "municipality").prefetch_related(
            "methods", "topics", "target_groups"
        ),
        slug=slug,
    )
    if not offer.is_public and not (
        services.is_editor(request.user) or services.can_maintain(request.user, offer)
    ):
        raise Http404
    return render(
        request,
        "atlas/offer_detail.html",
        {"offer": offer, "json_ld": offer_json_ld(request, offer)},
    )


def offer_json_ld(request, offer):
    """schema.org: Course for learning offers, EducationEvent for dated events,
    CreativeWork for publications, podcasts and the rest."""
    format_name = offer.format.name
    url = settings.SITE_URL + offer.get_absolute_url()
    provider = {"@type": "Organization", "name": offer.provider.name}
    if offer.provider.website:
        provider["url"] = offer.provider.website
    data = {
        "@context": "https://schema.org",
        "name": offer.title,
        "description": offer.summary,
        "url": url,
        "inLanguage": offer.language,
    }
    if format_name in ("Konferenz/Festival",) or (
        format_name == "Workshop/Seminar" and offer.start_date and not offer.ongoing
    ):
        data["@type"] = "EducationEvent"
        data["organizer"] = provider
        if offer.start_date:
            data["startDate"] = offer.start_date.isoformat()
        if offer.end_date:
            data["endDate"] = offer.end_date.isoformat()
        data["eventAttendanceMode"] = {
            Offer.Delivery.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
            Offer.Delivery.ON_SITE: "https://schema.org/OfflineEventAttendanceMode",
            Offer.Delivery.HYBRID: "https://schema.org/MixedEventAttendanceMode",
        }[offer.delivery]
    elif format_name in ("Lernpfad", "Workshop/Seminar", "Beratung/Begleitung"):
        data["@type"] = "Course"
        data["provider"] = provider
        if offer.learning_goals:
            data["teaches"] = offer.learning_goals
        if offer.certificate:
            data["educationalCredentialAwarded"] = _("Teilnahmebescheinigung")
        data["hasCourseInstance"] = [course_instance(offer)]
    else:
        data["@type"] = "CreativeWork"
        data["creator"] = provider
    if offer.cost == Offer.Cost.FREE:
        data["isAccessibleForFree"] = True
    elif offer.cost == Offer.Cost.AMOUNT and offer.cost_amount is not None:
        data["offers"] = {"@type": "Offer", "price": str(offer.cost_amount), "priceCurrency": "EUR"}
    audience = [t.name for t in offer.target_groups.all()]
    if audience:
        data["audience"] = {"@type": "Audience", "audienceType": ", ".join(audience)}
    return data


COURSE_MODES = {
    Offer.Delivery.ONLINE: "online",
    Offer.Delivery.ON_SITE: "onsite",
    Offer.Delivery.HYBRID: "blended",
}


def course_instance(offer):
    """The offer as it takes place (schema.org CourseInstance): its mode and dates."""
    instance = {"@type": "CourseInstance", "courseMode": COURSE_MODES[offer.delivery]}
    if offer.start_date:
        instance["startDate"] = offer.start_date.isoformat()
    if offer.end_date:
        instance["endDate"] = offer.end_date.isoformat()
    if offer.duration_hours:
        instance["courseWorkload"] = f"PT{int(offer.duration_hours)}H"
    return instance


def offer_export(request, fmt):
    query = OfferQuery(request.GET)
    return exports.respond(query, fmt)


# --- Provider self-service ------------------------------------------------------------------


def _provider_required(request):
    providers = services.providers_of(request.user)
    if not providers.exists():
        raise PermissionDenied
    return providers


def _not_a_provider_yet(request):
    """Where a member who maintains no offers yet is sent from the self-service's entry
    pages: to the request to become a provider, with a word why."""
    messages.info(
        request,
        _(
            "Sie pflegen noch keine Angebote. Hier können Sie bei der Redaktion anfragen, "
            "die Angebote Ihrer Organisation pflegen zu dürfen."
        ),
    )
    return redirect("atlas:become_provider")


@login_required
def manage_list(request):
    providers = list(services.providers_of(request.user))
    if not providers:
        return _not_a_provider_yet(request)
    offers = (
        Offer.objects.filter(provider__in=providers)
        .select_related("provider")
        .order_by("provider__name", "title")
    )
    return render(request, "atlas/manage_list.html", {"providers": providers, "offers": offers})


@login_required
def manage_create(request):
    if not provider_requests.maintains_offers(request.user):
        return _not_a_provider_yet(request)
    providers = _provider_required(request)
    form = OfferForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.create_offer(
                request.user, form.cleaned_data["provider"], form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Das Angebot wurde als Entwurf gespeichert."))
            return redirect("atlas:manage_edit", pk=offer.pk)
    return render(request, "atlas/manage_form.html", {"form": form, "offer": None})


@login_required
def manage_edit(request, pk):
    providers = _provider_required(request)
    offer = get_object_or_404(Offer, pk=pk, provider__in=providers)
    form = OfferForm(request.POST or None, instance=offer, providers=providers)
    if request.method == "POST" and form.is_valid():
        was_published = offer.status == Offer.Status.PUBLISHED
        try:
            offer = services.update_offer(request.user, offer, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if was_published:
                messages.success(
                    request,
                    _(
                        "Ihre Änderungen wurden gespeichert. Die Redaktion prüft sie, bevor das "
                        "Angebot wieder erscheint."
                    ),
                )
            else:
                messages.success(request, _("Ihre Änderungen wurden gespeichert."))
            return redirect("atlas:manage_edit", pk=offer.pk)
    return render(request, "atlas/manage_form.html", {"form": form, "offer": offer})


# What a provider may do with an offer from its edit page (the URL names the action).
MANAGE_ACTIONS = {
    "submit": (
        services.submit_offer,
        gettext_lazy("Das Angebot wurde eingereicht. Die Redaktion prüft es und meldet sich."),
    ),
    "confirm": (
        services.confirm_offer_checked,
        gettext_lazy("Danke! Das Angebot ist als geprüft markiert."),
    ),
    "archive": (services.archive_offer, gettext_lazy("Das Angebot wurde archiviert.")),
}


@login_required
@require_POST
def manage_action(request, pk, action):
    providers = _provider_required(request)
    offer = get_object_or_404(Offer, pk=pk, provider__in=providers)
    change, success = MANAGE_ACTIONS[action]
    try:
        change(request.user, offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("atlas:manage_edit", pk=offer.pk)


# --- Becoming a provider ---------------------------------------------------------------------


@login_required
def become_provider(request):
    """A member asks to maintain an organisation's offers; their requests so far."""
    form = ProviderRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if PROVIDER_REQUESTS.exceeded(request):
            form.add_error(
                None,
                _(
                    "Sie haben heute schon mehrere Anfragen gestellt. Bitte warten Sie auf die "
                    "Antwort der Redaktion oder versuchen Sie es morgen noch einmal."
                ),
            )
        else:
            data = form.cleaned_data
            try:
                provider_requests.request_provider_role(
                    request.user,
                    provider=data["provider"],
                    name=data["name"],
                    website=data["website"],
                    note=data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Danke! Ihre Anfrage ist bei der Redaktion. Sie bekommen eine E-Mail, "
                        "sobald sie entschieden hat."
                    ),
                )
                return redirect("atlas:become_provider")
    return render(
        request,
        "atlas/become_provider.html",
        {
            "form": form,
            "requests": provider_requests.requests_of(request.user)[:50],
            "maintains": provider_requests.maintains_offers(request.user),
        },
    )
