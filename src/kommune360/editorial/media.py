"""Small media files made in code: audio (MP3 via LAME), images (Pillow), a PDF.

Used by the demo content and the tests; nothing here is downloaded.
"""

import io
import math
import struct
import zlib

SAMPLE_RATE = 22_050


def pcm_tone(seconds, frequency=440.0, volume=0.2, sample_rate=SAMPLE_RATE):
    """16-bit mono PCM: a soft tone that fades in and out, then silence (half/half)."""
    frames = int(seconds * sample_rate)
    tone_frames = frames // 2
    out = bytearray()
    for i in range(frames):
        if i < tone_frames:
            fade = min(1.0, i / (sample_rate * 0.2), (tone_frames - i) / (sample_rate * 0.2))
            value = volume * fade * math.sin(2 * math.pi * frequency * i / sample_rate)
        else:
            value = 0.0
        out += struct.pack("<h", int(value * 32767))
    return bytes(out)


def mp3_bytes(seconds=20, frequency=440.0, bitrate=32):
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(7)
    data = encoder.encode(pcm_tone(seconds, frequency))
    return bytes(data + encoder.flush())


def png_bytes(width=1600, height=900, colour=(15, 104, 197), label="Beispielbild"):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, min(width, height) // 2, max(8, min(width, height) // 12)):
        shade = tuple(min(255, c + step // 3) for c in colour)
        draw.ellipse(
            (width // 2 - step, height // 2 - step, width // 2 + step, height // 2 + step),
            outline=shade,
            width=6,
        )
    draw.text((40, 40), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes(title, lines):
    """A small valid one-page PDF with a title and some lines of text (Helvetica)."""

    def text(value):
        value = value.encode("cp1252", "replace")
        return value.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    stream = b"BT /F1 20 Tf 56 780 Td (" + text(title) + b") Tj ET\n"
    y = 740
    for line in lines:
        stream += b"BT /F1 11 Tf 56 %d Td (" % y + text(line) + b") Tj ET\n"
        y -= 18
    stream = zlib.compress(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
