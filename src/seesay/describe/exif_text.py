"""EXIF's ImageDescription (tag 0x010E of the first image directory), written without moving a byte.

An EXIF block is a small TIFF file whose entries point at their values by offset, and a camera's
maker notes hold offsets of their own that no reader can mend. So nothing already there is moved:
the first directory is written again *after* the end of the block, with the description's entry
added (or replaced) and every other entry copied as it was, and only the header's pointer to the
first directory changes. The old directory stays behind, unread; every offset stays true.

The text is written as UTF-8: EXIF says ASCII, but readers (ExifTool, Pillow, photo programs)
take UTF-8, and a description with an accent would otherwise be lost.
"""

from __future__ import annotations

import struct

EXIF_HEADER = b"Exif\x00\x00"
IMAGE_DESCRIPTION = 0x010E
_ASCII = 2
#: The most an APP1 segment holds.
MOST_BYTES = 65533


def _order(blob: bytes) -> str:
    if blob[:4] == b"II*\x00":
        return "<"
    if blob[:4] == b"MM\x00*":
        return ">"
    raise ValueError("not a TIFF header")


def _directory(blob: bytes, order: str) -> tuple[int, list[bytes], bytes]:
    """(its offset, its 12-byte entries, the 4 bytes pointing at the next directory) of the first directory."""
    at = struct.unpack(order + "I", blob[4:8])[0]
    count = struct.unpack(order + "H", blob[at:at + 2])[0]
    entries = [blob[at + 2 + 12 * i:at + 14 + 12 * i] for i in range(count)]
    following = blob[at + 2 + 12 * count:at + 6 + 12 * count]
    if any(len(entry) != 12 for entry in entries) or len(following) != 4:
        raise ValueError("directory runs past the block")
    return at, entries, following


def description(blob: bytes) -> str | None:
    """The ImageDescription of an EXIF block (without its ``Exif`` header), or None."""
    order = _order(blob)
    _at, entries, _following = _directory(blob, order)
    for entry in entries:
        tag, kind, count = struct.unpack(order + "HHI", entry[:8])
        if tag == IMAGE_DESCRIPTION and kind == _ASCII:
            if count <= 4:
                value = entry[8:8 + count]
            else:
                start = struct.unpack(order + "I", entry[8:12])[0]
                value = blob[start:start + count]
                if len(value) != count:
                    raise ValueError("value runs past the block")
            value = value.rstrip(b"\x00")
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                return value.decode("latin-1")
    return None


def with_description(blob: bytes | None, text: str) -> bytes:
    """The EXIF block (without its ``Exif`` header) with ``text`` as its ImageDescription: the old
    block with a new first directory after its end, or a new block."""
    value = text.encode("utf-8") + b"\x00"
    if blob is None:
        blob = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 0) + struct.pack(">I", 0)
    order = _order(blob)
    _at, entries, following = _directory(blob, order)
    kept = [entry for entry in entries if struct.unpack(order + "H", entry[:2])[0] != IMAGE_DESCRIPTION]
    start = len(blob) + len(blob) % 2  # directories begin on an even byte
    size = 2 + 12 * (len(kept) + 1) + 4
    if len(value) <= 4:
        entry = struct.pack(order + "HHI", IMAGE_DESCRIPTION, _ASCII, len(value)) + value.ljust(4, b"\x00")
        after = b""
    else:
        entry = struct.pack(order + "HHII", IMAGE_DESCRIPTION, _ASCII, len(value), start + size)
        after = value
    ordered = sorted([*kept, entry], key=lambda item: struct.unpack(order + "H", item[:2])[0])
    directory = struct.pack(order + "H", len(ordered)) + b"".join(ordered) + following
    new = blob[:4] + struct.pack(order + "I", start) + blob[8:] + b"\x00" * (start - len(blob)) + directory + after
    if len(EXIF_HEADER) + len(new) > MOST_BYTES:
        raise ValueError("too long for one segment")
    return new


def unmoved(old: bytes, new: bytes) -> bool:
    """Whether every byte of the old block is where it was in the new one, but the pointer to the first directory."""
    return new[:4] == old[:4] and new[8:len(old)] == old[8:]
