"""Bar charts as SVG, drawn on the server (no script, no third-party request).

``bars(points)`` lays out one bar per (label, value) pair; the template
``impact/_chart.svg`` draws them. Coordinates come as strings, so that no language
setting turns their decimal point into a comma. Every chart has a table with the same
data next to it.
"""

from django.utils.formats import number_format

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
