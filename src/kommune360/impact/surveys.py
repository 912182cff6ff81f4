"""Follow-up surveys: sending (once per person and survey), opt-out, answering.

The sending task asks each active survey's ``SurveySubject`` for the people whose
participation ended ``months`` ago and writes, per person, one ``Invitation`` row and
one outbox mail in the same transaction; the unique constraint (survey, person) makes
a second run — or a second worker — write nothing. People who opted out (one click,
``OptOut``) are never invited. An answer is stored as a ``Response`` without any
reference to the person; the invitation's token is used up (decision 0111).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.hashing import keyed_hash
from kommune360.core.languages import default_language
from kommune360.core.mail import queue_email
from kommune360.core.registry import registry
from kommune360.core.signed_links import SignedLink

from . import tallies
from .models import Answer, Invitation, OptOut, Question, Response, Survey

# People whose participation ended longer ago than the waiting time plus this are not
# invited any more (a survey attached late does not mail people from years ago).
LATEST = timedelta(days=60)
OPT_OUT = SignedLink("impact.survey-opt-out", timestamped=False)


def token_hash(token: str) -> str:
    return keyed_hash("impact:survey-token", token)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def subject_label(survey: Survey) -> str:
    subject = registry.survey_subject(survey.subject_key)
    obj = subject.get(survey.subject_id) if subject else None
    return str(obj) if obj is not None else ""


def due_participants(survey: Survey, today: date):
    subject = registry.survey_subject(survey.subject_key)
    obj = subject.get(survey.subject_id) if subject else None
    if obj is None:
        return []
    due = []
    for participant in subject.participants(obj):
        send_on = add_months(participant.ended_on, survey.months)
        if send_on <= today <= send_on + LATEST:
            due.append(participant)
    return due


def send_due(today: date | None = None) -> int:
    """Invite everyone due in every active survey; returns the number of mails queued."""
    today = today or timezone.localdate()
    sent = 0
    opted_out = set(OptOut.objects.values_list("person", flat=True))
    for survey in Survey.objects.filter(is_active=True).prefetch_related("questions"):
        invited = set(survey.invitations.values_list("person", flat=True))
        for participant in due_participants(survey, today):
            if participant.person in invited or participant.person in opted_out:
                continue
            if _invite(survey, participant, today):
                sent += 1
                invited.add(participant.person)
    return sent


def _invite(survey, participant, today) -> bool:
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            if OptOut.objects.filter(person=participant.person).exists():
                return False
            Invitation.objects.create(
                survey=survey,
                person=participant.person,
                token_hash=token_hash(token),
                sent_on=today,
            )
            _queue_mail(survey, participant, token)
    except IntegrityError:  # invited meanwhile by another run: once is enough
        return False
    return True


def _queue_mail(survey, participant, token):
    answer_url = settings.SITE_URL + reverse("impact:survey", args=[token])
    opt_out_url = settings.SITE_URL + reverse(
        "impact:opt_out", args=[OPT_OUT.sign_text(participant.person)]
    )
    context = {
        "survey": survey,
        "answer_url": answer_url,
        "opt_out_url": opt_out_url,
        "subject": subject_label(survey),
        "months": survey.months,
    }
    with default_language():
        text = render_to_string("impact/mail/survey.txt", context)
        subject = _("Kurze Nachbefragung: %(title)s") % {"title": survey.title}
    queue_email(
        subject,
        [participant.email],
        text,
        headers={
            "List-Unsubscribe": f"<{opt_out_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def invitation_for(token: str) -> Invitation | None:
    if not token:
        return None
    return (
        Invitation.objects.select_related("survey")
        .filter(token_hash=token_hash(token), answered=False)
        .first()
    )


def submit(token: str, values: dict) -> bool:
    """Store the answers of the invitation with ``token`` anonymously and use the token
    up. ``values`` maps question ids to the cleaned answer (number, bool or text)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token_hash=token_hash(token), answered=False)
            .first()
        )
        if invitation is None:
            return False
        invitation.token_hash = ""
        invitation.answered = True
        invitation.save(update_fields=["token_hash", "answered"])
        questions = Question.objects.filter(survey_id=invitation.survey_id)
        store_response(
            invitation.survey_id,
            timezone.localdate(),
            {question: values.get(question.pk) for question in questions},
        )
    return True


def store_response(survey_id: int, day: date, values: dict) -> Response:
    """Store one filled-in survey: a ``Response`` with the month of ``day`` only, an
    ``Answer`` per question of ``values`` (``Question`` → number, bool or text; empty
    ones are left out), counted into the tallies in the same transaction."""
    with transaction.atomic():
        response = Response.objects.create(survey_id=survey_id, month=day.replace(day=1))
        answers = []
        for question, value in values.items():
            if value is None or value == "":
                continue
            if question.kind == Question.Kind.TEXT:
                answers.append(Answer(response=response, question=question, text=str(value)))
            else:
                answers.append(Answer(response=response, question=question, number=value))
        Answer.objects.bulk_create(answers)
        tallies.count(answers, response.month)
    return response


def opt_out_person(signed: str) -> bool:
    """Record the opt-out a survey mail's link carries; ``False`` for a broken link."""
    person = OPT_OUT.read_text(signed)
    if not person:
        return False
    OptOut.objects.get_or_create(person=person)
    return True
