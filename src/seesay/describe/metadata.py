"""A description written into the picture's own file, where photo programs and websites find it.

PNG: an iTXt chunk with the keyword ``Description`` (UTF-8; PNG's own keyword for it). JPEG: XMP's
``dc:description`` (the ``x-default`` language; other languages and every other XMP property
already there are kept) and EXIF's ImageDescription, added without moving a byte of the EXIF
block (``exif_text``: a camera's maker notes hold offsets no one can mend). Other formats are not
written.

The pixels are never decoded or encoded again: the file is taken apart at its chunks (PNG) or
segments (JPEG), the one text part is replaced, everything else is copied byte for byte. The
original is never at risk: the new file is written beside it, read back (the description is
there, and every other part is byte-identical to the original's), given the original's
permissions and only then put in its place in one step (``os.replace``). A file that changed
while this happened, a link, or a file with other names (hard links, which a replacement would
split) is left unchanged, and so is any file that does not take apart cleanly.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import tempfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from seesay.core.errors import SeesayError
from seesay.core.i18n import _
from seesay.core.regular_files import read_regular_file
from seesay.describe import exif_text
from seesay.vision.images import MAX_FILE_BYTES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = b"Description"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
#: The most an APP1 segment holds after its header (XMP larger than this is "extended XMP", not written).
_SEGMENT_ROOM = 65533 - len(XMP_HEADER)

_NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
       "dc": "http://purl.org/dc/elements/1.1/", "xml": "http://www.w3.org/XML/1998/namespace"}


class MetadataError(SeesayError):
    """The description could not be written into this file; the file is unchanged."""


@dataclass(frozen=True)
class Written:
    #: False when the file already held this description (nothing was written)
    changed: bool
    #: SHA-256 of the file as it is now
    content_hash: str
    size: int
    mtime_ns: int


def read_description(data: bytes) -> str | None:
    """The description held in a PNG's or a JPEG's own metadata (as written here), or None."""
    if data.startswith(PNG_SIGNATURE):
        for kind, body in _png_chunks(data):
            text = _png_text(kind, body)
            if text is not None:
                return text
        return None
    if data.startswith(b"\xff\xd8"):
        xmp, exif = _jpeg_texts(data)
        return xmp if xmp is not None else exif
    return None


def _jpeg_texts(data: bytes) -> tuple[str | None, str | None]:
    """A JPEG's description in its XMP, and in its EXIF."""
    xmp = exif = None
    for marker, body in _jpeg_segments(data)[0]:
        if marker == 0xE1 and body.startswith(XMP_HEADER):
            xmp = _xmp_description(body[len(XMP_HEADER):])
        elif marker == 0xE1 and body.startswith(exif_text.EXIF_HEADER) and exif is None:
            exif = exif_text.description(body[len(exif_text.EXIF_HEADER):])
    return xmp, exif


def _is_ours(marker: int, body: bytes) -> bool:
    """A JPEG segment this module writes: XMP, or EXIF (whose own bytes ``exif_text`` keeps in place)."""
    return marker == 0xE1 and (body.startswith(XMP_HEADER) or body.startswith(exif_text.EXIF_HEADER))


def write_description(path: str, text: str) -> Written:
    """Put ``text`` into ``path``'s own metadata as described above; ``MetadataError`` (file unchanged) if not."""
    name = path
    try:
        before = os.lstat(path)
    except OSError as error:
        raise MetadataError(_("{name}: the description was not written into the file ({detail}).").format(
            name=name, detail=type(error).__name__)) from None
    if stat.S_ISLNK(before.st_mode):
        raise MetadataError(_("{name} is a link: the description was not written into the file it points to.").format(
            name=name))
    if before.st_nlink > 1:
        raise MetadataError(_("{name} has other names (hard links): the description was not written into it, as "
                              "replacing it would part it from them.").format(name=name))
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except OSError as error:
        raise MetadataError(_("{name}: the description was not written into the file ({detail}).").format(
            name=name, detail=type(error).__name__)) from None
    try:
        already = _holds(data, text)
    except (ValueError, IndexError, struct.error, ElementTree.ParseError, UnicodeError):
        already = False  # and taking it apart below says why it is left as it is
    if already:
        return Written(False, hashlib.sha256(data).hexdigest(), before.st_size, before.st_mtime_ns)
    try:
        if data.startswith(PNG_SIGNATURE):
            new = _png_with(data, text)
        elif data.startswith(b"\xff\xd8"):
            new = _jpeg_with(data, text)
        else:
            raise MetadataError(_("{name}: descriptions are written only into PNG and JPEG files.").format(name=name))
        if not _holds(new, text) or _image_parts(new) != _image_parts(data) or not _exif_unmoved(data, new):
            raise ValueError("read back differs")
    except MetadataError:
        raise
    except (ValueError, IndexError, struct.error, ElementTree.ParseError, UnicodeError):
        raise MetadataError(_("{name}: its metadata could not be taken apart safely, so the description was not "
                              "written into it.").format(name=name)) from None
    return _replace(path, new, before)


def _holds(data: bytes, text: str) -> bool:
    """Whether the file already says ``text`` everywhere this module writes it."""
    if data.startswith(b"\xff\xd8"):
        return _jpeg_texts(data) == (text, text)
    return read_description(data) == text


def _exif_unmoved(old: bytes, new: bytes) -> bool:
    """A JPEG's EXIF block, if it had one, still holds every byte where it was."""
    if not old.startswith(b"\xff\xd8"):
        return True

    def exif(data: bytes) -> bytes | None:
        return next((body[len(exif_text.EXIF_HEADER):] for marker, body in _jpeg_segments(data)[0]
                     if marker == 0xE1 and body.startswith(exif_text.EXIF_HEADER)), None)

    before = exif(old)
    return before is None or exif_text.unmoved(before, exif(new) or b"")


def _replace(path: str, new: bytes, before: os.stat_result) -> Written:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".seesay", dir=folder)
    except OSError as error:
        raise MetadataError(_("{name}: the description was not written into the file: its folder cannot be written "
                              "({detail}).").format(name=path, detail=type(error).__name__)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(new)
            out.flush()
            os.fchmod(out.fileno(), stat.S_IMODE(before.st_mode))
            os.fsync(out.fileno())
        if read_description(read_regular_file(temporary, MAX_FILE_BYTES)) is None:
            raise MetadataError(_("{name}: the description did not read back, so the file was left as it "
                                  "was.").format(name=path))
        now = os.lstat(path)
        if (now.st_size, now.st_mtime_ns, now.st_ino) != (before.st_size, before.st_mtime_ns, before.st_ino):
            raise MetadataError(_("{name} changed while its description was written; it was left as it is now."
                                  ).format(name=path))
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise MetadataError(_("{name}: the description was not written into the file ({detail}).").format(
                name=path, detail=type(error).__name__)) from None
        raise
    after = os.stat(path)
    return Written(True, hashlib.sha256(new).hexdigest(), after.st_size, after.st_mtime_ns)


def _image_parts(data: bytes) -> list[bytes]:
    """Every part of the file except the description written here, byte for byte, in order: what
    must be identical before and after writing."""
    if data.startswith(PNG_SIGNATURE):
        return [kind + body for kind, body in _png_chunks(data) if _png_text(kind, body) is None]
    if data.startswith(b"\xff\xd8"):
        segments, rest = _jpeg_segments(data)
        kept = [bytes([marker]) + body for marker, body in segments if not _is_ours(marker, body)]
        return kept + [rest]
    raise ValueError("not PNG or JPEG")


# -- PNG ------------------------------------------------------------------------------------------
def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, each checked against its CRC; ends at IEND (what follows it is kept
    as one pseudo-chunk with the type ``b""``)."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not PNG")
    chunks, at = [], len(PNG_SIGNATURE)
    while True:
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        crc = data[at + 8 + length:at + 12 + length]
        if len(body) != length or len(crc) != 4 or struct.unpack(">I", crc)[0] != zlib.crc32(kind + body):
            raise ValueError("damaged chunk")
        chunks.append((kind, body))
        at += 12 + length
        if kind == b"IEND":
            break
    if at < len(data):
        chunks.append((b"", data[at:]))
    return chunks


def _png_text(kind: bytes, body: bytes) -> str | None:
    """The text of a ``Description`` text chunk, or None for any other chunk."""
    if kind not in (b"tEXt", b"iTXt", b"zTXt"):
        return None
    keyword, _nul, rest = body.partition(b"\0")
    if keyword != PNG_KEYWORD:
        return None
    if kind == b"tEXt":
        return rest.decode("latin-1")
    if kind == b"zTXt":
        return zlib.decompress(rest[1:]).decode("latin-1")
    compressed, rest = rest[0], rest[2:]  # the compression method (rest[1]) is always zlib
    _language, _nul, rest = rest.partition(b"\0")
    _translated, _nul, text = rest.partition(b"\0")
    return (zlib.decompress(text) if compressed else text).decode("utf-8")


def _png_with(data: bytes, text: str) -> bytes:
    chunks = [(kind, body) for kind, body in _png_chunks(data) if _png_text(kind, body) is None]
    itxt = PNG_KEYWORD + b"\0\0\0" + b"\0" + b"\0" + text.encode("utf-8")  # uncompressed, no language
    first_data = next(index for index, (kind, _body) in enumerate(chunks) if kind == b"IDAT")
    chunks.insert(first_data, (b"iTXt", itxt))
    out = [PNG_SIGNATURE]
    for kind, body in chunks:
        if kind == b"":
            out.append(body)  # bytes after IEND, kept as they were
        else:
            out.append(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body)))
    return b"".join(out)


# -- JPEG -----------------------------------------------------------------------------------------
def _jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """(marker, segment data) of each segment before the scan, and the scan onwards (from SOS) as it is."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not JPEG")
    segments, at = [], 2
    while True:
        if data[at] != 0xFF:
            raise ValueError("no marker")
        while data[at + 1] == 0xFF:  # fill bytes
            at += 1
        marker = data[at + 1]
        if marker == 0xDA or marker == 0xD9:
            return segments, data[at:]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            segments.append((marker, b""))
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if length < 2 or at + 2 + length > len(data):
            raise ValueError("damaged segment")
        segments.append((marker, data[at + 4:at + 2 + length]))
        at += 2 + length


def _jpeg_with(data: bytes, text: str) -> bytes:
    segments, rest = _jpeg_segments(data)
    old = next((body for marker, body in segments if marker == 0xE1 and body.startswith(XMP_HEADER)), None)
    packet = _xmp_with(old[len(XMP_HEADER):] if old is not None else None, text)
    if len(packet) > _SEGMENT_ROOM:
        raise MetadataError(_("The description and the picture's other XMP metadata are too long for one JPEG "
                              "segment; the file was left as it was."))
    segment = (0xE1, XMP_HEADER + packet)
    kept = [part for part in segments if not (part[0] == 0xE1 and part[1].startswith(XMP_HEADER))]
    place = 0  # after the application segments at the start (JFIF, EXIF), before the tables
    while place < len(kept) and 0xE0 <= kept[place][0] <= 0xEF:
        place += 1
    kept.insert(place, segment)
    at = next((index for index, (marker, body) in enumerate(kept)
               if marker == 0xE1 and body.startswith(exif_text.EXIF_HEADER)), None)
    if at is not None:  # the first EXIF block, with the description's entry added
        blob = kept[at][1][len(exif_text.EXIF_HEADER):]
        kept[at] = (0xE1, exif_text.EXIF_HEADER + exif_text.with_description(blob, text))
    else:  # a new one, after JFIF's APP0 (which must come first) if there is one
        kept.insert(1 if kept and kept[0][0] == 0xE0 else 0,
                    (0xE1, exif_text.EXIF_HEADER + exif_text.with_description(None, text)))
    out = [b"\xff\xd8"]
    for marker, body in kept:
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(bytes([0xFF, marker]))
        else:
            out.append(bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body)
    out.append(rest)
    return b"".join(out)


def _q(prefix: str, name: str) -> str:
    return "{" + _NS[prefix] + "}" + name


def _xmp_description(packet: bytes) -> str | None:
    root = ElementTree.fromstring(packet)
    for li in root.iter(_q("rdf", "li")):
        parent = _parent_description(root, li)
        if parent is not None and li.get(_q("xml", "lang"), "x-default") == "x-default":
            return li.text or ""
    return None


def _parent_description(root, li):
    for description in root.iter(_q("dc", "description")):
        if any(item is li for item in description.iter(_q("rdf", "li"))):
            return description
    return None


def _xmp_with(packet: bytes | None, text: str) -> bytes:
    """An XMP packet holding ``text`` as dc:description (x-default): the old packet with only that
    changed, or a new one."""
    if packet is None:
        root = ElementTree.Element(_q("x", "xmpmeta"))
        rdf = ElementTree.SubElement(root, _q("rdf", "RDF"))
        ElementTree.SubElement(rdf, _q("rdf", "Description"), {_q("rdf", "about"): ""})
        prefixes = {}
    else:
        prefixes = {}
        for _event, (prefix, uri) in ElementTree.iterparse(io.BytesIO(packet), events=("start-ns",)):
            prefixes.setdefault(uri, prefix)
        root = ElementTree.fromstring(packet)
    descriptions = list(root.iter(_q("rdf", "Description")))
    if not descriptions:
        raise ValueError("no rdf:Description")
    found = next(iter(root.iter(_q("dc", "description"))), None)
    if found is None:
        found = ElementTree.SubElement(descriptions[0], _q("dc", "description"))
    alt = found.find(_q("rdf", "Alt"))
    if alt is None:
        for child in list(found):
            found.remove(child)
        found.text = None
        alt = ElementTree.SubElement(found, _q("rdf", "Alt"))
    li = next((item for item in alt.findall(_q("rdf", "li"))
               if item.get(_q("xml", "lang"), "x-default") == "x-default"), None)
    if li is None:
        li = ElementTree.Element(_q("rdf", "li"), {_q("xml", "lang"): "x-default"})
        alt.insert(0, li)
    li.text = text
    names = {uri: prefix for prefix, uri in _NS.items() if prefix != "xml"}
    names.update({uri: prefix for uri, prefix in prefixes.items() if prefix})
    body = _serialise(root, names)
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>' + body
            + b'<?xpacket end="w"?>')


def _serialise(root, names: dict[str, str]) -> bytes:
    """The element as XML with the packet's own prefixes (ElementTree would write ns0:, ns1:)."""
    for uri, prefix in names.items():
        try:
            ElementTree.register_namespace(prefix, uri)
        except ValueError:  # a prefix ElementTree keeps for itself
            pass
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)
