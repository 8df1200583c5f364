"""A faint picture given alone (a photo taken at dusk or in fog, one shown at a tenth of its
contrast) is stretched to its full range of brightness before it is looked at, as a person turns
up a screen's contrast: within a few levels of grey, a screen's layout sees it as one plain colour
("The picture is one plain colour." for scikit-image's moon at 10% contrast, whose 26 levels of
grey a person still sees), and the captioner sees a grey card. A picture that really is one colour
(give or take a JPEG's noise) stays so.
"""

from __future__ import annotations

from PIL import Image, ImageOps

from seesay.describe.layout import spread_of

#: A picture varying less than this (``layout.spread_of``) is one colour, give or take noise...
PLAIN_SPREAD = 0.8
#: ...and one varying less than this is faint: stretched.
FAINT_SPREAD = 6.0
#: The darkest and lightest share of pixels (per cent) left out of the stretch (specks, noise).
CUTOFF = 0.5


def made_visible(image: Image.Image) -> Image.Image:
    """``image`` stretched to its full range of brightness when it is faint, else as it is."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    if not PLAIN_SPREAD <= spread_of(rgb) < FAINT_SPREAD:
        return image
    return ImageOps.autocontrast(rgb, cutoff=CUTOFF, preserve_tone=True)
