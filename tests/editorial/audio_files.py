"""Small audio files of a known length, made here without any encoder but LAME.

MP3 is real audio (LAME, as the demo makes it); WAV is real silence written by the
standard library; OGG (Opus) and M4A are valid containers whose headers state the
length, with a token packet in place of the sound: what a podcast directory and
mutagen read to learn the length.
"""

import io
import struct
import wave

from kommune360.editorial import media


def mp3(seconds):
    return media.mp3_bytes(seconds)


def wav(seconds, rate=8000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * rate * seconds)
    return buffer.getvalue()


def _ogg_crc(data):
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def _ogg_page(packet, sequence, granule, flags):
    lacing = [255] * (len(packet) // 255) + [len(packet) % 255]
    header = (
        b"OggS"
        + bytes([0, flags])
        + struct.pack("<qIII", granule, 0x4B360, sequence, 0)
        + bytes([len(lacing), *lacing])
    )
    page = header + packet
    return page[:22] + struct.pack("<I", _ogg_crc(page)) + page[26:]


def ogg_opus(seconds, pre_skip=312):
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", pre_skip, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 7) + b"k360-ts" + struct.pack("<I", 0)
    return (
        _ogg_page(head, 0, 0, 0x02)  # beginning of stream
        + _ogg_page(tags, 1, 0, 0)
        + _ogg_page(b"\xf8\xff\xfe", 2, pre_skip + 48000 * seconds, 0x04)  # end of stream
    )


def _box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def m4a(seconds, timescale=44100):
    mdhd = _box(b"mdhd", bytes(4) + struct.pack(">IIII", 0, 0, timescale, timescale * seconds))
    hdlr = _box(b"hdlr", bytes(4) + bytes(4) + b"soun" + bytes(12) + b"Sound\x00")
    mdia = _box(b"mdia", mdhd + hdlr)
    moov = _box(b"moov", _box(b"trak", mdia))
    ftyp = _box(b"ftyp", b"M4A " + struct.pack(">I", 0) + b"M4A isom")
    return ftyp + moov + _box(b"mdat", b"\x00" * 16)
