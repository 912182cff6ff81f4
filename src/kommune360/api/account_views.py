"""The provider's API keys in "Mein Konto": create (shown once), list, revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kommune360.core.cache import mark_private
from kommune360.core.forms import Form

from . import tokens
from .models import ApiToken


class TokenForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Wofür Sie den Schlüssel nutzen, z. B. „Kursverwaltung“."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Gültig für"),
        coerce=int,
        choices=[
            (days, ngettext("%(days)s Tag", "%(days)s Tage", days) % {"days": days})
            for days in tokens.LIFETIMES
        ],
        initial=90,
    )


def _allowed(request):
    if not tokens.may_have_tokens(request.user):
        raise PermissionDenied
    mark_private(request)


@never_cache
@login_required
def token_list(request):
    _allowed(request)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.create_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["days"]
            )
        except tokens.TooManyTokens:
            form.add_error(
                None,
                ngettext(
                    "Sie haben schon %(count)s gültigen Schlüssel. Bitte widerrufen Sie ihn, "
                    "bevor Sie einen neuen anlegen.",
                    "Sie haben schon %(count)s gültige Schlüssel. Bitte widerrufen Sie einen, "
                    "bevor Sie einen neuen anlegen.",
                    tokens.MAX_ACTIVE,
                )
                % {"count": tokens.MAX_ACTIVE},
            )
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": tokens.tokens_of(request.user)[:50]},
    )


@login_required
@require_POST
def token_revoke(request, pk):
    _allowed(request)
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(request.user, token)
    messages.success(request, _("Der Schlüssel „%(name)s“ ist widerrufen.") % {"name": token.name})
    return redirect("api:tokens")
