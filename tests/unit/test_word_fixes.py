"""A file's extension misread with a zero for its "o" is put right; numbers and versions are left alone."""

import pytest

from seesay.vision.word_fixes import fixed_word, with_extension_fixed


@pytest.mark.parametrize("read, said", [
    ("2026.0ds", "2026.ods"),  # a file chooser's selected row, a dark Qt table
    ("Budget-2026.0ds,", "Budget-2026.ods,"),
    ("Letter.d0cx", "Letter.docx"),
    ("REPORT.D0CX", "REPORT.DOCX"),
    ("server.l0g", "server.log"),
    ("2026,0ds'", "2026.ods'"),  # read beside German data: the dot a comma (ls quotes names with spaces)
    ("2026,0ds,", "2026.ods,"),
    ("photos,odt'", "photos.odt'"),
    ("2026,ods", "2026.ods"),
])
def test_a_zero_in_a_known_extension_is_read_as_o(read, said):
    assert with_extension_fixed(read) == said


@pytest.mark.parametrize("word", ["3.0ms", "v1.0", "1.05", "photo.j0g", "notes.txt", "2026.ods", "0ds", "10.0", "3,0ms", "yes,go", "it's", "a,book", "first,second"])
def test_numbers_versions_and_unknown_endings_are_left_as_read(word):
    assert with_extension_fixed(word) == word


@pytest.mark.parametrize("read, said", [("\u2014n,", "-n,"), ("\u2013q", "-q"), ("\u2014", "\u2014"),
                                        ("\u2014and", "\u2014and"), ("-n,", "-n,"), ("Letter.d0cx", "Letter.docx")])
def test_a_one_letter_option_read_with_a_long_dash_gets_its_hyphen(read, said):
    assert fixed_word(read) == said


def test_an_option_read_unsure_is_text_not_an_icon():
    from seesay.vision.line_kinds import an_icon

    assert not an_icon("-n,", 0.38, 0.5) and not an_icon("--all", 0.3, 0.5)
    assert an_icon("(6)", 0.66, 1.0) and an_icon("E", 0.4, 0.5)  # a close button, a drawing's letter


@pytest.mark.parametrize("read, said", [
    ("Look what | saw on my walk", "Look what I saw on my walk"),
    ("| am writing to confirm", "I am writing to confirm"),
    ("ls | grep notes", "ls grep notes"),  # a pipe is no word (it was left out before)
    ("a | b", "a b"),
])
def test_the_word_i_read_as_a_bar_is_put_back(read, said):
    from seesay.vision.word_fixes import with_i_put_back

    words = [(text, (10 * index, 0, 10 * index + 8, 10), 0.2 if text == "|" else 0.95)
             for index, text in enumerate(read.split())]
    assert " ".join(text for text, _box, _sure in with_i_put_back(words)) == said
