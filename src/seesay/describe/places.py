"""Where a picture is on a capture, as it is said: its third across and down ("top right"), and
the order pictures are said in (row by row, each row left to right).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seesay.describe.layout import PictureRegion

#: Place keys in a 3x3 grid, row by row.
PLACES = (("top left", "top", "top right"), ("left", "centre", "right"), ("bottom left", "bottom", "bottom right"))


def place_of(box: tuple[int, int, int, int], size: tuple[int, int]) -> str:
    """Where ``box``'s centre lies on the capture, in thirds."""
    x = (box[0] + box[2]) / 2 / max(1, size[0])
    y = (box[1] + box[3]) / 2 / max(1, size[1])
    return PLACES[min(2, int(y * 3))][min(2, int(x * 3))]


def reading_order(regions: list[PictureRegion]) -> list[PictureRegion]:
    """Row by row, top to bottom, each row left to right; regions side by side (overlapping by
    half the smaller height) share a row even when their tops differ."""
    rows: list[list[PictureRegion]] = []
    for region in sorted(regions, key=lambda r: r.box[1]):
        if rows:
            bottom = max(other.box[3] for other in rows[-1])
            top = min(other.box[1] for other in rows[-1])
            height = min(region.box[3] - region.box[1], bottom - top)
            if min(bottom, region.box[3]) - max(top, region.box[1]) >= height / 2:
                rows[-1].append(region)
                continue
        rows.append([region])
    return [region for row in rows for region in sorted(row, key=lambda r: r.box[0])]
