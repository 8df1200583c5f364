"""Image intake: every odd or broken input becomes an upright RGB picture or a clear ImageError."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from fixtures.bad_images import png_claiming_size
from seesay.core.errors import ImageError
from seesay.vision.images import WORKING_SIZE, load_image


def encoded(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def test_plain_png_path_loads_as_rgb(tmp_path):
    path = tmp_path / "red.png"
    Image.new("RGB", (40, 30), (255, 0, 0)).save(path)
    loaded = load_image(path)
    assert loaded.image.mode == "RGB"
    assert loaded.image.size == (40, 30)
    assert loaded.image.getpixel((5, 5)) == (255, 0, 0)


def test_bytes_and_pil_sources_work():
    data = encoded(Image.new("RGB", (8, 8), (0, 0, 255)), "PNG")
    assert load_image(data).image.getpixel((0, 0)) == (0, 0, 255)
    assert load_image(Image.new("L", (8, 8), 200)).image.getpixel((0, 0)) == (200, 200, 200)


def test_truncated_png_is_reported_as_damaged(tmp_path):
    data = encoded(Image.effect_noise((300, 300), 60).convert("RGB"), "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError, match="damaged"):
        load_image(path)


def test_zero_byte_file_is_empty(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ImageError, match="empty"):
        load_image(path)


def test_text_file_named_png_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("Dear diary, today I saved a text file with the wrong name.\n")
    with pytest.raises(ImageError, match="not an image"):
        load_image(path)


def test_header_claiming_40000_squared_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_claiming_size(40000, 40000))
    with pytest.raises(ImageError, match="too large.*40000x40000"):
        load_image(path)


def test_cmyk_jpeg_comes_out_in_the_right_colour():
    cmyk = Image.new("RGB", (32, 32), (200, 30, 30)).convert("CMYK")
    loaded = load_image(encoded(cmyk, "JPEG", quality=95))
    red, green, blue = loaded.image.getpixel((16, 16))
    assert red > 150 and green < 80 and blue < 80


def test_16_bit_grey_png_is_scaled_not_clipped():
    grey16 = Image.new("I;16", (16, 16), 32768)  # half of 65535
    loaded = load_image(encoded(grey16, "PNG"))
    value = loaded.image.getpixel((4, 4))
    assert value[0] == value[1] == value[2]
    assert 120 <= value[0] <= 135


def test_palette_png_with_transparency_is_flattened_on_white():
    palette = Image.new("P", (20, 20), 0)
    palette.putpalette([0, 0, 0, 255, 0, 0] + [0] * (254 * 3))
    for x in range(10):
        for y in range(20):
            palette.putpixel((x, y), 1)
    loaded = load_image(encoded(palette, "PNG", transparency=0))
    assert loaded.image.getpixel((2, 2)) == (255, 0, 0)
    assert loaded.image.getpixel((15, 2)) == (255, 255, 255)  # transparent, not black


def test_rgba_transparency_is_flattened_on_white():
    rgba = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    assert load_image(encoded(rgba, "PNG")).image.getpixel((5, 5)) == (255, 255, 255)


def test_one_bit_image_converts():
    bits = Image.new("1", (16, 16), 1)
    assert load_image(encoded(bits, "PNG")).image.getpixel((3, 3)) == (255, 255, 255)


def test_animated_gif_uses_the_first_frame():
    frames = [Image.new("RGB", (16, 16), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    red, green, blue = load_image(data).image.getpixel((8, 8))
    assert red > 200 and blue < 50


@pytest.mark.parametrize("orientation, stored", [(6, Image.Transpose.ROTATE_90), (8, Image.Transpose.ROTATE_270),
                                                 (3, Image.Transpose.ROTATE_180)])
def test_exif_orientation_is_applied(orientation, stored):
    upright = Image.new("RGB", (60, 30), (255, 255, 255))
    upright.paste((255, 0, 0), (0, 0, 10, 10))  # a red mark top-left when upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encoded(upright.transpose(stored), "JPEG", exif=exif, quality=95)
    loaded = load_image(data)
    assert loaded.image.size == (60, 30)
    red, green, blue = loaded.image.getpixel((4, 4))
    assert red > 200 and green < 60 and blue < 60


def test_huge_valid_jpeg_is_shrunk_to_the_working_size():
    big = Image.new("RGB", (8000, 6000), (30, 160, 60))
    loaded = load_image(encoded(big, "JPEG", quality=80))
    assert loaded.original_size == (8000, 6000)
    assert max(loaded.image.size) <= WORKING_SIZE
    assert loaded.image.size[0] > loaded.image.size[1]


def test_huge_valid_png_is_shrunk_too():
    loaded = load_image(encoded(Image.new("L", (6000, 3000), 90), "PNG"))
    assert loaded.image.size == (WORKING_SIZE, WORKING_SIZE // 2)
    assert loaded.image.getpixel((10, 10)) == (90, 90, 90)


def test_missing_path(tmp_path):
    with pytest.raises(ImageError, match="does not exist"):
        load_image(tmp_path / "nowhere.png")


def test_directory(tmp_path):
    with pytest.raises(ImageError, match="folder"):
        load_image(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file; the CLI test covers this as another user")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.png"
    Image.new("RGB", (4, 4)).save(path)
    path.chmod(0)
    with pytest.raises(ImageError, match="not allowed"):
        load_image(path)
