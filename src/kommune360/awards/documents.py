"""PDF documents (WeasyPrint, as core does for certificates): the applicant's copy of
an application and the jury's dossier for the meeting."""

from django.conf import settings
from django.template.loader import render_to_string

from kommune360.core.languages import in_default_language


def answer_rows(application, answers=None):
    """(question, answer) for the round's questions; files by their names."""
    answers = application.answers if answers is None else answers
    files = {}
    for attachment in application.attachments.all():
        files.setdefault(attachment.question_id, []).append(attachment.name)
    rows = []
    for question in application.round.questions.all():
        if question.kind == question.Kind.FILE:
            rows.append((question, ", ".join(files.get(question.pk, []))))
        else:
            rows.append((question, str(answers.get(str(question.pk), ""))))
    return rows


def _pdf(template, context) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


@in_default_language
def application_pdf(application) -> bytes:
    return _pdf(
        "awards/pdf/application.html",
        {
            "application": application,
            "round": application.round,
            "rows": answer_rows(application),
            "attachments": list(application.attachments.all()),
            "blind": False,
        },
    )


@in_default_language
def dossier_pdf(application, reviews, figures, *, blind) -> bytes:
    return _pdf(
        "awards/pdf/application.html",
        {
            "application": application,
            "round": application.round,
            "rows": answer_rows(application),
            "attachments": list(application.attachments.all()),
            "reviews": reviews,
            "figures": figures,
            "dossier": True,
            "blind": blind,
        },
    )
