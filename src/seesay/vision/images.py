"""Image intake: a path, bytes or PIL image becomes an upright RGB picture ready for the model.

Everything that can go wrong with an input file becomes an ``ImageError`` with a sentence a
person can act on. Only regular files are opened (a FIFO named x.png or a link to /dev/zero
is refused, never read), and files over ``MAX_FILE_BYTES`` are refused before reading. Sizes
are checked from the header, before any pixel is decoded, so a file that claims 40000x40000
pixels costs nothing. A large picture is decoded in its own mode (JPEG at a reduced scale),
then made small before it is converted: 16-bit, float, palette and transparent pictures are
converted a strip at a time, so no full-size float or RGB copy is ever made.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from typing import Union

from PIL import Image, ImageOps, UnidentifiedImageError

from seesay.core.errors import ImageError
from seesay.core.i18n import _
from seesay.core.regular_files import FileTooLarge, NotARegularFile, open_regular_file

ImageSource = Union[str, os.PathLike, bytes, bytearray, memoryview, Image.Image]

#: Pictures with more pixels than this are refused before decoding (a 16k x 12k photo passes).
MAX_PIXELS = 200_000_000
#: Picture files larger than this are refused unread (an uncompressed 200-megapixel RGB TIFF is 600 MB).
MAX_FILE_BYTES = 1 << 30
#: Most memory decoding one picture may take (a 200-megapixel picture of four bytes a pixel takes 800 MB).
MAX_DECODE_BYTES = 1 << 30
#: Pixels converted at a time when a picture is made small: a strip's copies stay a few MB.
STRIP_PIXELS = 1_000_000
#: Modes a box reduction works on directly; the others are converted a strip at a time first.
_REDUCIBLE = ("RGB", "L", "I", "F")
#: What PIL keeps per pixel, by mode (three-band pictures are kept in four bytes).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
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
    source: ImageSource, *, max_pixels: int = MAX_PIXELS, working_size: int = WORKING_SIZE,
    max_file_bytes: int = MAX_FILE_BYTES, max_decode_bytes: int = MAX_DECODE_BYTES, name: str | None = None,
) -> LoadedImage:
    """Open ``source`` and return it upright, in RGB, no larger than ``working_size``. ``name``: what
    messages call it (default: its path, or "the image data"), for bytes read from a file elsewhere."""
    name = name or _describe_source(source)
    try:
        if isinstance(source, Image.Image):
            return _prepare(source, name, max_pixels, working_size, max_decode_bytes)
        with _open_stream(source, name, max_file_bytes) as stream, Image.open(stream) as opened:
            return _prepare(opened, name, max_pixels, working_size, max_decode_bytes)
    except MemoryError:  # under the pixel limit, but more than this computer has free
        raise ImageError(
            _("{name} needs more memory than this computer has free, so it cannot be described.").format(name=name),
            _("Close other programs, or make the picture smaller."),
        ) from None
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


def _open_stream(source: ImageSource, name: str, max_file_bytes: int):
    if isinstance(source, (bytes, bytearray, memoryview)):
        if not source:
            raise ImageError(_("{name} is empty: it holds no picture.").format(name=name))
        return io.BytesIO(bytes(source))
    try:
        stream = open_regular_file(os.fspath(source), max_file_bytes)
    except NotARegularFile as error:
        if error.is_folder:
            raise ImageError(_("{name} is a folder, not an image.").format(name=name)) from None
        raise ImageError(_("{name} is not a picture file (it is a {kind}).").format(name=name, kind=error.kind),
                         _("Describe a picture saved as a file.")) from None
    except FileTooLarge as error:
        raise ImageError(
            _("{name} is too large to read: {size} MB.").format(name=name, size=error.size // 1_000_000),
            _("Picture files of up to {limit} MB can be described.").format(limit=error.limit // 1_000_000),
        ) from None
    except FileNotFoundError:
        if _is_web_address(os.fspath(source)):
            raise ImageError(
                _("{name} is a web address, and seesay does not fetch pictures from the web: pictures are "
                  "described on this computer, and nothing is uploaded or downloaded.").format(name=name),
                _("Save the picture to a file first (in a browser: right-click it, Save image as), then describe "
                  "that file."),
            ) from None
        raise ImageError(_("{name} does not exist.").format(name=name)) from None
    except PermissionError:
        raise ImageError(
            _("seesay is not allowed to read {name}.").format(name=name),
            _("Check the file's permissions."),
        ) from None
    except OSError as error:
        raise ImageError(_("{name} could not be read ({detail}).").format(name=name, detail=_short(error))) from None
    if os.fstat(stream.fileno()).st_size == 0:
        stream.close()
        raise ImageError(_("{name} is empty: it holds no picture.").format(name=name))
    return stream


def _prepare(image: Image.Image, name: str, max_pixels: int, working_size: int, max_decode_bytes: int) -> LoadedImage:
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
        rgb = _small_rgb(_decode(image, name, working_size, max_decode_bytes), working_size)
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


def _decode(image: Image.Image, name: str, working_size: int, max_decode_bytes: int) -> Image.Image:
    """Decode in the picture's own mode; a JPEG at no less than ``working_size`` (the decoder
    scales by 1/2, 1/4 or 1/8 on the way). What decoding will take is reckoned first."""
    if image.format == "JPEG" and max(image.size) > working_size:
        image.draft(image.mode, (working_size, working_size))
    if getattr(image, "tile", None) and _decode_bytes(image) > max_decode_bytes:  # tiles left: not decoded yet
        raise ImageError(
            _("{name} would need {size} MB of memory to read, more than seesay allows for one picture.").format(
                name=name, size=_decode_bytes(image) // 1_000_000),
            _("Save it again in another format or smaller (a TIFF in strips, not in one piece)."),
        )
    image.load()
    return image


def _decode_bytes(image: Image.Image) -> int:
    """The memory decoding ``image`` takes: the picture in PIL's own layout, and for a TIFF read
    by libtiff, its largest strip or tile twice over (read, then unpacked)."""
    width, height = image.size
    total = width * height * _BYTES_PER_PIXEL.get(image.mode, 4)
    if image.format == "TIFF" and image.tile and image.tile[0][0] == "libtiff":
        tags = image.tag_v2
        piece = (tags.get(322, width) * tags.get(323, height) if 322 in tags
                 else width * min(tags.get(278, height), height))
        bits = tags.get(258, (8,))
        piece_bytes = piece * sum(bits if isinstance(bits, tuple) else (bits,)) // 8
        stored = max(tags.get(279, ()) or tags.get(325, ()) or (0,))
        total += piece_bytes + stored
    return total


def _small_rgb(image: Image.Image, working_size: int) -> Image.Image:
    """RGB no larger than ``working_size``, without any full-size copy: reduced by a whole
    factor first (in the image's own mode, or a strip at a time while converting), then resized."""
    factor = max(1, max(image.size) // working_size)
    if image.mode in _REDUCIBLE:  # made small in its own mode, converted last
        return _to_rgb(_fit(image.reduce(factor) if factor > 1 else image, working_size))
    return _fit(_reduce_in_strips(image, factor), working_size)


def _fit(image: Image.Image, working_size: int) -> Image.Image:
    if max(image.size) <= working_size:
        return image
    return ImageOps.contain(image, (working_size, working_size), Image.Resampling.BILINEAR)


def _reduce_in_strips(image: Image.Image, factor: int) -> Image.Image:
    """Convert to RGB and reduce by ``factor``, a band of rows at a time."""
    width, height = image.size
    rows = factor * max(1, STRIP_PIXELS // (width * factor))
    small = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        strip = _to_rgb(image.crop((0, top, width, min(height, top + rows))))
        small.paste(strip.reduce(factor) if factor > 1 else strip, (0, top // factor))
    return small


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
    """16-bit and 32-bit grey (already small, or one strip): to 8 bits by the value range the
    format allows; floating point by the picture's own finite range."""
    import numpy as np

    if image.mode.startswith("I;16"):  # 0..65535 -> 0..255, in place of a float copy
        grey = Image.fromarray((np.asarray(image) >> 8).astype(np.uint8))
        return grey.convert("RGB")
    values = np.array(image, dtype=np.float32)  # the one copy; the steps below work in place
    if image.mode == "F":
        finite = np.isfinite(values)
        low = float(np.min(values, where=finite, initial=np.inf)) if finite.any() else 0.0
        high = float(np.max(values, where=finite, initial=-np.inf)) if finite.any() else 0.0
        values -= low
        values *= 255.0 / (high - low) if high > low else 0.0  # infinities stay infinite, clipped below
        values[np.isnan(values)] = 0.0
    else:
        values /= 257.0  # whole numbers: 0..65535 -> 0..255
    np.clip(values, 0, 255, out=values)
    return Image.fromarray(values.astype(np.uint8)).convert("RGB")  # 8-bit grey (L), then RGB


def _flatten_on_white(rgba: Image.Image) -> Image.Image:
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _is_web_address(path: str) -> bool:
    """http://, https://, ftp://... (a file of that name that exists is opened as a file)."""
    scheme, separator, _rest = str(path).partition("://")
    return bool(separator) and scheme.isalpha() and scheme.lower() not in ("file",)


def _short(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 80 else text[:77] + "..."
