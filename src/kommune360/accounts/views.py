from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommune360.core.http import content_disposition
from kommune360.core.registry import registry

from . import services
from .forms import DeleteAccountForm, ProfileForm


@login_required
def overview(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "organisation": user.organisation,
            "position": user.position,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(user, **form.cleaned_data)
        messages.success(request, _("Ihre Angaben wurden gespeichert."))
        return redirect("accounts:overview")
    return render(request, "accounts/overview.html", {"form": form})


@login_required
def second_factor_required(request):
    """Why staff need a second factor, and the way to set one up (accounts.second_factor)."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return render(request, "accounts/second_factor_required.html", {"next": next_url})


@login_required
def personal_data(request):
    sections = [entry.label for entry in registry.personal_data()]
    return render(request, "accounts/personal_data.html", {"sections": sections})


@login_required
@require_POST
def personal_data_download(request):
    content = services.export_personal_data_json(request.user)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"kommune360-daten-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user)
        # Only once the deletion has committed: a failed one leaves the person logged in.
        logout(request)
        messages.success(request, _("Ihr Konto und Ihre Daten wurden gelöscht."))
        return redirect("wagtail_serve", "")
    return render(request, "accounts/delete.html", {"form": form})
