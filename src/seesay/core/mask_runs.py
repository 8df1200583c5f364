"""Where a row of flags is True: each run's start and end. Layout, text reading and panes all cut
their work at runs of ink, of busy cells or of plain page."""

from __future__ import annotations

import numpy as np


def runs_of(mask: np.ndarray) -> list[tuple[int, int]]:
    """Where ``mask`` (one dimension) is True: each run's start and end (end not in it)."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], np.asarray(mask).astype(np.int8), [0]))))
    return [(int(start), int(end)) for start, end in zip(edges[::2], edges[1::2])]


def run_heights(mask: np.ndarray) -> np.ndarray:
    """The length of each run of True in ``mask`` (one dimension), in order."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], np.asarray(mask).astype(np.int8), [0]))))
    return edges[1::2] - edges[::2]
