"""Hostile pictures: files that are not files, and small files that decode to huge pictures.

Each hostile read runs in a process of its own with a time limit and an address-space limit,
so a reader that hangs or reads without end fails the test instead of the machine.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from fixtures.bad_images import float_tiff, hostile_corpus, sixteen_bit_png
from seesay.core.errors import ImageError
from seesay.vision.images import WORKING_SIZE, load_image

SOURCE = Path(__file__).resolve().parents[2] / "src"
#: Each reading process may map this much; the old reader of /dev/zero ran into it.
ADDRESS_LIMIT = 2 << 30
READ_ONE = """
import resource, sys
import numpy, PIL.Image, PIL.PngImagePlugin, PIL.TiffImagePlugin
from seesay.core.errors import ImageError
from seesay.vision.images import load_image
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
def peak_kb():  # VmHWM: ru_maxrss would start from the forking parent's size
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0])
with open("/proc/self/clear_refs", "w") as reset:
    reset.write("5")  # the peak starts again from here
before = peak_kb()
try:
    if sys.argv[2] == "plain":  # PIL's own decode, the least any reader can cost
        with PIL.Image.open(sys.argv[1]) as image:
            image.load()
        said = "decoded"
    else:
        said = "read %dx%d" % load_image(sys.argv[1]).image.size
except ImageError as error:
    said = "refused: " + error.message
except MemoryError:
    said = "MemoryError"
print(peak_kb() - before, said)
"""


def read_elsewhere(path: Path, how: str = "seesay", timeout: float = 20) -> tuple[float, str]:
    """(extra peak memory in MB, what was said) for reading ``path`` in its own process."""
    try:
        done = subprocess.run([sys.executable, "-c", READ_ONE.format(limit=ADDRESS_LIMIT), str(path), how],
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": str(SOURCE)})
    except subprocess.TimeoutExpired:  # subprocess.run has ended the process it started
        pytest.fail(f"reading {path.name} hung for {timeout} s")
    assert done.returncode == 0, done.stderr
    extra, said = done.stdout.strip().split(" ", 1)
    return int(extra) / 1024, said


def test_a_fifo_named_like_a_picture_is_refused_at_once(tmp_path):
    fifo = tmp_path / "x.png"
    os.mkfifo(fifo)
    _, said = read_elsewhere(fifo, timeout=10)
    assert said == f"refused: {fifo} is not a picture file (it is a named pipe)."


def test_a_link_to_dev_zero_is_refused_without_reading_it(tmp_path):
    link = tmp_path / "zero.png"
    link.symlink_to("/dev/zero")
    extra, said = read_elsewhere(link)
    assert said == f"refused: {link} is not a picture file (it is a device)."
    assert extra < 50


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.png"
    Image.effect_noise((300, 300), 60).save(path)
    with pytest.raises(ImageError, match="too large to read") as raised:
        load_image(path, max_file_bytes=path.stat().st_size - 1)
    assert raised.value.hint and "MB" in raised.value.hint
    assert load_image(path, max_file_bytes=path.stat().st_size).original_size == (300, 300)


@pytest.mark.parametrize("kind", ["16-bit grey PNG", "32-bit float TIFF in strips", "32-bit integer TIFF in strips",
                                  "palette PNG with transparency", "16-bit RGBA PNG", "1-bit PNG"])
def test_a_small_file_of_a_huge_picture_costs_little_more_than_decoding_it(tmp_path, kind):
    """The picture is made small before it is converted: no full-size float or RGB copy. Beyond
    PIL's own decoding, only the working copies are paid for (a picture a little larger than
    2048x2048 and the 2048x2048 result, about 40 MB together)."""
    path = hostile_corpus(tmp_path, side=5000)[kind]
    decoding, decoded = read_elsewhere(path, "plain")
    extra, said = read_elsewhere(path)
    assert decoded == "decoded" and said == f"read {WORKING_SIZE}x{WORKING_SIZE}"
    assert extra < decoding + 80, f"{kind}: {extra:.0f} MB to read, {decoding:.0f} MB to decode"


def test_a_tiff_in_one_piece_is_refused_when_decoding_it_would_take_too_much_memory(tmp_path):
    """libtiff reads a strip whole, then unpacks it: a 14000x14000 float TIFF in one strip took
    1.8 GB that way. What decoding takes is reckoned from the header, before anything is read."""
    budget = 6_000_000  # a 1000x1000 float picture is 4 MB; in one strip, libtiff needs 4 MB more
    one_piece = float_tiff(tmp_path / "one.tiff", 1000, 1000)
    with pytest.raises(ImageError, match=r"would need \d+ MB of memory to read") as raised:
        load_image(one_piece, max_decode_bytes=budget)
    assert "strips" in raised.value.hint
    in_strips = float_tiff(tmp_path / "strips.tiff", 1000, 1000, rows_per_strip=16)
    assert load_image(in_strips, max_decode_bytes=budget).image.size == (1000, 1000)


def test_a_huge_sixteen_bit_picture_keeps_its_light_and_dark(tmp_path):
    picture = load_image(sixteen_bit_png(tmp_path / "deep.png", 5000, 5000)).image
    width, height = picture.size
    bright, dark = picture.getpixel((width - 5, height // 4)), picture.getpixel((width // 2, height - 5))
    assert bright[0] > 240 and bright[0] == bright[1] == bright[2]
    assert dark == (0, 0, 0)


def test_a_huge_float_picture_is_scaled_from_its_own_range(tmp_path):
    picture = load_image(float_tiff(tmp_path / "float.tiff", 4200, 4200)).image
    width, height = picture.size
    assert picture.getpixel((width - 3, 5))[0] > 240  # the ramp's top, 1000.0, is white
    assert abs(picture.getpixel((width // 2, 5))[0] - 128) < 8  # its middle is mid grey
    assert picture.getpixel((width // 2, height - 5)) == (0, 0, 0)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_float_pictures_without_a_usable_range_still_read(tmp_path, value):
    picture = load_image(float_tiff(tmp_path / "odd.tiff", 64, 48, value=value)).image
    assert picture.size == (64, 48) and picture.mode == "RGB"
