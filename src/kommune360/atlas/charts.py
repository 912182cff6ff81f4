"""SVG figures of the landscape analysis, drawn server-side with matplotlib.

Each figure has a data table beside it on the page (screen readers read the table;
the image has a short alternative text). Figures use matplotlib's object API, never
``pyplot``, so rendering is safe in a multi-threaded server.
"""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

# Colours of KERN UX's palette (primary blue, neutral grey), enough contrast on white.
PRIMARY = "#171A2B"
ACCENT = "#0063A6"
MUTED = "#8A94A6"
GAP = "#C1272D"

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: searchable, smaller
        "svg.hashsalt": "kommune360",  # stable ids: the same data gives the same file
        "font.family": "sans-serif",
        "font.sans-serif": ["Fira Sans", "DejaVu Sans", "Arial"],
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def _svg(figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def matrix_svg(analysis) -> str:
    methods = [m.display_name for m, _cells in analysis.matrix]
    groups = [g.display_name for g in analysis.target_groups]
    values = [[count for _g, count, _q in cells] for _m, cells in analysis.matrix]
    height = 1.2 + 0.45 * max(len(methods), 1)
    figure = Figure(figsize=(8, height))
    axes = figure.add_subplot()
    if methods and groups:
        axes.imshow(values, cmap="Blues", aspect="auto")
        axes.set_xticks(range(len(groups)), groups, rotation=30, ha="right")
        axes.set_yticks(range(len(methods)), methods)
        peak = max((v for row in values for v in row), default=0) or 1
        for y, row in enumerate(values):
            for x, value in enumerate(row):
                colour = "white" if value > peak * 0.6 else (GAP if value == 0 else PRIMARY)
                axes.text(
                    x,
                    y,
                    str(value),
                    ha="center",
                    va="center",
                    color=colour,
                    fontweight="bold" if value == 0 else "normal",
                )
    axes.spines[:].set_visible(False)
    figure.tight_layout()
    return _svg(figure)


def bars_svg(labels, series, legend=()) -> str:
    """Horizontal bars; ``series`` is a list of value lists (one per legend entry)."""
    height = 1.0 + 0.4 * max(len(labels), 1)
    figure = Figure(figsize=(8, height))
    axes = figure.add_subplot()
    count = max(len(series), 1)
    width = 0.8 / count
    colours = [ACCENT, MUTED, PRIMARY]
    for index, values in enumerate(series):
        positions = [y + (index - (count - 1) / 2) * width for y in range(len(labels))]
        axes.barh(
            positions,
            values,
            height=width,
            color=colours[index % 3],
            label=legend[index] if legend else None,
        )
    axes.set_yticks(range(len(labels)), labels)
    axes.invert_yaxis()
    axes.xaxis.get_major_locator().set_params(integer=True)
    if legend:
        axes.legend(frameon=False, loc="lower right")
    figure.tight_layout()
    return _svg(figure)


def quarters_svg(quarters) -> str:
    figure = Figure(figsize=(8, 3))
    axes = figure.add_subplot()
    labels = [label for label, _n in quarters]
    axes.bar(range(len(labels)), [n for _label, n in quarters], color=ACCENT)
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    return _svg(figure)
