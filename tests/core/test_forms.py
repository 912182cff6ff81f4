"""An empty required field says the same in every form of the site: one message per
kind of input (``core.forms.required_message``), whichever app, form or field."""

import pytest
from allauth.core import context
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from kommune360.atlas.models import Provider
from kommune360.core import forms as core_forms
from kommune360.events.models import Event, Question
from tests.factories.accounts import UserFactory

from .site_forms import dotted_name, site_forms

pytestmark = pytest.mark.django_db

# Classes that are no form a person fills in, and why.
NOT_FILLED_IN = {
    "kommune360.core.forms.Form": "the base class",
    "kommune360.core.forms.ModelForm": "the base class",
    # Checks the rows of an uploaded spreadsheet; its messages speak of cells.
    "kommune360.atlas.imports.RowForm": "spreadsheet rows of the offer import",
    # The survey snippet's base form: the editors' form test fills it through its panels.
    "kommune360.impact.wagtail_hooks.SurveyAdminForm": "base form of a snippet",
}

# allauth pages whose form the settings cannot replace, and why no message is missed.
FIXED_FORMS = {
    # One list of the person's own addresses without an empty entry: a browser always
    # sends one of them.
    "allauth.account.forms.RequestReauthenticationCodeForm",
}

MESSAGES = {
    "Bitte füllen Sie dieses Feld aus.",
    "Bitte wählen Sie eine Möglichkeit aus.",
    "Bitte wählen Sie mindestens eine Möglichkeit aus.",
    "Bitte setzen Sie das Häkchen, um fortzufahren.",
    "Bitte wählen Sie eine Datei aus.",
}


def _questions():
    kinds = [Question.Kind.TEXT, Question.Kind.CHOICE, Question.Kind.YES_NO]
    return [
        Question(pk=n, label=f"Frage {n}", kind=kind, choices="A\nB", required=True)
        for n, kind in enumerate(kinds, start=1)
    ]


def _award_round():
    from tests.factories.awards import CriterionFactory, QuestionFactory

    criterion = CriterionFactory()
    QuestionFactory(round=criterion.round, kind="choice", choices="A\nB")
    return criterion.round


def _arguments(name):
    """What a form's constructor needs besides the data; a new form with arguments of
    its own gets its line here."""
    user = UserFactory()
    return {
        "kommune360.accounts.forms.DeleteAccountForm": {"user": user},
        "kommune360.accounts.forms.AddEmailForm": {"user": user},
        "kommune360.accounts.forms.ChangePasswordForm": {"user": user},
        "kommune360.accounts.forms.SetPasswordForm": {"user": user},
        "kommune360.accounts.forms.ResetPasswordKeyForm": {"user": user, "temp_key": "k"},
        "kommune360.accounts.forms.ReauthenticateForm": {"user": user},
        "kommune360.accounts.forms.ConfirmLoginCodeForm": {"code": "ABCDEF"},
        "kommune360.accounts.forms.AuthenticateCodeForm": {"user": user},
        "kommune360.accounts.forms.ReauthenticateCodeForm": {"user": user},
        "kommune360.accounts.forms.ActivateTOTPForm": {"user": user},
        "kommune360.accounts.forms.DeactivateTOTPForm": {"authenticator": None},
        "kommune360.accounts.forms.GenerateRecoveryCodesForm": {"user": user},
        "kommune360.atlas.forms.OfferForm": {"providers": Provider.objects.all()},
        "kommune360.events.forms.RegistrationForm": {"event": Event(), "questions": _questions()},
        "kommune360.events.forms.SessionChoiceForm": {"sessions": []},
        "kommune360.awards.forms.ApplicationForm": {"round_": _award_round()},
        "kommune360.awards.forms.AttachmentForm": {"round_": _award_round()},
        "kommune360.awards.forms.ReviewForm": {"criteria": _award_round().criteria.all()},
        "kommune360.impact.forms.SurveyForm": {"questions": _survey_questions()},
    }.get(name, {})


def _survey_questions():
    from kommune360.impact.models import Question as SurveyQuestion

    return [
        SurveyQuestion(pk=n, text=f"Frage {n}", kind=kind)
        for n, kind in enumerate(SurveyQuestion.Kind, start=1)
    ]


FORMS = [cls for cls in site_forms() if dotted_name(cls) not in NOT_FILLED_IN]


def test_discovery_finds_the_forms_of_every_app_and_of_allauth():
    names = {dotted_name(cls) for cls in FORMS}
    assert len(names) >= 30, names
    assert {
        "kommune360.participation.forms.ContributionForm",
        "kommune360.newsletter.forms.SignupForm",
        "kommune360.learning.admin_views.RevokeForm",
        "kommune360.accounts.forms.LoginForm",
        "kommune360.accounts.forms.ActivateTOTPForm",
    } <= names


@pytest.fixture(autouse=True)
def _request(rf):
    """allauth's TOTP form keeps its secret in the session of the current request."""
    request = rf.post("/")
    request.session = SessionStore()
    with context.request_context(request):
        yield


@pytest.mark.parametrize("form_class", FORMS, ids=dotted_name)
def test_an_empty_form_names_each_required_field_with_the_message_of_its_kind(form_class):
    with translation.override("de"):
        form = form_class(data={}, files={}, **_arguments(dotted_name(form_class)))
        assert isinstance(form, core_forms.RequiredMessages)
        assert not form.is_valid() or not any(f.required for f in form.fields.values())
        for name, field in form.fields.items():
            if field.required and not field.disabled:
                expected = str(core_forms.required_message(field))
                assert [str(m) for m in form.errors.get(name, [])] == [expected], name


def test_the_same_kind_of_field_gets_the_same_message_everywhere():
    """Across all forms together: five messages, one per kind of input."""
    seen = {}
    with translation.override("de"):
        for form_class in FORMS:
            form = form_class(data={}, files={}, **_arguments(dotted_name(form_class)))
            form.is_valid()
            for name, field in form.fields.items():
                if field.required and name in form.errors:
                    kind = type(field.widget).__name__
                    seen.setdefault(kind, set()).update(str(m) for m in form.errors[name])
    assert set().union(*seen.values()) == MESSAGES, seen
    # one kind of input, one message
    assert all(len(messages) == 1 for messages in seen.values()), seen


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_page_with_a_form_class_gets_one_of_the_site(settings):
    """allauth's pages take their form from the settings (``ACCOUNT_FORMS``,
    ``MFA_FORMS``): each form a page of the site uses has its variant there."""
    ours = [
        import_string(path)
        for path in [*settings.ACCOUNT_FORMS.values(), *settings.MFA_FORMS.values()]
    ]
    pages = 0
    for route, callback in _views(get_resolver().url_patterns):
        view_class = getattr(callback, "view_class", None)
        form_class = getattr(view_class, "form_class", None)
        if not (isinstance(form_class, type) and issubclass(form_class, forms.BaseForm)):
            continue
        if view_class.__module__.startswith(("wagtail", "django.contrib")):
            continue  # the editors' area and Django's own admin
        pages += 1
        if issubclass(form_class, core_forms.RequiredMessages):
            continue
        if dotted_name(form_class) in FIXED_FORMS:
            continue
        replaced = [cls for cls in ours if issubclass(cls, form_class)]
        assert replaced, (route, dotted_name(form_class))
        assert all(issubclass(cls, core_forms.RequiredMessages) for cls in replaced)
    assert pages >= 15


def _fixed_texts(form_class):
    """The texts a form class declares for its fields: labels, hints, messages."""
    for name, field in form_class.base_fields.items():
        yield name, "label", field.label
        yield name, "help_text", field.help_text
        for key, message in (field.error_messages or {}).items():
            yield name, f"error {key}", message


def test_declared_field_texts_follow_the_language_of_the_page():
    """A form class is built once, at import: a text written there as a finished string
    (``_("… %(max)s …") % values``) stays in the language of that moment, German on the
    English pages. Declared texts are lazy until the form is shown."""
    found = []
    for form_class in site_forms():
        if not dotted_name(form_class).startswith("kommune360."):
            continue
        for name, what, text in _fixed_texts(form_class):
            if isinstance(text, str) and text and not isinstance(text, Promise):
                found.append(f"{dotted_name(form_class)}.{name} {what}: {text!r}")
    assert not found, "\n".join(found)


def _wagtail_edit_forms():
    """The editing form of every page type and every snippet of the site."""
    from wagtail.models import Page, get_page_models
    from wagtail.snippets.models import get_snippet_models

    for model in get_page_models():
        if model is not Page and model.__module__.startswith("kommune360."):
            yield dotted_name(model), model.get_edit_handler().get_form_class()
    for model in get_snippet_models():
        if model.__module__.startswith("kommune360."):
            yield dotted_name(model), model.snippet_viewset.get_form_class()


def _empty_edit_data(form_class):
    """What the browser sends for an editing form left empty: streams and inline lists
    say that they hold nothing."""
    from wagtail.blocks.base import BlockWidget

    data = {}
    probe = form_class(data={}, files={})
    for name, field in probe.fields.items():
        if isinstance(field.widget, BlockWidget):
            data[f"{name}-count"] = "0"
    for formset in getattr(probe, "formsets", {}).values():
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS"):
            data[f"{formset.prefix}-{key}"] = "0"
        data[f"{formset.prefix}-MAX_NUM_FORMS"] = "1000"
    return data


def test_the_editors_forms_give_an_empty_field_the_message_of_its_kind():
    """Wagtail's editing forms (pages, snippets) say what the site's forms say."""
    from wagtail.blocks.base import BlockWidget

    checked, editor = 0, UserFactory(is_superuser=True)
    with translation.override("de"):
        for name, form_class in _wagtail_edit_forms():
            form = form_class(data=_empty_edit_data(form_class), files={}, for_user=editor)
            form.is_valid()
            for field_name, field in form.fields.items():
                if isinstance(field.widget, BlockWidget):
                    continue  # a stream reports its blocks' errors (left to Wagtail)
                if field.required and field_name in form.errors:
                    checked += 1
                    expected = str(core_forms.required_message(field))
                    assert [str(m) for m in form.errors[field_name]] == [expected], (
                        name,
                        field_name,
                    )
    assert checked >= 10


@pytest.mark.django_db
def test_a_stream_says_in_german_what_to_do():
    """Wagtail calls any error in a page's body "Validation error in StreamBlock"."""
    from wagtail.blocks.base import BlockWidget

    from kommune360.editorial.models import ArticlePage

    form_class = ArticlePage.get_edit_handler().get_form_class()
    editor = UserFactory(is_superuser=True)
    empty = _empty_edit_data(form_class)
    with translation.override("de"):
        form = form_class(data=empty, files={}, for_user=editor)
        assert not form.is_valid()
        assert [str(m) for m in form.errors["body"]] == [str(core_forms.REQUIRED_BLOCKS)]
        body = {"body-count": "1", "body-0-type": "heading", "body-0-deleted": ""}
        body |= {"body-0-order": "0", "body-0-id": "", "body-0-value-text": ""}
        form = form_class(data=empty | body, files={}, for_user=editor)
        assert not form.is_valid()
        assert [str(m) for m in form.errors["body"]] == [str(core_forms.STREAM_ERRORS)]
        error = form.errors.as_data()["body"][0]
        assert 0 in error.block_errors  # the heading block keeps its own message
    assert isinstance(form.fields["body"].widget, BlockWidget)
