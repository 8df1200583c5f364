"""The window's descriptions of picture files, kept in the picture index when the person asks for it.

``seesay describe`` keeps every description in the picture index (``describe.index``); the window
keeps them only with the setting ``keep_in_index`` on (off by default: what a person looks at is
theirs). Then every picture *file* the window describes (opened, or dropped on it) is kept as
``seesay describe`` keeps it, so ``seesay search`` and the window's search field find it. Screen
captures and pasted pictures are not files: nothing of them is kept, whatever the setting.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seesay.core.requests import DescribeRequest

log = logging.getLogger("seesay.index")

#: How a request for a picture file arrives from the window.
FILE_ORIGINS = ("file", "drop")


def wanted(request: DescribeRequest, values: Mapping[str, Any]) -> bool:
    """The person asked for it, and the picture is a file (not a capture, not pasted)."""
    return (values.get("keep_in_index") == "on" and request.origin in FILE_ORIGINS and request.question is None
            and isinstance(request.source, (str, os.PathLike)))


def keep(request: DescribeRequest, seen, said, values: Mapping[str, Any], location: Path | None = None,
         language: str = "en") -> str | None:
    """Keep the description of ``request``'s file in the index (``location``: the default one); None
    when kept or not wanted, else what to show: why it was not kept (the description itself stands)."""
    if not wanted(request, values):
        return None
    from seesay.describe.files import _keep, _record
    from seesay.describe.index import open_index

    problems = io.StringIO()
    index = open_index(location, err_notify=lambda text: print(text, file=problems))
    if index is not None:
        try:
            path = os.fspath(request.source)
            # the log names the request, never the file (a file's name may say what is in it)
            _keep(index, path, _record(path, seen, said, values, language), values, f"request {request.id}", problems)
        finally:
            index.close()
    said_back = problems.getvalue().strip()
    if said_back:
        log.warning("a description was not kept in the picture index")
    return said_back or None
