"""The "Warum ihr?" card: the strongest parts of a pair's score in plain German, and
the general reason for those who stay without a partner."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core.models import Municipality, Topic

from ..models import Role

SHOWN = 3
UNMATCHED = {
    "excluded": gettext_lazy(
        "Mit Ihren Ausschlüssen (Kommune, Kreis oder genannte Personen) blieb in dieser Runde "
        "niemand übrig, der zu Ihnen passt."
    ),
    "capacity": gettext_lazy(
        "Die Personen, die am besten zu Ihnen gepasst hätten, hatten schon so viele "
        "Tandems, wie sie wollten. In der nächsten Runde sieht das vielleicht anders aus."
    ),
}


def strongest(parts) -> list[dict]:
    """The three strongest positive parts (without the base every pair has)."""
    shown = [
        {"key": key, "weight": weight, "details": details}
        for key, weight, details in parts
        if key != "base" and weight > 0
    ]
    shown.sort(key=lambda part: -part["weight"])
    return shown[:SHOWN]


def _topic_names(ids) -> str:
    names = dict(Topic.objects.filter(pk__in=ids).values_list("pk", "name"))
    return ", ".join(f"„{names[i]}“" for i in ids if i in names)


def text(reason: dict) -> str:
    key, details = reason["key"], reason.get("details", {})
    roles = dict(Role.choices)
    if key == "roles":
        first, second = details.get("roles", ("", ""))
        return _("Leitung und Planung ergänzen sich: %(first)s trifft %(second)s.") % {
            "first": roles.get(first, first),
            "second": roles.get(second, second),
        }
    if key == "shared":
        return _("Ihr beschäftigt euch beide mit %(topics)s.") % {
            "topics": _topic_names(details.get("topics", []))
        }
    if key == "offer":
        return _(
            "Eine:r von euch bietet etwas zu %(topics)s – genau das sucht die andere Person."
        ) % {"topics": _topic_names(details.get("topics", []))}
    if key == "kind":
        kinds = dict(Municipality.Kind.choices)
        return _("Ihr arbeitet in der gleichen Art von Kommune (%(kind)s).") % {
            "kind": kinds.get(details.get("kind"), "")
        }
    if key == "size":
        return _("Eure Kommunen sind ähnlich groß.")
    if key == "states":
        return _("Ihr kommt aus verschiedenen Ländern und bringt andere Erfahrungen mit.")
    return ""
