"""Which files of a folder are pictures to describe: ``seesay describe --recursive``.

Folders are walked in name order, without following links to folders (a link loop cannot
trap the walk, and nothing outside the folder given is reached through one). A link to a file
is followed only when the file is inside the folder given. Hidden files and folders (names
starting with a dot: .git, .thumbnails) are left out. What is left out on purpose is said
once, with its name, to ``report``; the walk goes on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from fnmatch import fnmatchcase

from seesay.core.i18n import _
from seesay.core.regular_files import special_kind

#: The pictures described when no ``--include`` is given (case is ignored).
PICTURE_PATTERNS = ("*.png", "*.jpg", "*.jpeg", "*.webp", "*.gif", "*.bmp", "*.tif", "*.tiff")


def matches(relative: str, patterns: Sequence[str]) -> bool:
    """Whether a path (relative to the folder given, with /) matches one of ``patterns``: a pattern
    with a / is matched against the whole relative path, others against the name alone; case is ignored."""
    name = relative.rsplit("/", 1)[-1].lower()
    relative = relative.lower()
    return any(fnmatchcase(relative if "/" in pattern else name, pattern.lower()) for pattern in patterns)


def pictures_in(roots: Sequence[str], *, include: Sequence[str] = (), exclude: Sequence[str] = (),
                report: Callable[[str], None]) -> Iterator[str]:
    """Each picture file under ``roots`` (folders, or files named directly, which are always taken)."""
    include = tuple(include) or PICTURE_PATTERNS
    for root in roots:
        try:
            info = os.stat(root)
        except OSError:
            yield root  # described as given: describing it says what is wrong
            continue
        if not stat.S_ISDIR(info.st_mode):
            yield root
            continue
        yield from _walk(root, os.path.realpath(root), include, tuple(exclude), report)


def _walk(root: str, real_root: str, include, exclude, report) -> Iterator[str]:
    folders = [(root, "")]
    while folders:
        folder, relative_folder = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            report(_("{folder}: this folder cannot be read; it is skipped.").format(folder=folder))
            continue
        below = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = f"{relative_folder}{entry.name}"
            if exclude and matches(relative, exclude):
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue  # gone meanwhile
            if stat.S_ISDIR(mode):
                below.append((entry.path, relative + "/"))
                continue
            target = os.path.realpath(entry.path) if stat.S_ISLNK(mode) else None
            if target is not None and os.path.isdir(target):
                report(_("{path}: a link to a folder; links to folders are not followed.").format(path=entry.path))
                continue
            if not matches(relative, include):
                continue
            if target is not None:
                if os.path.commonpath([real_root, target]) != real_root:
                    report(_("{path}: a link to a file outside the folder; it is skipped.").format(path=entry.path))
                    continue
                yield entry.path  # a link inside the folder (or a broken one: describing it says so)
            elif stat.S_ISREG(mode):
                yield entry.path
            else:
                report(_("{path}: not a picture file (it is a {kind}); it is skipped.").format(
                    path=entry.path, kind=special_kind(mode)))
        folders.extend(reversed(below))  # the first subfolder next: name order, depth first
