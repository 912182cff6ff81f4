from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

from kommune360.core import fonts

KERN_FONTS = Path(settings.BASE_DIR) / "node_modules/@kern-ux/native/dist/fonts/fira-sans"


def test_subsets_keep_german_text_and_stay_small(tmp_path):
    written = fonts.build(KERN_FONTS, tmp_path)

    faces = [path for path in written if path.suffix == ".woff2"]
    assert [face.name for face in faces] == [name for name, _, _ in fonts.FACES]
    for face in faces:
        assert face.stat().st_size < 25 * 1024, face
        assert face.stat().st_size < (KERN_FONTS / face.name).stat().st_size / 4
        cmap = TTFont(face).getBestCmap()
        for character in "AZaz09äöüÄÖÜßéç€„“‚‘–—…":
            assert ord(character) in cmap, (face.name, character)
        assert ord("Ж") not in cmap  # Cyrillic is drawn by the system font
    stylesheet = (tmp_path / "fira-sans.css").read_text()
    assert stylesheet.count("@font-face") == len(fonts.FACES)
    assert stylesheet.count("unicode-range: U+0020-007E") == len(fonts.FACES)
    assert "font-display: swap" in stylesheet


def test_layout_uses_the_subset_stylesheet(client, db):
    html = client.get("/").content.decode()
    assert "vendor/fonts/fira-sans.css" in html
    assert "vendor/kern/fonts/fira-sans.css" not in html
    assert finders.find("vendor/fonts/fira-sans.css"), "make install builds build/fonts"
