"""How many times its usual size an interface is drawn, told from the height of its text (the
heights are those tesseract gave GTK's file chooser at 100% and 200%)."""

from __future__ import annotations

from PIL import Image

from seesay.describe.layout import Layout, PictureRegion
from seesay.vision.drawn_size import at_usual_size, interface_scale
from seesay.vision.ocr_types import ReadText, TextLine


def lines(*heights_and_words: tuple[int, str], sure: float = 0.95) -> list[TextLine]:
    return [TextLine(text=words, box=(10, 20 * index, 200, height), confidence=sure)
            for index, (height, words) in enumerate(heights_and_words)]


CHOOSER = ((20, "Recent"), (27, "Desktop"), (21, "Other Locations"), (20, "Name"), (26, "Type"),
           (27, "14 bytes Spreadsheet"), (27, "Holiday photos.odt"), (21, "Letter to bank.docx"),
           (20, "15:02"), (21, "Cancel"))


def test_a_program_at_100_percent_is_at_its_usual_size():
    at_100 = [(height // 2, words) for height, words in CHOOSER]  # 10-13 pixels
    assert interface_scale(lines(*at_100)) == 1.0


def test_a_program_at_200_percent_is_twice_its_usual_size():
    """Measured on its lines with letters below the line (27 pixels), not those without (20-21:
    their middle word would make it 1.5)."""
    assert interface_scale(lines(*CHOOSER)) == 2.0
    # two lines read as one (46 pixels) are no measure of the text
    assert interface_scale(lines((20, "Dear team, the quarterly report"), (20, "before the meeting on Friday"),
                                 (46, "problems delayed three large orders until the next quarter began"))) == 1.5


def test_a_few_big_words_or_unsure_ones_tell_nothing():
    assert interface_scale(lines((30, "Spring edition of the."), (30, "Agreed to print more."))) == 1.0
    assert interface_scale(lines(*CHOOSER, sure=0.3)) == 1.0
    assert interface_scale(lines(*[(64, words) for _height, words in CHOOSER])) == 2.0  # never reduced more


def test_what_was_found_at_the_usual_size_is_placed_on_the_capture():
    capture = Image.new("RGB", (2560, 1600), "white")
    assert at_usual_size(capture, 2.0).size == (1280, 800)
    read = ReadText(lines=(TextLine("OK", (600, 400, 40, 14), 0.9, "button"),), image_size=(1280, 800))
    grown = read.grown(2.0, (2560, 1600), 0.1)
    assert grown.lines[0].box == (1200, 800, 80, 28) and grown.drawn_at == 2.0 and grown.lines[0].role == "button"
    region = PictureRegion(box=(100, 50, 1280, 800), crop_box=(90, 40, 1280, 800), share=0.5, place="right")
    placed = Layout(size=(1280, 800), pictures=(region,), flat=0.7).grown((2560, 1600)).pictures[0]
    assert placed.box == (200, 100, 2560, 1600) and placed.crop_box == (180, 80, 2560, 1600)
