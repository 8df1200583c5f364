"""A program drawn at 150% (Windows' usual scale for a laptop; GNOME's and a Mac's fractional
scaling, drawn at 200% and reduced): its frames are a pixel and a half, shared between two pixels;
a list's selected band, reduced, may be told in one column's block and not the next; and a table's
row number stands on its header's ground beside the selected band."""

from __future__ import annotations

from PIL import Image, ImageDraw

from seesay.vision.ocr_types import TextLine


def dark_button(scale: int, shift: int = 0) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Adwaita dark's button drawn ``scale`` times its size, ``shift`` pixels right and down: a face of
    53, a frame 26 darker, on a window of 53; and where its label stands (left, top, right, bottom)."""
    picture = Image.new("L", (200 * scale, 80 * scale), 53)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((40 * scale + shift, 20 * scale + shift, 140 * scale - 1 + shift, 54 * scale - 1 + shift),
                   outline=27, width=scale)
    for left in range(70, 110, 6):  # the label's letters: strokes of ink on the face
        draw.rectangle((left * scale + shift, 30 * scale + shift, (left + 1) * scale + shift, 42 * scale + shift),
                       fill=230)
    return picture.convert("RGB"), (68 * scale + shift, 29 * scale + shift, 112 * scale + shift, 44 * scale + shift)


def test_a_dark_buttons_frame_drawn_at_200_and_reduced_to_150_percent_is_a_frame():
    """Wherever the frame falls on the reduced screen's pixels: two pixels 13-20 darker than the face
    where it falls between them, no frame at 100%'s contrast."""
    from seesay.vision.buttons import DARK_BUTTON_CONTRAST, framed

    at_100 = []
    for shift in range(4):
        drawn, label = dark_button(2, shift)
        assert framed(drawn, label, DARK_BUTTON_CONTRAST, scale=2)
        reduced = drawn.resize((drawn.width * 3 // 4, drawn.height * 3 // 4), Image.Resampling.BILINEAR)
        label = tuple(round(value * 3 / 4) for value in label)
        assert framed(reduced, label, DARK_BUTTON_CONTRAST, scale=1.5), shift
        at_100.append(framed(reduced, label, DARK_BUTTON_CONTRAST, scale=1))
    assert not all(at_100)


def test_a_flat_grey_panel_reduced_to_150_percent_is_still_no_button():
    from seesay.vision.buttons import DARK_BUTTON_CONTRAST, framed

    panel = Image.new("RGB", (300, 120), (53, 53, 53))
    for left in range(120, 170, 6):
        ImageDraw.Draw(panel).rectangle((left, 50, left + 1, 62), fill=(230, 230, 230))
    assert not framed(panel, (118, 48, 172, 64), DARK_BUTTON_CONTRAST, scale=1.5)


def line(text: str, box: tuple[int, int, int, int], role: str = "text") -> TextLine:
    return TextLine(text=text, box=box, confidence=0.95, role=role)


def test_a_selected_rows_cell_whose_band_was_not_told_joins_it_and_the_row_stays_selected():
    """A GTK list read column block by column block, reduced from 150%: the name column's block told
    the selected band, the status column's did not. Before, "Printing" was said after the whole list."""
    from seesay.vision.text_rows import rows

    names = [line("Holiday photos.odt 14", (378, 296, 160, 14)),
             line("Letter to bank.docx 3", (378, 319, 141, 11), "selected"),
             line("Minutes March.txt 2", (378, 342, 150, 14))]
    status = [line("Waiting", (589, 296, 48, 13)), line("Printing", (589, 320, 48, 13)),
              line("Waiting", (589, 343, 48, 13))]
    said = rows(names + status)
    assert [(each.text, each.role) for each in said] == [
        ("Holiday photos.odt 14, Waiting", "text"), ("Letter to bank.docx 3, Printing", "selected"),
        ("Minutes March.txt 2, Waiting", "text")]


def test_a_tables_row_number_beside_its_selected_row_is_left_out():
    """Qt's table: the selected row's number, bold on its header's grey section, read "Pa" (0.95 sure)
    or "2)" before the band's words. A first word on the band's own ground stays."""
    from seesay.vision.block_crops import on_its_band

    picture = Image.new("RGB", (400, 40), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 5, 30, 35), fill=(225, 225, 225))  # the header's section
    draw.rectangle((31, 5, 399, 35), fill=(48, 140, 198))  # the selected band
    words = [("Pa", (8, 12, 22, 28), 0.95), ("Letter", (40, 12, 90, 28), 0.96), ("to", (96, 12, 110, 28), 0.9)]
    assert [word for word, _box, _sure in on_its_band(picture, words)] == ["Letter", "to"]
    on_the_band = [("2", (40, 12, 48, 28), 0.9), ("Letter", (56, 12, 100, 28), 0.96)]
    assert on_its_band(picture, on_the_band) == on_the_band
