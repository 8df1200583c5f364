"""What a folder job prints and writes beside the pictures: descriptions on standard output (text,
JSON Lines or CSV), progress on standard error, alt-text files (``describe.folders``)."""

from __future__ import annotations

import csv
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from seesay.core.errors import SeesayError
from seesay.core.i18n import _, ngettext

SIDECAR_SUFFIX = ".alt.txt"
CSV_COLUMNS = ("path", "said", "caption", "certainty", "confidence", "text", "from_index", "error")
#: Progress is said at least this often (seconds), and at every tenth of the way.
PROGRESS_EVERY = 10.0


@dataclass
class Tally:
    described: int = 0
    known: int = 0
    failed: int = 0
    extras_failed: int = 0
    started: float = field(default_factory=time.monotonic)


def write_sidecar(picture: str, said: str) -> str | None:
    """``picture.alt.txt`` beside the picture, holding what is said about it (written whole or not at
    all; left alone when it already says that). Made with the picture's own read permissions."""
    path = picture + SIDECAR_SUFFIX
    text = said.strip() + "\n"
    try:
        with open(path, encoding="utf-8") as existing:
            if existing.read() == text:
                return None
    except (OSError, UnicodeError):
        pass
    try:
        mode = stat.S_IMODE(os.stat(picture).st_mode) & 0o666 | 0o600
    except OSError:
        mode = 0o644
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".seesay", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            os.fchmod(out.fileno(), mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    return path


class Writer:
    """Descriptions to standard output, in the chosen format; errors too, as the format allows."""

    def __init__(self, output: str, out: TextIO) -> None:
        self.output = output
        self.out = out
        self._csv = None
        if output == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._csv.writerow(CSV_COLUMNS)
            out.flush()

    def record(self, path: str, record: Mapping[str, Any], from_index: bool) -> None:
        if self.output == "jsonl":
            print(json.dumps({**record, "path": path, "from_index": from_index}), file=self.out, flush=True)
        elif self.output == "csv":
            self._csv.writerow([path, record.get("said", ""), record.get("caption", ""), record.get("certainty", ""),
                                record.get("confidence", ""), " / ".join(record.get("text", [])),
                                "yes" if from_index else "no", ""])
            self.out.flush()
        else:
            print(f"{path}: {record.get('said', '')}", file=self.out, flush=True)

    def error(self, path: str, error: SeesayError, tell) -> None:
        if self.output == "jsonl":
            record = {"path": path, "error": error.message}
            if error.hint:
                record["hint"] = error.hint
            print(json.dumps(record), file=self.out, flush=True)
        elif self.output == "csv":
            self._csv.writerow([path, "", "", "", "", "", "", error.message])
            self.out.flush()
        if self.output != "jsonl":
            tell(f"{path}: " + _("error: {message}").format(message=error.message))
            if error.hint:
                tell(error.hint)


class Progress:
    """A line on standard error now and then: how many of how many, how fast, how long still."""

    def __init__(self, total: int, tell: Callable[[str], None], every: float = PROGRESS_EVERY) -> None:
        self.total = total
        self.tell = tell
        self.every = every
        self._said_at = time.monotonic()
        self._tenth = 0
        self._started = time.monotonic()

    def update(self, tally: Tally) -> None:
        done = tally.described + tally.known + tally.failed
        tenth = 10 * done // self.total if self.total else 10
        now = time.monotonic()
        if done < self.total and (tenth > self._tenth or now - self._said_at >= self.every):
            self._tenth = tenth
            self._said_at = now
            self.tell(self.line(tally, now))

    def line(self, tally: Tally, now: float) -> str:
        done = tally.described + tally.known + tally.failed
        line = _("{done} of {total} pictures").format(done=done, total=self.total)
        seconds = now - self._started
        if done and seconds > 0:  # all the files done: a run of pictures already in the index goes fast
            rate = done / seconds
            left = (self.total - done) / rate
            line += ", " + _("{rate} a second, about {left} left").format(rate=f"{rate:.1f}", left=_duration(left))
        return line

    def finish(self, tally: Tally, *, stopped: bool) -> None:
        seconds = time.monotonic() - self._started
        parts = [ngettext("{count} described", "{count} described", tally.described).format(count=tally.described),
                 ngettext("{count} already in the index", "{count} already in the index", tally.known).format(
                     count=tally.known),
                 ngettext("{count} could not be described", "{count} could not be described", tally.failed).format(
                     count=tally.failed)]
        self.tell(_("Done in {time}: {counts}.").format(time=_duration(seconds), counts=", ".join(parts))
                  if not stopped else ", ".join(parts) + ".")


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return ngettext("{count} second", "{count} seconds", seconds).format(count=seconds)
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=seconds)
    hours, minutes = divmod(minutes, 60)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
