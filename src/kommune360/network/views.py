from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kommune360.core import ratelimit
from kommune360.core.models import State
from kommune360.core.storage import open_stored

from .directory import DirectoryQuery
from .forms import ContactForm, DeclineForm, ProfileForm, ReportForm
from .models import Block, ContactRequest, Profile, Role
from .services import contact, profiles
from .visibility import (
    ANONYMOUS,
    MEMBER,
    OWNER,
    audience,
    card,
    may_see,
    open_visibilities,
    shown_name,
    with_related,
)

# Every photo is decoded and written anew (``core.images``): a limit per account, as
# for the attachments of the awards.
PHOTOS = ratelimit.Limit("network:photo", 20, per=ratelimit.USER)

# Counts below this are shown as "weniger als 5", so nobody can be singled out.
SMALL_COUNT = 5


def _shown_count(count):
    if count < SMALL_COUNT:
        return _("weniger als %(limit)s") % {"limit": SMALL_COUNT}
    return str(count)


def network_counts():
    """Members per role and per Land; a field its owner closed is not counted."""
    opened = open_visibilities(MEMBER)
    active = Profile.objects.filter(is_active=True, user__is_active=True)
    total = active.count()
    roles = dict(
        active.filter(role_visibility__in=opened)
        .exclude(role="")
        .values_list("role")
        .annotate(n=Count("pk"))
    )
    states = dict(
        active.filter(municipality_visibility__in=opened, municipality__isnull=False)
        .values_list("municipality__state")
        .annotate(n=Count("pk"))
    )
    return {
        "total": _shown_count(total) if total else "0",
        "roles": [(label, _shown_count(roles[v])) for v, label in Role.choices if roles.get(v)],
        "states": [(label, _shown_count(states[v])) for v, label in State.choices if states.get(v)],
    }


def network_home(request):
    return render(
        request,
        "network/home.html",
        {"counts": network_counts(), "own": profiles.profile_of(request.user)},
    )


def fellows(request):
    shown = Profile.objects.filter(
        is_active=True, user__is_active=True, is_fellow=True, show_as_fellow=True
    )
    if request.user.is_authenticated:  # as in the directory: who blocked me is not shown
        shown = shown.exclude(user_id__in=contact.blocked_me_ids(request.user))
    found = with_related(shown.order_by("-fellow_year", "name", "pk"))[:200]
    cards = [card(profile, audience(request.user, profile)) for profile in found]
    years = {}
    for item in cards:
        years.setdefault(item.fellow_year, []).append(item)
    return render(request, "network/fellows.html", {"years": list(years.items())})


@login_required
def directory(request):
    query = DirectoryQuery(request.GET, request.user)
    page = query.page()
    count = page.paginator.count
    context = {
        "query": query,
        "page": page,
        "groups": query.facet_groups(),
        "count_text": ngettext(
            "%(count)s Mitglied gefunden", "%(count)s Mitglieder gefunden", count
        )
        % {"count": count},
        "page_links": _page_links(query, page),
        "own": profiles.profile_of(request.user),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "network/_results.html" if partial else "network/directory.html"
    return render(request, template, context)


def _page_links(query, page):
    paginator = page.paginator
    links = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
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


def _visible_profile(request, pk):
    profile = get_object_or_404(
        with_related(Profile.objects.select_related("user")), pk=pk, user__is_active=True
    )
    level = audience(request.user, profile)
    if level != OWNER and (
        not profile.is_active
        or Block.objects.filter(blocker=profile.user, blocked=request.user).exists()
    ):
        raise Http404
    return profile, level


def photo(request, pk):
    """A profile's photo, for whoever may see it (``visibility``), else 404: photos
    live in the private storage and have no address of their own."""
    profile = get_object_or_404(Profile.objects.select_related("user"), pk=pk, user__is_active=True)
    level = audience(request.user, profile)
    if level != OWNER and (
        not profile.is_active
        or not may_see(profile, "photo", level)
        or (
            level == MEMBER
            and Block.objects.filter(blocker=profile.user, blocked=request.user).exists()
        )
    ):
        raise Http404
    if not profile.photo:
        raise Http404
    response = FileResponse(open_stored(profile.photo), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def profile_detail(request, pk):
    profile, level = _visible_profile(request, pk)
    me = request.user
    context = {
        "card": card(profile, level),
        "profile": profile,
        "is_own": level == OWNER,
        "contact_form": ContactForm(),
        "report_form": ReportForm(),
        "i_blocked": Block.objects.filter(blocker=me, blocked=profile.user).exists(),
        "in_contact": contact.are_in_contact(me, profile.user),
        "open_request": ContactRequest.objects.filter(
            Q(sender=me, recipient=profile.user) | Q(sender=profile.user, recipient=me),
            state=ContactRequest.State.OPEN,
        ).exists(),
    }
    return render(request, "network/profile_detail.html", context)


@login_required
def profile_edit(request):
    profile = profiles.profile_of(request.user)
    instance = profile or Profile(user=request.user, name=profiles.default_name(request.user))
    form = ProfileForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and "photo_upload" in request.FILES and PHOTOS.exceeded(request):
        form.add_error(
            "photo_upload",
            _("Sie haben sehr viele Fotos hochgeladen. Bitte warten Sie eine Stunde."),
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = profiles.save_profile(
                request.user,
                data,
                photo=data.pop("photo_upload", None),
                remove_photo=data.pop("remove_photo", False),
            )
        except ValidationError as error:
            form.add_error("photo_upload" if "photo_upload" in request.FILES else None, error)
        else:
            if saved.is_active:
                messages.success(request, _("Ihr Profil ist gespeichert und im Netzwerk sichtbar."))
            else:
                messages.success(
                    request,
                    _("Ihr Profil ist gespeichert. Es bleibt unsichtbar, bis Sie es einschalten."),
                )
            return redirect("network:profile")
    previews = []
    if profile is not None:
        full = with_related(Profile.objects.filter(pk=profile.pk)).get()
        previews = [
            (_("So sehen Gäste ohne Anmeldung Ihr Profil"), card(full, ANONYMOUS)),
            (_("So sehen Mitglieder Ihr Profil"), card(full, MEMBER)),
        ]
    return render(
        request,
        "network/profile_form.html",
        {"form": form, "profile": profile, "previews": previews},
    )


@login_required
@require_POST
def request_contact(request, pk):
    profile, level = _visible_profile(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact.send_request(request.user, profile, form.cleaned_data["message"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Ihre Anfrage ist verschickt. Sie erfahren es, sobald sie beantwortet ist."),
            )
    else:
        messages.error(
            request, _("Bitte schreiben Sie eine kurze Nachricht (höchstens 800 Zeichen).")
        )
    return redirect("network:profile_detail", pk=profile.pk)


@login_required
def contacts(request):
    incoming, sent, accepted = contact.requests_for(request.user)
    me = request.user.pk
    people = []
    for item in accepted:
        other = item.recipient if item.sender_id == me else item.sender
        other_profile = getattr(other, "network_profile", None)
        people.append({"name": shown_name(other_profile, MEMBER), "email": other.email})
    incoming_items = []
    for item in incoming:
        sender_profile = getattr(item.sender, "network_profile", None)
        incoming_items.append(
            {
                "request": item,
                "title": shown_name(sender_profile, MEMBER),
                "profile": sender_profile,
            }
        )
    sent_items = [
        {
            "request": item,
            "title": shown_name(getattr(item.recipient, "network_profile", None), MEMBER),
        }
        for item in sent
    ]
    return render(
        request,
        "network/contacts.html",
        {
            "incoming": incoming_items,
            "sent": sent_items,
            "people": people,
            "blocked": _blocked_items(request.user),
        },
    )


def _blocked_items(user):
    """Whom ``user`` blocked, named only as far as each profile lets members see."""
    items = []
    blocks = Block.objects.filter(blocker=user).select_related("blocked__network_profile")
    for item in blocks.order_by("-created", "-pk")[:200]:
        profile = getattr(item.blocked, "network_profile", None)
        if profile is None:
            continue  # unblocking goes through the profile
        named = profile.is_active and item.blocked.is_active and may_see(profile, "name", MEMBER)
        when = date_format(timezone.localtime(item.created), "DATE_FORMAT")
        if named:
            text = _("%(name)s, blockiert am %(date)s") % {"name": profile.name, "date": when}
        else:
            text = _("Ein Mitglied, blockiert am %(date)s") % {"date": when}
        items.append({"text": text, "profile_pk": profile.pk})
    return items


@login_required
@require_POST
def answer_request(request, pk, answer):
    try:
        if answer == "accept":
            contact.accept_request(request.user, pk)
            messages.success(
                request, _("Sie sind jetzt in Kontakt. Ihre E-Mail-Adressen stehen unten.")
            )
        else:
            form = DeclineForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            contact.decline_request(request.user, pk, reason)
            messages.success(request, _("Sie haben die Anfrage abgelehnt."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("network:contacts")


@login_required
@require_POST
def block_member(request, pk, undo=False):
    profile = get_object_or_404(Profile.objects.select_related("user"), pk=pk)
    try:
        if undo:
            contact.unblock(request.user, profile.user)
            messages.success(request, _("Die Blockierung ist aufgehoben."))
        else:
            contact.block(request.user, profile.user)
            messages.success(
                request,
                _(
                    "Blockiert. Diese Person kann Ihnen keine Anfragen mehr schicken und sieht "
                    "Ihr Profil nicht."
                ),
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if undo:
        return redirect("network:contacts")
    return redirect("network:directory")


@login_required
@require_POST
def report_member(request, pk):
    profile = get_object_or_404(Profile, pk=pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte sagen Sie kurz, was Sie melden."))
    else:
        try:
            contact.report(request.user, profile, form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Danke! Die Moderation sieht sich das an."))
    return redirect("network:directory")
