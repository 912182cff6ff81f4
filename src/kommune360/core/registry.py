"""One registry for the mechanisms that span apps.

Each app declares once, in its ``AppConfig.ready()``, what it contributes: the personal
data it holds (export and erasure), figures for the impact page, things people may
comment on, items an editor may put in a newsletter, models in the site search,
entries of the main navigation, periodic tasks, the demo content it loads, the objects
people may write a training request (Fortbildungsantrag) for, the models its public
pages show (page-cache invalidation), and what it contributes to other apps' pages
(home sections, extras on detail pages; ``core`` renders them, see
``kommune360.core.contributions``) and the panels of the editors' dashboard
(``kommune360.core.dashboard``), and the things a follow-up survey may be attached to
(``SurveySubject``), and the collections of the public API (``api``). Shared code asks
the registry; nothing keeps a hand-written list of apps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PersonalData:
    """Personal data an app holds about a user (``core.personal_data`` runs them).

    ``export(user)`` returns something JSON can write; ``erase(user)`` removes or
    anonymises it and runs inside the transaction that deletes the account, in
    ``order``. ``identifiers(user)`` (optional) returns the texts by which the app's
    rows name the person beyond the account (a name or address typed into a form);
    erasure removes them from the audit log and the outbox as well. Each app keeps
    these functions in its ``personal_data`` module, and ``tests/<app>/personal_data.py``
    fills them for the erasure test.
    """

    app_label: str
    label: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]
    identifiers: Callable[[Any], Any] | None = None
    order: int = 100


@dataclass(frozen=True)
class Figure:
    """A figure for the impact page (``impact``), e.g. podcast downloads in a year.

    ``compute(year=None)`` returns the figure for one calendar year (Europe/Berlin), or
    for all time without ``year``; it must accept further keyword arguments and ignore
    them. ``stage`` is the figure's step on PHINEO's Wirkungstreppe (1–3 output, 4–6
    outcome, 7 impact; 0 when none fits) and ``method`` says in one German sentence
    how it is counted (shown next to the value and in the report).
    """

    key: str
    label: str
    compute: Callable[..., int | float]
    unit: str = ""
    stage: int = 0
    method: str = ""


@dataclass(frozen=True)
class NavigationEntry:
    label: str
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class FooterLink:
    """A page every visitor should be able to find that is no main navigation entry
    (e.g. "Offene Daten"): a link in the footer of every page."""

    label: str
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class AccountPage:
    """A page of the person's own area ("Mein Konto"), e.g. "Meine Anmeldungen".

    ``applies(user)`` (optional) decides whether the person sees it, e.g. the offers
    only for providers; it runs on every page of "Mein Konto", so at most one query
    (remembered on the user object when several entries ask the same).
    """

    label: str
    url_name: str
    order: int = 100
    applies: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Commentable:
    """A model people may leave contributions on (Mitdenken)."""

    model: type
    label: str
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class NewsletterItem:
    """A model an editor may put into a newsletter section as a teaser.

    ``queryset`` (optional) returns the objects offered for choice, e.g. only published
    ones; without it all objects (live ones for pages) are offered.
    """

    model: type
    label: str
    teaser: Callable[[Any], dict]
    queryset: Callable[[], Any] | None = None


def teaser(*, title, text, path, kind, date=None) -> dict:
    """What a ``NewsletterItem``'s ``teaser`` returns: title, text, absolute link, the
    kind shown above the title, and a date if the item has one."""
    from django.conf import settings

    url = settings.SITE_URL + path if path and path.startswith("/") else path
    return {"title": title, "text": text, "url": url, "kind": str(kind), "date": date}


@dataclass(frozen=True)
class Searchable:
    """A model in the site search, with the type name shown as a filter."""

    model: type
    label: str
    queryset: Callable[[], Any]


@dataclass(frozen=True)
class SitemapSection:
    """Public pages an app lists in ``/sitemap.xml``.

    ``url_names`` are its list pages (reversed without arguments); ``items()`` returns
    its public objects, each with ``get_absolute_url()``; ``lastmod`` names the field
    that holds an object's last change (a date or time), if there is one.
    """

    name: str
    url_names: tuple[str, ...] = ()
    items: Callable[[], Any] | None = None
    lastmod: str | None = None


@dataclass(frozen=True)
class Periodic:
    """A task the worker enqueues every ``interval`` (a ``datetime.timedelta``).

    The task must be idempotent: after a restart of a worker without Redis it may run
    once more than strictly due.
    """

    name: str
    task: Any
    interval: Any


@dataclass(frozen=True)
class DemoStep:
    """Loads an app's demo content; must be idempotent (``load_demo`` runs it again).

    ``logins`` are the demo accounts it creates, as (e-mail address, what the login is
    for) pairs; ``make run`` prints them all (``kommune360 demo_logins``).
    """

    app_label: str
    load: Callable[[], None]
    order: int = 100
    logins: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TrainingFacts:
    """What a supervisor and HR need to approve a training (Fortbildungsantrag).

    Texts are ready to print (German, formatted); ``schedule`` holds one line per date
    or cohort, ``hours`` the total as text ("24 Stunden") or "" when unknown; an empty
    ``provider`` means the network itself (its name from the site settings).
    """

    kind: str
    title: str
    provider: str
    description: str
    url: str
    learning_goals: tuple[str, ...] = ()
    schedule: tuple[str, ...] = ()
    hours: str = ""
    place: str = ""
    online: bool = False
    cost_text: str = ""
    includes: str = ""
    certificate: str = ""
    modules: tuple[tuple[str, str], ...] = ()
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TrainingRequestSource:
    """Objects people may write a training request for (``training_requests`` app).

    ``key`` is the URL part (``/fortbildungsantrag/<key>/<id>/``); ``get(pk)`` returns
    the public object or ``None``; ``facts(obj)`` returns ``TrainingFacts`` or ``None``
    when the object lacks facts a request needs; ``has_facts(obj)`` answers the same
    without queries beyond what a detail page has already loaded (it decides whether
    the page links to the request).
    """

    key: str
    model: type
    label: str
    get: Callable[[int], Any]
    facts: Callable[[Any], TrainingFacts | None]
    has_facts: Callable[[Any], bool]


@dataclass(frozen=True)
class PageDependency:
    """A model whose rows public pages show (with its subclasses).

    ``core`` empties the page cache when one is saved or deleted or its many-to-many
    links change (``core.cache``); Wagtail pages need no entry (publishing and
    unpublishing empty it). Changes that send no signal (``QuerySet.update()``) call
    ``core.cache.invalidate_pages()`` themselves.

    ``shown(row)``, where only some rows are on public pages (published contributions,
    not the unconfirmed ones anybody may send): a row that neither was shown when it
    was read nor is shown when saved or deleted leaves the cache alone, so visitors
    writing what nobody else sees yet do not empty it for everyone.
    """

    model: type
    shown: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class HomeSection:
    """A section an app contributes to the home page, e.g. the next events.

    ``core`` renders ``template`` with what ``context(request)`` returns (nothing more
    without it). Editors place a section with the home page's block "Bereich aus einem
    anderen Modul"; sections they have not placed follow the editor's sections.
    """

    key: str
    label: Any
    template: str
    context: Callable[[Any], dict] | None = None
    order: int = 100


@dataclass(frozen=True)
class PageExtra:
    """Something an app adds to the detail pages of other apps' models, e.g. the
    Mitdenken contributions or the link to a training request.

    A detail page says where extras go with ``{% page_extras obj "<slot>" %}`` (tag
    library ``core``); ``core`` renders there every extra of that ``slot`` whose
    ``models()`` include the object's class and that ``applies(obj)`` (without queries
    beyond what the page has loaded; no ``applies`` means always). ``template`` is
    rendered with ``context(page_context, obj, **options)``, ``options`` being the tag's
    keyword arguments (e.g. ``section="matrix"``). ``models`` is asked at render time,
    so it may follow other entries (every ``Commentable``).

    Slots: ``"actions"`` next to the page's main action, ``"end"`` after the content.
    """

    key: str
    slot: str
    template: str
    models: Callable[[], Iterable[type]]
    context: Callable[..., dict]
    applies: Callable[[Any], bool] | None = None
    order: int = 100


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of the Wagtail dashboard (``/admin/``) that shows editors what needs them,
    e.g. the contributions waiting for moderation.

    ``core`` shows it to a user who has ``permission`` (a permission name) or for whom
    ``visible(user)`` is true, and renders ``template`` inside a panel headed ``label``
    with what ``context(request)`` returns: counts and the links to the screens where
    the editor acts. ``None`` means nothing needs anybody: the panel then says ``empty``
    (a German sentence). The context must cost a fixed number of queries, however many
    rows there are (``tests/core/test_dashboard.py`` pins the dashboard's count).
    """

    key: str
    label: Any
    template: str
    context: Callable[[Any], dict | None]
    empty: Any
    permission: str | None = None
    visible: Callable[[Any], bool] | None = None
    order: int = 100

    def shown_to(self, user) -> bool:
        if self.visible is not None:
            return bool(self.visible(user))
        return self.permission is None or user.has_perm(self.permission)


@dataclass(frozen=True)
class SurveyParticipant:
    """One person a follow-up survey may be mailed to (see ``SurveySubject``).

    ``person`` is stable for the same person however often the list is asked (the
    impact app sends each survey once per ``person``, and a one-click opt-out is kept
    under it); ``of(email, ended_on)`` derives it from the normalised address, which
    every app should use so one person has one key across apps. ``ended_on`` is the
    day their participation ended (the survey goes out 3 or 6 months after it).
    """

    person: str
    email: str
    ended_on: Any

    @classmethod
    def of(cls, email: str, ended_on) -> SurveyParticipant:
        import hashlib

        from .addresses import normalize_email

        address = normalize_email(email)
        # Unkeyed on purpose (decision 0110, like 0042): a key rotation must not
        # forget who opted out or who already received a survey.
        person = hashlib.sha256(b"kommune360-survey:" + address.encode()).hexdigest()
        return cls(person, address, ended_on)


@dataclass(frozen=True)
class SurveySubject:
    """Things a follow-up survey may be attached to, e.g. events or Lernpfad cohorts.

    ``key`` names the kind (stored with the survey, e.g. ``"events.event"``);
    ``choices()`` returns the objects an editor may pick (newest first);
    ``get(pk)`` returns one of them or ``None``; ``participants(obj)`` returns the
    ``SurveyParticipant`` list of those whose participation ended (never people who
    only applied, cancelled or waited). The impact app sends, stores and evaluates;
    the subject's app only says who took part and when it ended.
    """

    key: str
    label: Any
    choices: Callable[[], Any]
    get: Callable[[int], Any]
    participants: Callable[[Any], Iterable[SurveyParticipant]]


@dataclass(frozen=True)
class PagelessPath:
    """Addresses under ``prefix`` answer no page of the site (JSON, say): the page cache
    does not look them up and the layout's shared parts are not read for them
    (``core.cache``, ``core.shared_parts``)."""

    prefix: str


class SearchChanged(Exception):
    """An ``ApiResource``'s ``read_page`` found that what its ``search`` searched has
    changed since: the list searches and reads once more."""


@dataclass(frozen=True)
class ApiResource:
    """A collection of the public read API (``/api/v1/<name>/``, the ``api`` app).

    ``queryset()`` returns what the site shows publicly, and nothing else (the API adds
    no check of its own); ``schema`` is the pydantic model of one object and
    ``serialize(obj)`` the dict that fills it (from what ``queryset()`` loaded: a fixed
    number of queries per page). ``lookup`` names the field in the detail URL.
    ``params`` (a pydantic model) documents the list's query parameters and
    ``filter(queryset, params)`` applies them; it raises ``ValueError`` with a German
    message for a value it does not know (the API answers 400). ``search(params)``
    instead, for a list searched outside the database (the atlas's snapshot), returns
    ``(matches, extra)``: the matches (``len(matches)`` their number,
    ``matches.first_after(after, count)`` the ``count`` smallest ids above ``after``,
    ascending) and what the list adds to its answer (facet counts), described by
    ``extra_schema``; its ``read_page(ids)`` returns the page's
    objects as the API writes them, in the order of ``ids`` (plain rows instead of
    model instances, the taxonomy from the atlas's snapshot; the detail uses
    ``serialize``; it may raise ``SearchChanged`` once per request).
    ``modified`` gives a detail's ``Last-Modified``: a field, or a callable taking the
    object, whose time is at least that of every change the detail shows (related
    names, counts and states derived from other rows or from the clock included);
    without one the detail has only its ETag. Lists have no ``Last-Modified`` (their
    count and facets follow objects not on the page). Pages run in ascending ``pk``
    order: a cursor stays valid while objects come and go.
    """

    name: str
    label: Any
    schema: type
    queryset: Callable[[], Any]
    serialize: Callable[[Any], dict]
    lookup: str = "slug"
    lookup_type: type = str
    params: type | None = None
    filter: Callable[[Any, Any], Any] | None = None
    search: Callable[[Any], tuple[Any, dict]] | None = None  # (matches, extra)
    extra_schema: type | None = None
    read_page: Callable[[list], tuple[list[dict], Any]] | None = None
    modified: str | Callable[[Any], Any] | None = None
    description: Any = ""
    order: int = 100


class Registry:
    def __init__(self):
        self._entries: dict[type, list] = {}
        self._listeners: dict[type, list[Callable[[Any], None]]] = {}

    def add(self, entry) -> None:
        entries = self._entries.setdefault(type(entry), [])
        if entry not in entries:
            entries.append(entry)
            for listener in self._listeners.get(type(entry), []):
                listener(entry)

    def on_add(self, kind: type, listener: Callable[[Any], None]) -> None:
        """Call ``listener(entry)`` for every entry of ``kind``: those added so far and
        those added later (``core`` is ready before the apps that declare entries)."""
        self._listeners.setdefault(kind, []).append(listener)
        for entry in self._of(kind):
            listener(entry)

    def _of(self, kind: type) -> list:
        return list(self._entries.get(kind, []))

    def personal_data(self) -> list[PersonalData]:
        return sorted(self._of(PersonalData), key=lambda e: e.order)

    def figures(self) -> list[Figure]:
        return self._of(Figure)

    def navigation(self) -> list[NavigationEntry]:
        return sorted(self._of(NavigationEntry), key=lambda e: e.order)

    def footer_links(self) -> list[FooterLink]:
        return sorted(self._of(FooterLink), key=lambda e: e.order)

    def account_pages(self) -> list[AccountPage]:
        return sorted(self._of(AccountPage), key=lambda e: e.order)

    def commentables(self) -> list[Commentable]:
        return self._of(Commentable)

    def newsletter_items(self) -> list[NewsletterItem]:
        return self._of(NewsletterItem)

    def searchables(self) -> list[Searchable]:
        return self._of(Searchable)

    def sitemap_sections(self) -> list[SitemapSection]:
        return self._of(SitemapSection)

    def periodic_tasks(self) -> list[Periodic]:
        return self._of(Periodic)

    def demo_steps(self) -> list[DemoStep]:
        return sorted(self._of(DemoStep), key=lambda s: s.order)

    def training_request_sources(self) -> list[TrainingRequestSource]:
        return self._of(TrainingRequestSource)

    def page_dependencies(self) -> list[PageDependency]:
        return self._of(PageDependency)

    def home_sections(self) -> list[HomeSection]:
        return sorted(self._of(HomeSection), key=lambda s: (s.order, s.key))

    def dashboard_panels(self) -> list[DashboardPanel]:
        return sorted(self._of(DashboardPanel), key=lambda p: (p.order, p.key))

    def survey_subjects(self) -> list[SurveySubject]:
        return sorted(self._of(SurveySubject), key=lambda s: s.key)

    def survey_subject(self, key: str) -> SurveySubject | None:
        return next((s for s in self._of(SurveySubject) if s.key == key), None)

    def pageless_prefixes(self) -> tuple[str, ...]:
        return tuple(entry.prefix for entry in self._of(PagelessPath))

    def api_resources(self) -> list[ApiResource]:
        return sorted(self._of(ApiResource), key=lambda r: (r.order, r.name))

    def page_extras(self, slot: str | None = None) -> list[PageExtra]:
        extras = [e for e in self._of(PageExtra) if slot is None or e.slot == slot]
        return sorted(extras, key=lambda e: (e.order, e.key))


registry = Registry()
