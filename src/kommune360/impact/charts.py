"""Bar charts as SVG, drawn on the server (no script, no third-party request).

``bars(points)`` lays out one bar per (label, value) pair and ``svg`` draws them as
markup for the page and the PDF (in Python: a template would resolve some fifty
variables per chart, the larger part of the page's time). Coordinates are strings, so
that no language setting turns their decimal point into a comma. Every chart has a
table with the same data next to it.
"""

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

WIDTH = 320
HEIGHT = 160
TOP = 18  # room for the value above the highest bar
BOTTOM = 22  # room for the labels below the bars
GAP = 10


def _coordinate(value) -> str:
    """A number for an SVG attribute: with a point whatever the language (the German
    "5,0" is no length), without a needless ".0"."""
    return f"{value:g}"


def bars(points, *, width=WIDTH, height=HEIGHT) -> dict:
    """Geometry of a bar chart of ``points`` (label, value or ``None``) in a ``width`` ×
    ``height`` box; values are scaled to the largest."""
    points = list(points)
    values = [value for _label, value in points if value is not None]
    top = max(values, default=0) or 1
    slot = width / max(len(points), 1)
    plot = height - TOP - BOTTOM
    result = []
    for index, (label, value) in enumerate(points):
        bar_height = 0 if value is None else max(round(plot * value / top, 1), 1)
        x = round(index * slot + GAP / 2, 1)
        result.append(
            {
                "label": label,
                "value": "–" if value is None else number_format(value, force_grouping=True),
                "x": _coordinate(x),
                "center": _coordinate(round(x + (slot - GAP) / 2, 1)),
                "y": _coordinate(round(TOP + plot - bar_height, 1)),
                "width": _coordinate(round(slot - GAP, 1)),
                "height": _coordinate(bar_height),
                "text_y": _coordinate(round(TOP + plot - bar_height - 4, 1)),
            }
        )
    return {
        "width": _coordinate(width),
        "height": _coordinate(height),
        "bars": result,
        "axis_y": _coordinate(TOP + plot),
        "label_y": _coordinate(height - 6),
    }


def svg(chart: dict, key: str, label: str, *, prefix: str = "chart") -> SafeString:
    """The SVG of a chart from ``bars``, titled "<label> nach Jahren" for screen readers
    (the element's id from ``prefix`` and the figure's ``key``)."""
    chart_id = f"{prefix}-{slugify(key)}"
    title = _("%(label)s nach Jahren (die Tabelle darunter enthält dieselben Werte)") % {
        "label": label
    }
    last = len(chart["bars"]) - 1
    parts = [
        format_html(
            '<svg class="impact-chart" xmlns="http://www.w3.org/2000/svg" '
            'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
            'aria-labelledby="{id}-title"><title id="{id}-title">{title}</title>'
            '<line x1="0" x2="{w}" y1="{axis}" y2="{axis}" stroke="#4b4b4b" stroke-width="1"/>',
            w=chart["width"],
            h=chart["height"],
            id=chart_id,
            title=title,
            axis=chart["axis_y"],
        )
    ]
    for index, bar in enumerate(chart["bars"]):
        # Every value is a number formatted above, or an escaped label.
        parts.append(
            f'<rect x="{bar["x"]}" y="{bar["y"]}" width="{bar["width"]}" '
            f'height="{bar["height"]}" fill="{"#0b4a8a" if index == last else "#7f9fc4"}"/>'
            f'<text x="{bar["center"]}" y="{bar["text_y"]}" text-anchor="middle" '
            f'font-size="11" fill="#1b1b1b">{escape(bar["value"])}</text>'
            f'<text x="{bar["center"]}" y="{chart["label_y"]}" text-anchor="middle" '
            f'font-size="11" fill="#1b1b1b">{escape(bar["label"])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # the parts are escaped above


def bars_png(points, *, width_cm=8.0, height_cm=4.0) -> bytes:
    """The same bar chart as a PNG (matplotlib, drawn on the server) for documents
    that take no SVG, such as the report's DOCX: the same bars, colours and labels."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    points = list(points)
    inch = 2.54
    figure = Figure(figsize=(width_cm / inch, height_cm / inch), dpi=200)
    axes = figure.add_axes((0.02, 0.16, 0.96, 0.7))
    labels = [label for label, _value in points]
    heights = [value or 0 for _label, value in points]
    colours = ["#7f9fc4"] * (len(points) - 1) + ["#0b4a8a"]
    axes.bar(range(len(points)), heights, color=colours[-len(points) :], width=0.8)
    for index, (_label, value) in enumerate(points):
        text = "–" if value is None else number_format(value, force_grouping=True)
        axes.annotate(
            text,
            (index, value or 0),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
            color="#1b1b1b",
        )
    axes.set_xticks(range(len(points)), labels, fontsize=7, color="#1b1b1b")
    axes.set_yticks([])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color("#4b4b4b")
    axes.set_ylim(0, (max(heights, default=0) or 1) * 1.15)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()
