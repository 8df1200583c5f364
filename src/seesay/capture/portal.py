"""Screen capture through the desktop portal: ``org.freedesktop.portal.Screenshot`` (Wayland).

On Wayland a program cannot read the screen; it asks the desktop, through xdg-desktop-portal on the
session bus. The call returns a Request object at once; the answer comes later as that Request's
``Response`` signal (0 with the picture's file URI, 1 cancelled, 2 refused). Non-interactive is
asked for (no dialog to pick an area). A desktop may still ask the person once whether seesay may
take screenshots (xdg-desktop-portal 1.16 and later show an Access dialog when the desktop's
screenshot implementation is version 2 or later and the permission store does not say yes): when no
answer comes within ``PROMPT_AFTER`` seconds, ``on_prompt`` is called, so seesay can say aloud what
the dialog is and what to choose.

D-Bus is spoken with jeepney, as for AT-SPI (focus_atspi.py): pure Python, blocking calls with
timeouts, usable from any thread without a Qt or GLib event loop.

The portal writes the picture to a file and returns its URI. It is read only when it is a regular
file (not a link, a FIFO or a device) of reasonable size, and removed afterwards only when it
is a screenshot made for this request in a temporary place (xdg-desktop-portal-wlr 0.7 writes every
screenshot to /tmp/out.png, readable by every user): never a file elsewhere, such as a picture
folder where a desktop may keep its screenshots.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

from seesay.capture.base import CaptureError
from seesay.core.i18n import _

log = logging.getLogger("seesay.capture")

PORTAL = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SCREENSHOT = "org.freedesktop.portal.Screenshot"
REQUEST = "org.freedesktop.portal.Request"
#: A method call's answer: a little over D-Bus's own default (25 s). Starting the portal and its helpers
#: took over 5 s on a busy machine, and a portal waiting on one of its implementations (25 s, when
#: xdg-desktop-portal-wlr 0.7 missed its first call) answers no one meanwhile.
CALL_TIMEOUT = 30.0
#: No answer after this long: the desktop is most likely asking the person.
PROMPT_AFTER = 1.0
#: The longest wait for the answer, a person reading and answering the desktop's question included.
ANSWER_TIMEOUT = 60.0
#: A screenshot file larger than this is not read (8K, 4 bytes a pixel, uncompressed, is 133 MB).
MAX_FILE_BYTES = 256 * 1024 * 1024


def portal_unavailable_reason(timeout: float = CALL_TIMEOUT) -> str | None:
    """Why the Screenshot portal cannot be used in this session, or None when it answers."""
    try:
        portal_version(SCREENSHOT, timeout)
    except CaptureError as error:
        return str(error)  # with the hint: what works instead
    return None


def portal_version(interface: str, timeout: float = CALL_TIMEOUT) -> int:
    """The version of a portal ``interface`` this desktop offers; ``CaptureError`` when it offers none."""
    from jeepney import DBusAddress, new_method_call

    with session_bus() as bus:
        properties = DBusAddress(PORTAL_PATH, bus_name=PORTAL, interface="org.freedesktop.DBus.Properties")
        reply = call(bus, new_method_call(properties, "Get", "ss", (interface, "version")), timeout)
    return int(reply[0][1])


def take_screenshot(on_prompt: Callable[[], None] | None = None, answer_timeout: float = ANSWER_TIMEOUT
                    ) -> Image.Image:
    """The whole desktop, from the portal; ``CaptureError`` with a message to say when it cannot be had."""
    started = time.time()
    with session_bus() as bus:
        try:
            code, results = ask(bus, SCREENSHOT, "Screenshot", "sa{sv}", ("",), {"interactive": ("b", False)},
                                answer_timeout=answer_timeout, on_prompt=on_prompt)
        except TimeoutError:
            raise CaptureError(_("Your desktop did not answer the request for a screenshot within {seconds} "
                                 "seconds.").format(seconds=round(answer_timeout))) from None
    if code == 1:
        raise CaptureError(_("The screenshot was cancelled, so there is nothing to describe."))
    if code != 0:
        raise CaptureError(_("Your desktop refused to take the screenshot. If it asked and Deny was chosen, allow "
                             "screenshots for seesay in your desktop's privacy settings; the README says how."))
    uri = results.get("uri", ("s", ""))[1]
    return read_screenshot_file(str(uri), started)


def ask(bus, interface: str, method: str, signature: str, arguments: tuple, options: dict, *,
        answer_timeout: float = ANSWER_TIMEOUT, on_prompt: Callable[[], None] | None = None) -> tuple[int, dict]:
    """Call a portal method that answers later through a Request (its last argument is the options
    vardict, given apart): the Response's code (0 done, 1 cancelled, 2 refused) and results.
    ``on_prompt()`` when no answer has come within ``PROMPT_AFTER`` seconds; ``TimeoutError`` when
    none has come within ``answer_timeout`` (the Request is closed first, taking any question the
    desktop shows off the screen); ``CaptureError`` when the portal is missing or fails."""
    from jeepney import DBusAddress, MatchRule, message_bus, new_method_call

    token = "seesay_" + secrets.token_hex(8)
    sender = bus.unique_name.lstrip(":").replace(".", "_")
    expected = f"{PORTAL_PATH}/request/{sender}/{token}"
    # listen before asking, so an answer that comes at once is not missed (the signal's sender is the
    # portal's unique name, so the rule names the interface; the Request's path is checked below)
    rule = MatchRule(type="signal", interface=REQUEST, member="Response")
    with bus.filter(rule) as answers:
        call(bus, message_bus.AddMatch(rule))
        portal = DBusAddress(PORTAL_PATH, bus_name=PORTAL, interface=interface)
        handle = call(bus, new_method_call(portal, method, signature,
                                           (*arguments, {**options, "handle_token": ("s", token)})))[0]
        paths = {expected, handle}
        deadline = time.monotonic() + answer_timeout
        prompt_at = time.monotonic() + PROMPT_AFTER
        prompted = on_prompt is None
        while True:
            now = time.monotonic()
            if now >= deadline:
                try:
                    bus.send(new_method_call(DBusAddress(handle, bus_name=PORTAL, interface=REQUEST), "Close"))
                except Exception:
                    pass
                raise TimeoutError(method)
            wait = deadline - now if prompted else min(deadline, prompt_at) - now
            try:
                signal = bus.recv_until_filtered(answers, timeout=max(wait, 0.01))
            except TimeoutError:
                if not prompted:
                    prompted = True
                    on_prompt()
                continue
            if signal.header.fields.get(1) in paths:  # 1: the signal's object path
                code, results = signal.body
                return int(code), dict(results)


def read_screenshot_file(uri: str, since: float) -> Image.Image:
    """The picture at ``uri`` (a local file the portal just wrote), removed afterwards when it is a
    screenshot made for seesay in a temporary place."""
    parts = urlsplit(uri)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or not parts.path:
        raise CaptureError(_("Your desktop gave the screenshot in a form seesay cannot read."))
    path = Path(unquote(parts.path))
    try:
        # O_NOFOLLOW: a link put in the portal's place is not followed; O_NONBLOCK: a FIFO cannot stall us
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise CaptureError(_("The screenshot file from your desktop could not be opened ({detail}).").format(
            detail=error.strerror or type(error).__name__)) from None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            raise CaptureError(_("The screenshot from your desktop is not a picture file seesay can read."))
        try:
            with Image.open(file) as picture:
                image = picture.convert("RGB")
        except Exception:  # PIL's UnidentifiedImageError, a truncated file, a decompression bomb
            raise CaptureError(_("The screenshot from your desktop could not be read as a picture.")) from None
    _remove_if_made_for_us(path, info, since)
    return image


def temporary_places() -> list[Path]:
    """Where a screenshot the portal made only for seesay may be removed from."""
    places = [tempfile.gettempdir(), "/tmp", "/var/tmp", os.environ.get("XDG_RUNTIME_DIR", "")]
    return [Path(place).resolve() for place in places if place]


def _remove_if_made_for_us(path: Path, opened: os.stat_result, since: float) -> None:
    try:
        now = os.lstat(path)
    except OSError:
        return
    same_file = (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino) and stat.S_ISREG(now.st_mode)
    ours = now.st_uid == os.getuid() and now.st_mtime >= since - 2  # written for this request (2 s: coarse clocks)
    if same_file and ours and path.parent.resolve() in temporary_places():
        try:
            path.unlink()
        except OSError as error:
            log.info("portal screenshot file left in place: %s", type(error).__name__)


def session_bus():
    try:
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        raise CaptureError(_("The D-Bus library jeepney is missing, so seesay cannot ask the desktop for a "
                             "screenshot.")) from None
    try:
        return open_dbus_connection(bus="SESSION")
    except Exception as error:  # no DBUS_SESSION_BUS_ADDRESS, the bus went away
        raise CaptureError(_("seesay cannot reach the desktop's session bus to ask for a screenshot ({detail}).")
                           .format(detail=type(error).__name__), clipboard_route()) from None


def clipboard_route() -> str:
    """What works on any desktop when the portal does not."""
    return _("Describe a screenshot instead: take one with your desktop's shortcut and paste it (Ctrl+V), or bind "
             "a key to: seesay --describe clipboard")


def call(bus, message, timeout: float = CALL_TIMEOUT) -> tuple:
    """The reply's body; ``CaptureError`` when the portal is missing, fails or does not answer in time."""
    from jeepney import MessageType

    try:
        reply = bus.send_and_get_reply(message, timeout=timeout)
    except TimeoutError:  # a portal busy with another program's request can hold every caller up
        raise CaptureError(_("Your desktop's screenshot portal did not answer within {seconds} seconds; try again "
                             "in a moment.").format(seconds=round(timeout)), clipboard_route()) from None
    if reply.header.message_type == MessageType.error:
        error_name = str(reply.header.fields.get(4, ""))  # 4: the error's name
        if error_name in ("org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.UnknownMethod",
                          "org.freedesktop.DBus.Error.UnknownInterface", "org.freedesktop.DBus.Error.InvalidArgs",
                          "org.freedesktop.DBus.Error.UnknownObject"):
            raise CaptureError(_("This desktop offers no screenshot portal (xdg-desktop-portal with a Screenshot "
                                 "implementation for this desktop)."), clipboard_route())
        raise CaptureError(_("The desktop's screenshot portal failed ({detail}).").format(detail=error_name))
    return reply.body
