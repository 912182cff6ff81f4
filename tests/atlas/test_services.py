from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kommune360.atlas import services
from kommune360.atlas.models import Offer
from kommune360.core.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.core import FormatFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db
Status = Offer.Status


def offer_data(**overrides):
    return {
        "title": "Werkstatt Jugendhilfeplanung",
        "summary": "Zwei Tage Praxis",
        "format": FormatFactory(name="Workshop/Seminar"),
        "target_groups": [TargetGroupFactory(name="Jugendhilfeplanung")],
        "cost": Offer.Cost.AMOUNT,
        "cost_amount": 250,
        **overrides,
    }


def actions(offer):
    return list(
        AuditEntry.objects.filter(object_id=str(offer.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_provider_creates_submits_and_editor_approves(
    provider, provider_user, editor, mailoutbox, django_capture_on_commit_callbacks
):
    offer = services.create_offer(provider_user, provider, offer_data())
    assert offer.status == Status.DRAFT
    assert offer.cost_band == Offer.CostBand.UP_TO_500
    assert offer.created_by == provider_user
    services.submit_offer(provider_user, offer)
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.approve_offer(editor, offer)
    assert offer.status == Status.PUBLISHED
    assert offer.published_at is not None
    assert offer.last_checked == timezone.localdate()
    assert actions(offer) == [
        "atlas.offer_created",
        "atlas.offer_submitted",
        "atlas.offer_approved",
    ]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [provider_user.email]
    assert "freigegeben" in mailoutbox[0].subject
    assert offer.get_absolute_url() in mailoutbox[0].body


def test_rejection_needs_a_reason_and_tells_the_provider(
    provider, provider_user, editor, mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory(provider=provider, status=Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.reject_offer(editor, offer, "  ")
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.reject_offer(editor, offer, "Bitte Lernziele ergänzen.")
    assert offer.status == Status.DRAFT
    assert offer.rejection_reason == "Bitte Lernziele ergänzen."
    assert "Bitte Lernziele ergänzen." in mailoutbox[0].body
    assert AuditEntry.objects.get(action="atlas.offer_rejected").data == {
        "reason": "Bitte Lernziele ergänzen."
    }
    # Submitting again clears the reason.
    services.submit_offer(provider_user, offer)
    offer.refresh_from_db()
    assert offer.rejection_reason == ""


def test_only_editors_review(provider, provider_user):
    offer = OfferFactory(provider=provider, status=Status.SUBMITTED)
    member = UserFactory(roles=["Mitglied"])
    for user in (provider_user, member):
        with pytest.raises(PermissionDenied):
            services.approve_offer(user, offer)
        with pytest.raises(PermissionDenied):
            services.reject_offer(user, offer, "nein")
        with pytest.raises(PermissionDenied):
            services.publish_offer(user, offer)


def test_wrong_state_transitions_are_refused(editor):
    offer = OfferFactory(status=Status.DRAFT)
    with pytest.raises(ValidationError):
        services.approve_offer(editor, offer)
    published = OfferFactory()
    with pytest.raises(ValidationError):
        services.submit_offer(editor, published)


def test_provider_may_only_touch_its_own_provider(provider, provider_user):
    other = OfferFactory(provider=ProviderFactory())
    with pytest.raises(PermissionDenied):
        services.update_offer(provider_user, other, {"title": "Gekapert"})
    with pytest.raises(PermissionDenied):
        services.create_offer(provider_user, other.provider, offer_data())
    # The role is needed as well as the link.
    no_role = UserFactory()
    provider.maintainers.add(no_role)
    with pytest.raises(PermissionDenied):
        services.create_offer(no_role, provider, offer_data())


def test_provider_change_to_published_offer_goes_back_to_review(provider, provider_user, editor):
    offer = OfferFactory(provider=provider, last_checked=timezone.localdate() - timedelta(days=400))
    offer = services.update_offer(provider_user, offer, {"title": "Neuer Titel"})
    assert offer.status == Status.SUBMITTED
    assert offer.last_checked == timezone.localdate()
    offer = services.update_offer(editor, OfferFactory(), {"title": "Redaktion ändert"})
    assert offer.status == Status.PUBLISHED


def test_model_invariants_give_german_messages(provider, provider_user):
    with pytest.raises(ValidationError) as error:
        services.create_offer(
            provider_user, provider, offer_data(cost_amount=None, region=Offer.Region.STATE)
        )
    assert error.value.message_dict["cost_amount"] == ["Bitte geben Sie den Betrag in Euro an."]
    assert "state" in error.value.message_dict


def test_archive_and_confirm(
    provider, provider_user, mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory(provider=provider, last_checked=timezone.localdate() - timedelta(days=500))
    assert offer.is_stale
    offer = services.confirm_offer_checked(provider_user, offer)
    assert not offer.is_stale
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.archive_offer(provider_user, offer)
    assert offer.status == Status.ARCHIVED
    assert "archiviert" in mailoutbox[0].subject


def test_monthly_reminder_once_per_provider_and_month(
    provider, provider_user, mailoutbox, django_capture_on_commit_callbacks
):
    old = timezone.localdate() - timedelta(days=366)
    OfferFactory(provider=provider, title="Alt A", last_checked=old)
    OfferFactory(provider=provider, title="Alt B", last_checked=old)
    OfferFactory(provider=provider, title="Frisch")
    OfferFactory(provider=provider, title="Alt, aber Entwurf", last_checked=old, status="entwurf")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_offers() == 1
    assert len(mailoutbox) == 1
    assert "Alt A" in mailoutbox[0].body and "Alt B" in mailoutbox[0].body
    assert "Frisch" not in mailoutbox[0].body and "Entwurf" not in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_offers() == 0
    assert len(mailoutbox) == 1


def test_personal_data_export_and_erasure(provider, provider_user):
    from kommune360.core.registry import registry

    entry = next(e for e in registry.personal_data() if e.app_label == "atlas")
    offer = services.create_offer(provider_user, provider, offer_data())
    data = entry.export(provider_user)
    assert data["maintained_providers"] == [provider.name]
    assert data["offers_created"][0]["title"] == offer.title
    entry.erase(provider_user)
    provider_user.delete()
    offer.refresh_from_db()
    assert offer.created_by is None
    assert provider.maintainers.count() == 0


def test_monthly_task_and_command(provider, capsys):
    from django.core.management import call_command

    from kommune360.atlas.tasks import remind_stale_offers

    OfferFactory(provider=provider, last_checked=timezone.localdate() - timedelta(days=400))
    assert remind_stale_offers.enqueue().return_value == 1
    call_command("atlas_remind_stale")
    assert "Erinnerung eingeplant" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="atlas.stale_reminder").count() == 1


def test_reminder_is_a_periodic_task_of_the_worker(provider, mailoutbox, settings):
    from django.core.cache import cache

    from kommune360.atlas.tasks import remind_stale_offers
    from kommune360.core.registry import registry
    from kommune360.core.scheduler import enqueue_due_tasks

    entry = next(p for p in registry.periodic_tasks() if p.name == "atlas.remind_stale_offers")
    assert entry.task is remind_stale_offers
    assert entry.interval == timedelta(days=1)
    OfferFactory(provider=provider, title="Alt", last_checked=timezone.localdate() - timedelta(400))
    cache.delete("scheduler:atlas.remind_stale_offers")
    assert "atlas.remind_stale_offers" in enqueue_due_tasks()  # runs at once under pytest
    assert "atlas.remind_stale_offers" not in enqueue_due_tasks()  # not due again yet


def test_no_second_mail_in_a_month_even_after_confirming_and_new_stale_offers(
    provider, provider_user, mailoutbox, django_capture_on_commit_callbacks
):
    old = timezone.localdate() - timedelta(days=366)
    first = OfferFactory(provider=provider, title="Alt A", last_checked=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_offers() == 1
    # The provider confirms (which clears the offer's reminder date), another offer
    # goes stale, the worker restarts and runs again: still no second mail this month.
    services.confirm_offer_checked(provider_user, first)
    OfferFactory(provider=provider, title="Alt B", last_checked=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_offers() == 0
    assert len(mailoutbox) == 1
    # Next month the remaining stale offer is reminded.
    entry = AuditEntry.objects.get(action="atlas.stale_reminder")
    AuditEntry.objects.filter(pk=entry.pk).update(timestamp=entry.timestamp - timedelta(days=40))
    Offer.objects.update(reminder_sent=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_offers() == 1
    assert "Alt B" in mailoutbox[1].body and "Alt A" not in mailoutbox[1].body
