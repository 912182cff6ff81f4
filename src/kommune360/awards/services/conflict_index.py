"""Detected conflicts for a whole round at once.

``jury.detected`` answers for one juror and one application; asking it for every pair
costs jurors × applications calls. ``ConflictIndex`` loads the few fields detection
reads (two value queries, whatever the number of applications), indexes the
applications by municipality, Kreis, Land, e-mail address, account and e-mail domain,
and answers for a juror by looking up their own values: the work grows with the
applications and the conflicts found, not with their product. The rules are exactly
those of ``jury.detected`` (a test compares both on every pair).
"""

from collections import defaultdict
from dataclasses import dataclass

from kommune360.core.addresses import normalize_email

from ..models import Application, CoApplicant, Conflict

Source = Conflict.Source
MAIL_PROVIDERS = frozenset(
    {
        "gmail.com", "googlemail.com", "web.de", "gmx.de", "gmx.net", "t-online.de",
        "outlook.com", "outlook.de", "hotmail.com", "hotmail.de", "yahoo.de", "yahoo.com",
        "posteo.de", "mailbox.org", "icloud.com", "freenet.de", "aol.com", "live.de",
    }
)  # fmt: skip


def domain(email: str) -> str:
    return normalize_email(email or "").rpartition("@")[2]


@dataclass(frozen=True)
class JurorKey:
    """What detection needs of a juror."""

    pk: int
    email: str
    municipality_id: int | None
    district_id: int | None  # the Kreis: the municipality's district, or itself
    state: str | None

    @classmethod
    def of(cls, user) -> "JurorKey":
        """From a user whose ``municipality`` is loaded."""
        place = user.municipality if user.municipality_id else None
        return cls(
            user.pk,
            user.email,
            place.pk if place else None,
            (place.district_id or place.pk) if place else None,
            place.state if place else None,
        )


def juror_keys(round_) -> list[JurorKey]:
    """The round's jurors, ordered by id, in one query."""
    rows = round_.jurors.order_by("pk").values_list(
        "pk", "email", "municipality_id", "municipality__district_id", "municipality__state"
    )
    return [
        JurorKey(pk, email, place, (district or place) if place else None, state if place else None)
        for pk, email, place, district, state in rows
    ]


class ConflictIndex:
    """The submitted applications of a round (or ``applications``, a queryset of them),
    indexed by what makes a conflict."""

    def __init__(self, round_, applications=None):
        self.round = round_
        if applications is None:
            applications = Application.objects.filter(
                round=round_, state=Application.State.SUBMITTED
            )
        rows = list(
            applications.order_by("pk").values_list(
                "pk",
                "municipality_id",
                "municipality__district_id",
                "municipality__state",
                "applicant_id",
                "applicant__email",
                "contact_email",
            )
        )
        self.ids = [row[0] for row in rows]
        self.municipality = {}
        self.by_municipality = defaultdict(list)
        self.by_district = defaultdict(list)
        self.by_state = defaultdict(list)
        self.by_email = defaultdict(set)
        self.by_user = defaultdict(set)
        self.by_domain = defaultdict(set)
        emails = defaultdict(set)
        for pk, place, district, state, applicant, applicant_email, contact in rows:
            self.municipality[pk] = place
            self.by_municipality[place].append(pk)
            self.by_district[district or place].append(pk)
            self.by_state[state].append(pk)
            if applicant:
                self.by_user[applicant].add(pk)
                emails[pk].add(normalize_email(applicant_email))
            if contact:
                emails[pk].add(normalize_email(contact))
        co_rows = CoApplicant.objects.filter(application__in=applications.values("pk"))
        for application_id, email, user_id in co_rows.order_by().values_list(
            "application_id", "email", "user_id"
        ):
            if application_id not in self.municipality:
                continue
            emails[application_id].add(email)
            if user_id:
                self.by_user[user_id].add(application_id)
        for pk, addresses in emails.items():
            for address in addresses:
                if address:
                    self.by_email[address].add(pk)
                    self.by_domain[domain(address)].add(pk)

    def sources(self, juror: JurorKey) -> dict[int, list[str]]:
        """Application id → the detected conflicts (sources, in ``jury.detected``'s
        order) of ``juror``; applications without a conflict are left out."""
        found = defaultdict(list)
        if juror.municipality_id is not None:
            for pk in self.by_municipality.get(juror.municipality_id, ()):
                found[pk].append(Source.MUNICIPALITY)
            for pk in self.by_district.get(juror.district_id, ()):
                if self.municipality[pk] != juror.municipality_id:
                    found[pk].append(Source.DISTRICT)
            if self.round.conflict_same_state:
                for pk in self.by_state.get(juror.state, ()):
                    found[pk].append(Source.STATE)
        email = normalize_email(juror.email)
        applicants = self.by_user.get(juror.pk, set()) | self.by_email.get(email, set())
        for pk in sorted(applicants):
            found[pk].append(Source.CO_APPLICANT)
        juror_domain = domain(juror.email)
        if juror_domain and juror_domain not in MAIL_PROVIDERS:
            for pk in sorted(self.by_domain.get(juror_domain, ())):
                found[pk].append(Source.DOMAIN)
        return found

    def hidden(self, juror: JurorKey) -> set[int]:
        """Applications ``juror`` may not see: detected or declared conflicts."""
        declared = Conflict.objects.filter(
            juror_id=juror.pk, application__round=self.round, source=Source.DECLARED
        ).values_list("application_id", flat=True)
        return set(self.sources(juror)) | set(declared)
