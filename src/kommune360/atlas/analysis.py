"""The landscape analysis (Landschaftsanalyse) of the published offers.

``compute()`` runs a fixed number of queries whatever the number of offers and
returns plain data; ``charts`` turns it into SVG with matplotlib, and the page, the
SVG endpoints and the Impulspapier PDF all use the same data.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core.models import Format, Method, TargetGroup

from .models import Offer, Provider

# The sections of the analysis, in the order of the page: each has a figure, a data
# table and (through the registry's Commentable) its own contributions.
SECTIONS = [
    ("matrix", gettext_lazy("Methoden und Zielgruppen")),
    ("reichweite", gettext_lazy("Wen erreichen innovative Methoden?")),
    ("format", gettext_lazy("Nach Format")),
    ("kosten", gettext_lazy("Nach Kosten")),
    ("region", gettext_lazy("Nach Region")),
    ("anbieterart", gettext_lazy("Nach Art der Anbieter:in")),
    ("quartale", gettext_lazy("Entwicklung über die Zeit")),
]


@dataclass
class Cut:
    key: str
    title: str
    rows: list  # (label, total, municipal, innovative_municipal)


@dataclass
class Analysis:
    total: int
    methods: list
    target_groups: list
    matrix: list  # rows: (method, [(target_group, count, query), ...])
    gaps: list  # (method, target_group)
    innovative_total: int
    innovative_municipal: int
    municipal_total: int
    cuts: list = field(default_factory=list)
    quarters: list = field(default_factory=list)  # (label, count)
    created: object = None

    def matrix_parts(self, columns=None) -> list:
        """The matrix as tables of at most ``columns`` target groups each, all methods
        in every one: (target groups, rows) pairs. One table when ``columns`` is
        ``None`` (the page, whose header cells stand upright); the A4 report splits it
        so that no table runs past the margin."""
        size = columns or max(len(self.target_groups), 1)
        return [
            (
                self.target_groups[start : start + size],
                [(method, cells[start : start + size]) for method, cells in self.matrix],
            )
            for start in range(0, max(len(self.target_groups), 1), size)
        ]

    @property
    def innovative_municipal_share(self):
        if not self.innovative_total:
            return 0
        return round(100 * self.innovative_municipal / self.innovative_total)

    @property
    def other_municipal_share(self):
        other_total = self.total - self.innovative_total
        other_municipal = self.municipal_total - self.innovative_municipal
        if other_total <= 0:
            return 0
        return round(100 * other_municipal / other_total)


def published():
    return Offer.objects.filter(status=Offer.Status.PUBLISHED)


def compute() -> Analysis:
    methods = list(Method.objects.order_by("sort_order", "name"))
    groups = list(TargetGroup.objects.order_by("sort_order", "name"))
    offers = published()
    total = offers.count()

    pairs = {
        (m, t): n
        for m, t, n in offers.filter(methods__isnull=False, target_groups__isnull=False)
        .values_list("methods", "target_groups")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    matrix, gaps = [], []
    for method in methods:
        cells = []
        for group in groups:
            count = pairs.get((method.pk, group.pk), 0)
            cells.append((group, count, f"methode={method.slug}&zielgruppe={group.slug}"))
            if count == 0 and group.is_municipal:
                gaps.append((method, group))
        matrix.append((method, cells))

    # Per offer: does it use an innovative method, does it address municipal staff?
    flags = {}
    for pk, innovative, municipal in (
        offers.values_list("pk", "methods__is_innovative", "target_groups__is_municipal")
        .distinct()
        .order_by()
    ):
        current = flags.setdefault(pk, [False, False])
        current[0] = current[0] or bool(innovative)
        current[1] = current[1] or bool(municipal)
    innovative_total = sum(1 for i, _m in flags.values() if i)
    innovative_municipal = sum(1 for i, m in flags.values() if i and m)
    municipal_total = sum(1 for _i, m in flags.values() if m)

    rows = list(
        offers.values_list("pk", "format_id", "cost_band", "region", "provider__type").order_by()
    )
    formats = {f.pk: f for f in Format.objects.all()}  # rows name the term (its language)
    cuts = [
        _cut(
            "format",
            _("nach Format"),
            rows,
            1,
            flags,
            list(formats.items()),
        ),
        _cut("kosten", _("nach Kosten"), rows, 2, flags, Offer.CostBand.choices),
        _cut("region", _("nach Region"), rows, 3, flags, Offer.Region.choices),
        _cut("anbieterart", _("nach Art der Anbieter:in"), rows, 4, flags, Provider.Type.choices),
    ]

    quarters = [
        (f"{q.year}/Q{(q.month - 1) // 3 + 1}", n)
        for q, n in offers.filter(published_at__isnull=False)
        .annotate(quarter=TruncQuarter("published_at"))
        .values_list("quarter")
        .annotate(n=Count("pk"))
        .order_by("quarter")
    ]
    return Analysis(
        total=total,
        methods=methods,
        target_groups=groups,
        matrix=matrix,
        gaps=gaps,
        innovative_total=innovative_total,
        innovative_municipal=innovative_municipal,
        municipal_total=municipal_total,
        cuts=cuts,
        quarters=quarters,
        created=timezone.now(),
    )


def _cut(key, title, rows, column, flags, choices):
    counts = {}
    for row in rows:
        value = row[column]
        innovative, municipal = flags.get(row[0], (False, False))
        entry = counts.setdefault(value, [0, 0, 0])
        entry[0] += 1
        entry[1] += int(municipal)
        entry[2] += int(innovative and municipal)
    return Cut(
        key,
        title,
        [
            (label if hasattr(label, "display_name") else str(label), *counts.get(value, (0, 0, 0)))
            for value, label in choices
        ],
    )
