"""Subsets of KERN's Fira Sans for the site: only the faces and characters it uses.

KERN ships 32 Fira Sans faces of 125–150 KB each, every one with Greek, Cyrillic and
many symbols. The site uses the weights 400, 500 and 600 (and 400 italic for
emphasis) and writes German and English, so `make install` cuts those four faces
down to Latin-1 plus typographic punctuation (about 17 KB each) and writes a
stylesheet with `unicode-range`: a rare character outside the subset is drawn by the
system font instead. Run:

    python -m kommune360.core.fonts <kern fonts dir> <output dir>

No Django needed; fontTools with Brotli (``fonttools[woff]``) does the work.
"""

import logging
import sys
from pathlib import Path

FACES = [
    # (file in KERN's fira-sans folder, CSS weight, CSS style)
    ("FiraSans-Regular.woff2", 400, "normal"),
    ("FiraSans-Italic.woff2", 400, "italic"),
    ("FiraSans-Medium.woff2", 500, "normal"),
    ("FiraSans-SemiBold.woff2", 600, "normal"),
]

# Basic Latin, Latin-1 (umlauts, ß, «»), Œœ, dashes, quotes „“ ‚‘, bullet, ellipsis,
# per mille, ‹›, euro, trade mark, arrow right, minus.
UNICODE_RANGE = (
    "U+0020-007E, U+00A0-00FF, U+0152-0153, U+2013-2014, U+2018-201E, U+2022, "
    "U+2026, U+2030, U+2039-203A, U+20AC, U+2122, U+2192, U+2212"
)

STYLESHEET_FACE = """@font-face {{
  font-family: 'Fira Sans';
  src: url("./{name}") format("woff2");
  font-weight: {weight};
  font-style: {style};
  font-display: swap;
  unicode-range: {unicode_range};
}}
"""


def _unicodes():
    codepoints = []
    for part in UNICODE_RANGE.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        codepoints.extend(range(int(first, 16), int(last or first, 16) + 1))
    return codepoints


def build(source: Path, target: Path) -> list[Path]:
    """Write the subset faces and ``fira-sans.css`` into ``target``; returns the files."""
    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # notes on old OS/2 tables
    target.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.flavor = "woff2"
    written = []
    css = ["/* Fira Sans (SIL Open Font License), subset by kommune360.core.fonts */\n"]
    for name, weight, style in FACES:
        font = subset.load_font(str(source / name), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=_unicodes())
        subsetter.subset(font)
        subset.save_font(font, str(target / name), options)
        written.append(target / name)
        css.append(
            STYLESHEET_FACE.format(
                name=name, weight=weight, style=style, unicode_range=UNICODE_RANGE
            )
        )
    stylesheet = target / "fira-sans.css"
    stylesheet.write_text("\n".join(css), encoding="utf-8")
    written.append(stylesheet)
    return written


def main(argv=None):
    source, target = (Path(arg) for arg in (argv or sys.argv[1:]))
    for path in build(source, target):
        print(f"{path} ({path.stat().st_size / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
