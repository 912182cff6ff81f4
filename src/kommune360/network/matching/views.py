"""Members' pages of the matching rounds: opt in, "Warum ihr?" cards, accept or
decline, the contact details once both accepted, "Wie läuft euer Tandem?"."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kommune360.core.forms import Form
from kommune360.core.models import Topic

from ..models import MatchingRound, Pair, Participation, TandemAnswer
from ..services.contact import blocked_me_ids
from ..visibility import MEMBER, open_visibilities, shown_name
from . import reasons, services

SHOWN_STATES = (MatchingRound.State.OPEN, MatchingRound.State.REVIEW, MatchingRound.State.RELEASED)


class JoinForm(Form):
    seeks = forms.CharField(
        label=gettext_lazy("Was suchen Sie in einem Tandem?"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(),
        label=gettext_lazy("Themen, über die Sie sprechen möchten"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.TypedChoiceField(
        label=gettext_lazy("Wie viele Tandem-Partner:innen?"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    exclude_municipality = forms.BooleanField(
        label=gettext_lazy("niemand aus meiner eigenen Kommune"), required=False, initial=True
    )
    exclude_district = forms.BooleanField(
        label=gettext_lazy("niemand aus meinem eigenen Kreis"), required=False
    )
    excluded = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(),
        label=gettext_lazy("Mit diesen Personen bitte kein Tandem"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy(
            "Mitglieder mit sichtbarem Profil, deren Namen Sie sehen dürfen. Mehrere wählen "
            "Sie mit gedrückter Strg- oder Cmd-Taste."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only members the viewer may see by name: a hidden name is no choice.
        field = self.fields["excluded"]
        members = get_user_model().objects.filter(
            is_active=True,
            network_profile__is_active=True,
            network_profile__name_visibility__in=open_visibilities(MEMBER),
        )
        if user is not None:  # as in the directory: not who blocked the viewer
            members = members.exclude(pk=user.pk).exclude(pk__in=blocked_me_ids(user))
        field.queryset = members.select_related("network_profile").order_by(
            "network_profile__name", "pk"
        )
        field.label_from_instance = lambda member: member.network_profile.name


def _initial(participation):
    if participation is None:
        return None
    return {
        "seeks": participation.seeks,
        "topics": list(participation.topics.all()),
        "partners": participation.partners,
        "exclude_municipality": participation.exclude_municipality,
        "exclude_district": participation.exclude_district,
        "excluded": [u.pk for u in participation.excluded.all()],
    }


@login_required
def round_list(request):
    rounds = MatchingRound.objects.filter(state__in=SHOWN_STATES)[:50]
    mine = set(Participation.objects.filter(user=request.user).values_list("round_id", flat=True))
    return render(request, "network/rounds.html", {"rounds": rounds, "mine": mine})


@login_required
def round_detail(request, pk):
    round_obj = get_object_or_404(MatchingRound, pk=pk, state__in=SHOWN_STATES)
    participation = Participation.objects.filter(round=round_obj, user=request.user).first()
    form = None
    if round_obj.state == MatchingRound.State.OPEN:
        form = JoinForm(request.POST or None, user=request.user, initial=_initial(participation))
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.join(request.user, round_obj, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sie sind dabei. Wir melden uns, sobald die Paare stehen."))
            return redirect("network:round", pk=round_obj.pk)
    cards = []
    if round_obj.state == MatchingRound.State.RELEASED and participation is not None:
        pairs = Pair.objects.filter(
            Q(first=request.user) | Q(second=request.user), round=round_obj
        ).select_related("first__network_profile", "second__network_profile")
        answered = set(
            TandemAnswer.objects.filter(user=request.user, pair__round=round_obj).values_list(
                "pair_id", flat=True
            )
        )
        for pair in pairs:
            other = pair.other(request.user)
            mine_accepted = (
                pair.first_accepted if pair.first_id == request.user.pk else pair.second_accepted
            )
            cards.append(
                {
                    "pair": pair,
                    "name": shown_name(getattr(other, "network_profile", None), MEMBER)
                    if other
                    else _("eine Person, die nicht mehr dabei ist"),
                    "email": other.email if other and pair.both_accepted else "",
                    "profile": getattr(other, "network_profile", None) if other else None,
                    "reasons": [reasons.text(r) for r in pair.reasons],
                    "mine_accepted": mine_accepted,
                    "ask": bool(pair.followup_sent) and pair.pk not in answered,
                }
            )
    unmatched = ""
    if (
        participation is not None
        and participation.unmatched_reason
        and round_obj.state == MatchingRound.State.RELEASED
    ):
        unmatched = reasons.UNMATCHED.get(participation.unmatched_reason, "")
    return render(
        request,
        "network/round.html",
        {
            "round": round_obj,
            "participation": participation,
            "form": form,
            "cards": cards,
            "unmatched": unmatched,
            "answers": TandemAnswer.Answer.choices,
        },
    )


@login_required
@require_POST
def pair_answer(request, pk, accept):
    try:
        pair = services.answer_pair(request.user, pk, accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        pair = get_object_or_404(Pair, pk=pk)
    else:
        messages.success(
            request,
            _("Danke! Sobald beide angenommen haben, seht ihr eure Kontaktdaten.")
            if accept
            else _("Sie haben das Tandem abgelehnt."),
        )
    return redirect("network:round", pk=pair.round_id)


@login_required
@require_POST
def follow_up(request, pk):
    try:
        answer = services.answer_follow_up(request.user, pk, request.POST.get("answer", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("network:rounds")
    messages.success(request, _("Danke für Ihre Antwort!"))
    return redirect("network:round", pk=answer.pair.round_id)
