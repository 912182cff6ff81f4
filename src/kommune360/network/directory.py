"""The members' directory: search, facets with counts, pagination.

A fixed number of queries whatever the number of profiles: one for the facet values
of every matching profile, three for their topic links, one for the topic names, and
the page itself (with its related rows). Facets count only what the profile opens to
members; a value someone closed neither counts nor can be filtered on.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from kommune360.core.models import State, Topic

from . import search
from .models import Profile, Role
from .visibility import MEMBER, audience, card, open_visibilities, with_related

PER_PAGE = 20
MAX_VALUES = 30  # per facet in a query; more are ignored


@dataclass(frozen=True)
class Facet:
    param: str
    label: object


FACETS = (
    Facet("funktion", _("Funktion")),
    Facet("land", _("Land")),
    Facet("thema", _("Themen")),
    Facet("biete", _("bietet etwas zu")),
    Facet("suche", _("sucht etwas zu")),
    Facet("fellow", _("Fellows")),
)
TOPIC_FIELDS = {"thema": "topics", "biete": "offers_topics", "suche": "seeks_topics"}


def _clean_int(values):
    found = []
    for value in values[:MAX_VALUES]:
        if value.isdigit() and len(value) < 10:
            found.append(int(value))
    return found


class DirectoryQuery:
    def __init__(self, params, viewer=None):
        self.params = params
        self.viewer = viewer
        self.q = (params.get("q") or "")[:200].strip()
        roles = {value for value, _label in Role.choices}
        states = {value for value, _label in State.choices}
        self.selected = {
            "funktion": [v for v in params.getlist("funktion")[:MAX_VALUES] if v in roles],
            "land": [v for v in params.getlist("land")[:MAX_VALUES] if v in states],
            "thema": _clean_int(params.getlist("thema")),
            "biete": _clean_int(params.getlist("biete")),
            "suche": _clean_int(params.getlist("suche")),
            "fellow": ["1"] if params.get("fellow") == "1" else [],
        }
        page = params.get("seite") or "1"
        self.page_number = int(page) if page.isdigit() and len(page) < 7 else 1
        self._rows = None

    # --- the facts of every matching profile -------------------------------------------
    def base(self):
        queryset = Profile.objects.filter(is_active=True, user__is_active=True)
        if self.viewer is not None and self.viewer.is_authenticated:
            from .services.contact import blocked_me_ids

            queryset = queryset.exclude(user_id__in=blocked_me_ids(self.viewer))
        parsed = search.parse(self.q)
        if parsed:
            queryset = search.matching(queryset, parsed)
        return queryset

    def rows(self):
        """pk → facet values the viewer may filter on, for every profile found."""
        if self._rows is not None:
            return self._rows
        opened = open_visibilities(MEMBER)
        base = self.base()
        rows = {}
        for (
            pk,
            name,
            name_vis,
            role,
            role_vis,
            state,
            mun_vis,
            fellow,
            *topic_vis,
        ) in base.values_list(
            "pk",
            "name",
            "name_visibility",
            "role",
            "role_visibility",
            "municipality__state",
            "municipality_visibility",
            "is_fellow",
            "topics_visibility",
            "offers_visibility",
            "seeks_visibility",
        ):
            rows[pk] = {
                "sort": (0, name.casefold()) if name_vis in opened else (1, ""),
                "funktion": {role} if role and role_vis in opened else set(),
                "land": {state} if state and mun_vis in opened else set(),
                "fellow": {"1"} if fellow else set(),
                "open": dict(
                    zip(("thema", "biete", "suche"), (v in opened for v in topic_vis), strict=True)
                ),
                "thema": set(),
                "biete": set(),
                "suche": set(),
            }
        ids = base.values("pk")
        for param, field in TOPIC_FIELDS.items():
            through = getattr(Profile, field).through
            for profile_id, topic_id in through.objects.filter(profile_id__in=ids).values_list(
                "profile_id", "topic_id"
            ):
                row = rows.get(profile_id)
                if row is not None and row["open"][param]:
                    row[param].add(topic_id)
        self._rows = rows
        return rows

    def _matches(self, row, skip=None):
        for param, values in self.selected.items():
            if param == skip or not values:
                continue
            if not row[param] & set(values):
                return False
        return True

    def result_ids(self):
        rows = self.rows()
        found = [pk for pk, row in rows.items() if self._matches(row)]
        return sorted(found, key=lambda pk: (rows[pk]["sort"], pk))

    # --- facets ------------------------------------------------------------------------
    def facet_groups(self):
        rows = self.rows()
        topics = {t.pk: t for t in Topic.objects.all()}
        labels = {
            "funktion": dict(Role.choices),
            "land": dict(State.choices),
            "fellow": {"1": _("nur Fellows")},
        }
        groups = []
        for facet in FACETS:
            counts = {}
            for row in rows.values():
                if self._matches(row, skip=facet.param):
                    for value in row[facet.param]:
                        counts[value] = counts.get(value, 0) + 1
            selected = {str(v) for v in self.selected[facet.param]}
            options = []
            if facet.param in TOPIC_FIELDS:
                choices = [(t.pk, t.display_name, t) for t in topics.values()]
            else:
                choices = [(value, label, None) for value, label in labels[facet.param].items()]
            for value, label, term in choices:
                count = counts.get(value, 0)
                if count or str(value) in selected:
                    options.append(
                        {
                            "value": value,
                            "label": label,
                            "term": term,
                            "count": count,
                            "selected": str(value) in selected,
                            "input_id": f"f-{facet.param}-{value}",
                        }
                    )
            if options:
                groups.append({"facet": facet, "options": options, "selected_count": len(selected)})
        return groups

    # --- page ----------------------------------------------------------------------------
    def page(self):
        paginator = Paginator(self.result_ids(), PER_PAGE)
        page = paginator.get_page(self.page_number)
        ids = list(page.object_list)
        profiles = {p.pk: p for p in with_related(Profile.objects.filter(pk__in=ids))}
        page.cards = [
            card(profiles[pk], audience(self.viewer, profiles[pk])) for pk in ids if pk in profiles
        ]
        return page

    @property
    def is_filtered(self) -> bool:
        return bool(self.q) or any(self.selected.values())

    def querystring(self, **changes) -> str:
        pairs = []
        if self.q:
            pairs.append(("q", self.q))
        for param, values in self.selected.items():
            pairs += [(param, str(value)) for value in values]
        page = changes.get("page")
        if page and page != 1:
            pairs.append(("seite", str(page)))
        return urlencode(pairs)
