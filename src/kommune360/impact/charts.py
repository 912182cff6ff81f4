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
