"""What can be dropped or pasted, turned into describe requests or a reason for refusing.

Local image files (several at once, kept in order), raw image data, and nothing else: a
folder, a file that is not a picture or a web address is refused with a reason. seesay never
fetches anything from the network for a drop.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QUrl
from PySide6.QtGui import QImage

from seesay.core.i18n import _
from seesay.core.regular_files import open_regular_file, special_kind
from seesay.core.requests import DescribeRequest

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".jpe", ".webp", ".gif", ".bmp", ".dib", ".tif", ".tiff"}
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")


@dataclass
class Intake:
    requests: list[DescribeRequest] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


def from_mime(mime: QMimeData, origin: str) -> Intake:
    """Requests for the images in ``mime`` (a drop or the clipboard), refusals for the rest."""
    intake = Intake()
    urls = [url for url in mime.urls()] if mime.hasUrls() else []
    if urls:
        for url in urls:
            _add_url(intake, url, origin, batch=len(urls) > 1)
        return intake
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            label = {"paste": _("pasted image"), "clipboard": _("clipboard image")}.get(origin, _("dropped image"))
            intake.requests.append(DescribeRequest(png_bytes(image), label, origin))
            return intake
    if mime.hasText() and mime.text().strip().lower().startswith(("http://", "https://", "ftp://")):
        intake.refusals.append(_web_address_refusal(mime.text().strip()))
        return intake
    intake.refusals.append(_("The clipboard holds no picture.") if origin in ("paste", "clipboard")
                           else _("There is no picture to describe in what was dropped or pasted."))
    return intake


def from_paths(paths: list[str], origin: str = "file") -> Intake:
    intake = Intake()
    for path in paths:
        _add_path(intake, Path(path), origin, batch=len(paths) > 1)
    return intake


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _add_url(intake: Intake, url: QUrl, origin: str, batch: bool) -> None:
    if not url.isLocalFile():
        intake.refusals.append(_web_address_refusal(url.toString()))
        return
    _add_path(intake, Path(url.toLocalFile()), origin, batch)


def _add_path(intake: Intake, path: Path, origin: str, batch: bool) -> None:
    """Runs on the GUI thread: looks at the path (stat), and reads 16 bytes only of a regular file."""
    name = path.name or str(path)
    try:
        status = os.stat(path)
    except OSError:
        status = None  # missing or unreadable: the worker says precisely why
    if status is not None and stat.S_ISDIR(status.st_mode):
        intake.refusals.append(_("{name} is a folder. Drop the pictures inside it instead.").format(name=name))
        return
    if status is not None and not stat.S_ISREG(status.st_mode):  # a FIFO would block whoever opens it
        kind = special_kind(status.st_mode)
        intake.refusals.append(_("{name} is not a picture file (it is a {kind}).").format(name=name, kind=kind))
        return
    if status is not None and path.suffix.lower() not in IMAGE_SUFFIXES and not _looks_like_image(path):
        intake.refusals.append(_("{name} is not a picture, so it cannot be described.").format(name=name))
        return
    intake.requests.append(DescribeRequest(str(path), name, origin, batch=batch))


def _looks_like_image(path: Path) -> bool:
    try:
        with open_regular_file(path, 1 << 62) as handle:
            head = handle.read(16)
    except OSError:
        return True  # let the worker say precisely why it cannot be read
    return head.startswith(_SIGNATURES)


def _web_address_refusal(address: str) -> str:
    shown = address if len(address) <= 60 else address[:57] + "..."
    return _("{address} is a web address. seesay never downloads anything: save the picture, "
             "then drop the file.").format(address=shown)
