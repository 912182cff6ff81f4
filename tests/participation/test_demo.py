from kommune360.participation.demo import load_participation_demo
from kommune360.participation.models import Call, Contribution, FollowUp, Kind, Status


def test_demo_is_complete_and_idempotent(moderator, client):
    load_participation_demo()
    load_participation_demo()
    call = Call.objects.get()
    assert call.title == "Mitdenker:innen gesucht"
    on_call = Contribution.objects.filter(object_id=str(call.pk), parent__isnull=True)
    kinds = dict(on_call.values_list("kind", "status"))
    assert kinds[Kind.COMMENT] == Status.PUBLISHED
    assert kinds[Kind.OBJECTION] == Status.PUBLISHED
    assert kinds[Kind.COOPERATION] == Status.INTERNAL
    assert kinds[Kind.DISCOURSE] == Status.INTERNAL
    assert FollowUp.objects.count() == 2
    assert Contribution.objects.filter(is_official=True).count() == 1
    html = client.get("/mitdenken/").content.decode()
    assert "Erika Beispiel" in html and "Offizielle Antwort des Teams" in html
    assert "Mitdenker:innen gesucht" in html


def test_demo_of_all_apps_reaches_every_commentable_model(moderator):
    from django.core.management import call_command

    from kommune360.core.registry import registry
    from kommune360.participation.targets import target_for

    call_command("load_demo", verbosity=0)
    for entry in registry.commentables():
        obj = entry.model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        target = target_for(getattr(obj, "specific", obj))
        if not target.is_public():
            continue
        published = Contribution.objects.for_target(target.content_type, target.object_id).public()
        assert published.exists(), entry.label
        assert target.url, entry.label
