"""Image intake: a path, bytes or PIL image becomes an upright RGB picture ready for the model.

Everything that can go wrong with an input file becomes an ``ImageError`` with a sentence a
person can act on. Sizes are checked from the header, before any pixel is decoded, so a
file that claims 40000x40000 pixels costs nothing; large valid images are shrunk while they
are decoded (JPEG draft mode, then a reducing resize), never after.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from PIL import Image, ImageOps, UnidentifiedImageError

from seesay.core.errors import ImageError
from seesay.core.i18n import _

ImageSource = Union[str, os.PathLike, bytes, bytearray, memoryview, Image.Image]

#: Pictures with more pixels than this are refused before decoding (a 16k x 12k photo passes).
MAX_PIXELS = 200_000_000
#: Longest side kept after intake. The captioner looks at 384 px; text reading later needs more.
WORKING_SIZE = 2048
#: PIL's own guard would otherwise warn or raise on its own terms; ours comes first.
Image.MAX_IMAGE_PIXELS = None

_EXIF_ORIENTATION = 0x0112
_TRANSPOSE_FOR_ORIENTATION = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


@dataclass(frozen=True)
class LoadedImage:
    """An upright RGB picture, and what it was before intake."""

    image: Image.Image
    original_size: tuple[int, int]
    source_name: str


def load_image(
    source: ImageSource, *, max_pixels: int = MAX_PIXELS, working_size: int = WORKING_SIZE
) -> LoadedImage:
    """Open ``source`` and return it upright, in RGB, no larger than ``working_size``."""
    name = _describe_source(source)
    if isinstance(source, Image.Image):
        return _prepare(source, name, max_pixels, working_size)
    stream = _open_stream(source, name)
    try:
        with Image.open(stream) as opened:
            return _prepare(opened, name, max_pixels, working_size)
    except UnidentifiedImageError:
        raise ImageError(
            _("{name} is not an image, or is in a format seesay cannot read.").format(name=name),
            _("Use a PNG, JPEG, WebP, GIF, BMP or TIFF file."),
        ) from None
    except Image.DecompressionBombError:  # a second guard, in case a format lies about its size
        raise _too_large(name, None) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(
            _("{name} is damaged and cannot be read ({detail}).").format(name=name, detail=_short(error))
        ) from None


def _describe_source(source: ImageSource) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    if isinstance(source, Image.Image):
        return _("the image")
    return _("the image data")


def _open_stream(source: ImageSource, name: str) -> io.BytesIO:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        data = _read_file(Path(os.fspath(source)), name)
    if not data:
        raise ImageError(_("{name} is empty: it holds no picture.").format(name=name))
    return io.BytesIO(data)


def _read_file(path: Path, name: str) -> bytes:
    try:
        if path.is_dir():
            raise ImageError(_("{name} is a folder, not an image.").format(name=name))
        return path.read_bytes()
    except FileNotFoundError:
        raise ImageError(_("{name} does not exist.").format(name=name)) from None
    except PermissionError:
        raise ImageError(
            _("seesay is not allowed to read {name}.").format(name=name),
            _("Check the file's permissions."),
        ) from None
    except IsADirectoryError:
        raise ImageError(_("{name} is a folder, not an image.").format(name=name)) from None
    except OSError as error:
        raise ImageError(_("{name} could not be read ({detail}).").format(name=name, detail=_short(error))) from None


def _prepare(image: Image.Image, name: str, max_pixels: int, working_size: int) -> LoadedImage:
    original_size = image.size
    width, height = original_size
    if width <= 0 or height <= 0:
        raise ImageError(_("{name} has no pixels.").format(name=name))
    if width * height > max_pixels:
        raise _too_large(name, original_size)
    orientation = _orientation(image)
    if getattr(image, "is_animated", False):
        image.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PIL warns about odd palettes and EXIF; nothing a user can act on
        image = _shrink_while_decoding(image, working_size)
        rgb = _to_rgb(image)
    for method in _TRANSPOSE_FOR_ORIENTATION.get(orientation, ()):
        rgb = rgb.transpose(method)
    return LoadedImage(image=rgb, original_size=original_size, source_name=name)


def _too_large(name: str, size: tuple[int, int] | None) -> ImageError:
    shown = f"{size[0]}x{size[1]}" if size else _("more than {limit} pixels").format(limit=MAX_PIXELS)
    return ImageError(
        _("{name} is too large to describe: {size}.").format(name=name, size=shown),
        _("Pictures of up to {megapixels} megapixels can be described.").format(megapixels=MAX_PIXELS // 1_000_000),
    )


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_EXIF_ORIENTATION, 1))
    except Exception:  # broken EXIF must not cost the picture
        return 1


def _shrink_while_decoding(image: Image.Image, working_size: int) -> Image.Image:
    """Decode at no more than about twice ``working_size``, then reduce to it."""
    if max(image.size) <= working_size:
        image.load()
        return image
    if image.format == "JPEG":
        image.draft(image.mode, (working_size, working_size))  # the decoder scales by 1/2, 1/4 or 1/8
    image.load()
    shrunk = ImageOps.contain(_decodable(image), (working_size, working_size), Image.Resampling.BILINEAR)
    return shrunk


def _decodable(image: Image.Image) -> Image.Image:
    """Modes that PIL cannot resize go to RGB(A) first."""
    if image.mode in ("P", "PA", "1", "CMYK", "YCbCr", "LAB", "HSV"):
        return _to_rgb(image) if "transparency" not in image.info else image.convert("RGBA")
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        return _to_rgb(image)
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    mode = image.mode
    if mode == "RGB":
        return image
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _wide_grey_to_rgb(image)
    if mode == "P" and "transparency" in image.info or mode == "PA":
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "RGBa", "La"):
        return _flatten_on_white(image.convert("RGBA"))
    return image.convert("RGB")


def _wide_grey_to_rgb(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit grey: scale to 8 bits by the value range the format allows."""
    import numpy as np

    values = np.asarray(image.convert("F") if image.mode.startswith("I;16") else image, dtype=np.float64)
    if image.mode == "F":
        low, high = float(values.min()), float(values.max())
        scale = 255.0 / (high - low) if high > low else 0.0
        values = (values - low) * scale
    else:
        values = values / 257.0  # 0..65535 -> 0..255
    grey = Image.fromarray(np.clip(values, 0, 255).astype(np.uint8), mode="L")
    return grey.convert("RGB")


def _flatten_on_white(rgba: Image.Image) -> Image.Image:
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _short(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 80 else text[:77] + "..."
