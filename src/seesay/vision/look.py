"""What a picture looks like, measured without a model: how much of it is flat.

Screens of programs (dialogs, forms, documents) are mostly flat colour: panels, backgrounds,
buttons. Photos almost never are. With a few words read, that tells a dialog ("Save changes?
Save, Cancel") from a photo with a sign in it, which the word count alone cannot.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

#: The picture is looked at this small (the longer side, in pixels): enough to see panels.
LOOK_SIZE = 256
#: Blocks of this many pixels a side...
BLOCK = 8
#: ...whose brightness varies less than this (standard deviation, 0-255) are flat.
FLAT_SPREAD = 3.0


def flat_share(image: Image.Image) -> float:
    """The share (0 to 1) of the picture made of flat blocks."""
    small = image.convert("L")
    small.thumbnail((LOOK_SIZE, LOOK_SIZE))
    gray = np.asarray(small, dtype=np.float32)
    rows, columns = gray.shape[0] // BLOCK, gray.shape[1] // BLOCK
    if rows == 0 or columns == 0:
        return 0.0
    blocks = gray[: rows * BLOCK, : columns * BLOCK].reshape(rows, BLOCK, columns, BLOCK)
    spread = blocks.std(axis=(1, 3))
    return float((spread < FLAT_SPREAD).mean())
