"""Photos people upload (a member's profile picture): checked by ``core.uploads``,
then decoded, turned upright, scaled down and written anew, so nothing of the original
file survives — no EXIF (camera, place, time), no XMP, no embedded thumbnail, no
colour profile, no trailing bytes.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .uploads import FileSpec

PHOTO = FileSpec(kinds=("jpg", "png"))
# Pillow refuses images beyond this many pixels (decompression bombs).
MAX_PIXELS = 40_000_000


def clean_photo(upload, *, side: int = 600, name: str = "foto.jpg") -> ContentFile:
    """The uploaded photo as a JPEG of at most ``side`` pixels each way, without
    metadata. Raises ``ValidationError`` with a German message."""
    checked = PHOTO.check(upload)
    try:
        with Image.open(io.BytesIO(checked.content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("Das Bild ist zu groß. Bitte laden Sie ein kleineres hoch.")
                )
            image = ImageOps.exif_transpose(image)
            image.thumbnail((side, side))
            clean = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            clean.paste(rgba, mask=rgba.getchannel("A"))
    except ValidationError:
        raise
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Das Bild lässt sich nicht lesen.")) from error
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=name)
