"""The showcase of a published round: solution profiles, the seal as SVG with an embed
snippet, and "Nachnutzen" requests (addresses exchanged only after acceptance)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommune360.core import ratelimit
from kommune360.core.audit import log_action
from kommune360.core.cache import mark_private
from kommune360.core.dates import year_range
from kommune360.core.models import State, Topic

from . import mail
from .forms import AdoptionRequestForm
from .models import AdoptionRequest, Round, Solution
from .services.applications import ApplicationError, may_edit

REQUESTS = ratelimit.Limit("awards:adoption", 5, 24 * ratelimit.HOUR, per=ratelimit.USER)


def _published_round(slug):
    return get_object_or_404(Round, slug=slug, phase=Round.Phase.PUBLISHED)


def solution_list(request, slug):
    round_ = _published_round(slug)
    solutions = (
        Solution.objects.published()
        .filter(application__round=round_)
        .select_related("topic", "application__round")
        .order_by("title", "pk")
    )
    topic, land = request.GET.get("thema", ""), request.GET.get("land", "")
    states = dict(State.choices)
    if land in states:
        solutions = solutions.filter(state=land)
    if topic and topic.isascii() and len(topic) <= 200:
        solutions = solutions.filter(topic__slug=topic)
    solutions = list(solutions)
    present = Solution.objects.published().filter(application__round=round_)
    return render(
        request,
        "awards/solution_list.html",
        {
            "round": round_,
            "solutions": solutions,
            "topics": Topic.objects.filter(pk__in=present.values("topic_id")).order_by("name"),
            "states": [
                (code, states[code])
                for code in sorted(set(present.values_list("state", flat=True)))
                if code in states
            ],
            "topic": topic,
            "land": land,
        },
    )


def _solution(slug, solution_slug):
    return get_object_or_404(
        Solution.objects.published().select_related("application__round", "topic"),
        application__round__slug=slug,
        slug=solution_slug,
    )


def solution_json_ld(solution) -> dict:
    url = settings.SITE_URL + solution.get_absolute_url()
    round_ = solution.application.round
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": solution.title,
        "url": url,
        "abstract": solution.problem[:500],
        "description": solution.solution[:1000],
        "creator": {
            "@type": "GovernmentOrganization",
            "name": solution.municipality_name,
        },
        "award": round_.seal_name or round_.title,
        "dateModified": solution.updated_at,
    }


def solution_detail(request, slug, solution_slug):
    solution = _solution(slug, solution_slug)
    round_ = solution.application.round
    seal = settings.SITE_URL + solution.seal_url()
    embed = render_to_string(
        "awards/_embed.txt",
        {"seal": seal, "url": settings.SITE_URL + solution.get_absolute_url(), "round": round_},
    ).strip()
    return render(
        request,
        "awards/solution_detail.html",
        {
            "round": round_,
            "solution": solution,
            "json_ld": solution_json_ld(solution),
            "embed": embed,
            "form": AdoptionRequestForm(),
        },
    )


def seal_svg(request, slug, solution_slug):
    solution = _solution(slug, solution_slug)
    round_ = solution.application.round
    svg = render_to_string(
        "awards/seal.svg",
        {"solution": solution, "name": round_.seal_name or round_.title},
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
@require_POST
def request_adoption(request, slug, solution_slug):
    solution = _solution(slug, solution_slug)
    form = AdoptionRequestForm(request.POST)
    if REQUESTS.exceeded(request):
        messages.error(request, _("Sie haben heute schon viele Anfragen gestellt."))
    elif not form.is_valid():
        messages.error(request, _("Bitte nennen Sie Ihre Organisation und Ihr Anliegen."))
    else:
        try:
            create_request(solution, request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Ihre Anfrage ist beim Team. Sobald es annimmt, erhalten Sie beide die "
                    "E-Mail-Adresse der anderen Seite."
                ),
            )
    return redirect(solution.get_absolute_url())


def create_request(solution, user, *, organisation, message) -> AdoptionRequest:
    if may_edit(solution.application, user):
        raise ApplicationError(_("Das ist Ihre eigene Lösung."))
    try:
        with transaction.atomic():
            adoption = AdoptionRequest.objects.create(
                solution=solution, requester=user, organisation=organisation, message=message
            )
            log_action(user, "awards.adoption.requested", solution)
            mail.send(
                "adoption_request",
                _team_addresses(solution),
                title=solution.title,
                adoption=adoption,
                url=mail.absolute(_requests_url(solution)),
            )
    except IntegrityError:
        raise ApplicationError(_("Sie haben zu dieser Lösung schon eine offene Anfrage.")) from None
    return adoption


def _team_addresses(solution):
    from .services.applications import recipients

    return recipients(solution.application)


def _requests_url(solution):
    from django.urls import reverse

    return reverse("awards:requests", args=[solution.application.round.slug, solution.slug])


def _team_solution(request, slug, solution_slug):
    solution = get_object_or_404(
        Solution.objects.select_related("application__round", "application__applicant"),
        application__round__slug=slug,
        slug=solution_slug,
    )
    if not may_edit(solution.application, request.user):
        raise Http404
    return solution


@login_required
def requests_view(request, slug, solution_slug):
    solution = _team_solution(request, slug, solution_slug)
    mark_private(request)
    response = render(
        request,
        "awards/requests.html",
        {
            "solution": solution,
            "requests": list(solution.requests.select_related("requester").order_by("-created_at")),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def answer_request(request, slug, solution_slug, request_id):
    solution = _team_solution(request, slug, solution_slug)
    adoption = get_object_or_404(AdoptionRequest, pk=request_id, solution=solution)
    choice = request.POST.get("answer")
    if choice not in ("annehmen", "ablehnen"):
        raise BadRequest  # neither button: nothing is decided
    try:
        answer(adoption, request.user, accept=choice == "annehmen")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(_requests_url(solution))


@transaction.atomic
def answer(adoption, user, *, accept: bool) -> AdoptionRequest:
    adoption = (
        AdoptionRequest.objects.select_for_update(of=("self",))
        .select_related("solution__application__applicant", "requester")
        .get(pk=adoption.pk)
    )
    if adoption.state != AdoptionRequest.State.OPEN:
        raise ApplicationError(_("Diese Anfrage ist schon beantwortet."))
    adoption.state = AdoptionRequest.State.ACCEPTED if accept else AdoptionRequest.State.DECLINED
    adoption.decided_at = timezone.now()
    adoption.save(update_fields=["state", "decided_at"])
    log_action(user, "awards.adoption.answered", adoption.solution, state=adoption.state)
    solution = adoption.solution
    requester = adoption.requester.email if adoption.requester else ""
    if accept:
        team = _team_addresses(solution)
        mail.send(
            "adoption_accepted",
            [requester],
            title=solution.title,
            contact=", ".join(team),
            adoption=adoption,
        )
        mail.send(
            "adoption_accepted", team, title=solution.title, contact=requester, adoption=adoption
        )
    else:
        mail.send("adoption_declined", [requester], title=solution.title, adoption=adoption)
    return adoption


def accepted_requests_count(year=None, **kwargs) -> int:
    """A figure for the impact page: accepted "Nachnutzen" requests (answered in
    ``year`` when given)."""
    accepted = AdoptionRequest.objects.filter(state=AdoptionRequest.State.ACCEPTED)
    if year:
        start, end = year_range(year)
        accepted = accepted.filter(decided_at__gte=start, decided_at__lt=end)
    return accepted.count()
