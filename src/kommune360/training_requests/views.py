"""The training request form: parse, check, delegate to ``services``."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from kommune360.core import ratelimit
from kommune360.core.cache import mark_private

from . import services
from .forms import TrainingRequestForm

# Documents cost CPU (WeasyPrint): per visitor and hour. Mails go to an address the
# member types in: only logged-in accounts may send them, so many per account and hour.
DOCUMENTS_PER_HOUR = 30
MAILS_PER_HOUR = 10
DOCUMENTS = ratelimit.Limit("training_requests:document", DOCUMENTS_PER_HOUR)
MAILS = ratelimit.Limit("training_requests:mail", MAILS_PER_HOUR, per=ratelimit.USER)


def request_form(request, key, pk):
    source, obj, facts = services.load(key, pk, request)
    mark_private(request)
    user = request.user
    sent = False
    if request.method == "POST":
        form = TrainingRequestForm(request.POST, user=user)
        if form.is_valid():
            mail = form.output == "mail"
            if (MAILS if mail else DOCUMENTS).exceeded(request):
                form.add_error(
                    None,
                    _(
                        "Sie haben in kurzer Zeit sehr viele Anträge erstellt. Bitte versuchen "
                        "Sie es in einer Stunde noch einmal."
                    ),
                )
            else:
                requester = services.Requester.from_data(form.cleaned_data)
                services.keep_details(
                    user, requester, remember=form.cleaned_data.get("remember", False)
                )
                document = services.document_facts(key, pk, request)
                if not mail:
                    return services.download(document, requester, form.output)
                services.send_to_supervisor(obj, document, requester, user=user)
                sent = True
    else:
        form = TrainingRequestForm(initial=services.initial_for(user), user=user)
    response = render(
        request,
        "training_requests/form.html",
        {
            "source": source,
            "object": obj,
            "facts": facts,
            "rows": services.fact_rows(facts),
            "form": form,
            "sent": sent,
            "back_url": facts.url.removeprefix(settings.SITE_URL) or "/",
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
