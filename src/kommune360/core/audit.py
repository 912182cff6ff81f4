from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def log_action(actor, action: str, obj=None, **data) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``; call inside the service's transaction."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        data=data,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:255]
    entry.save()
    return entry
