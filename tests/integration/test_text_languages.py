"""Text read in the person's language with real tesseract (issue 17, part 4): German and Spanish
pages, drawn with a real font, read right with their own language data beside English, and wrong
with English alone; a missing language's data reads English and says so once, with the package;
``seesay doctor`` names the languages in use and what is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fixtures.text_pages import render_text, words_right
from seesay.vision import ocr

pytestmark = [pytest.mark.slow, pytest.mark.skipif(ocr.find_tessdata(("deu", "spa")) is None or not (
    Path(ocr.find_tessdata(("deu", "spa"))) / "deu.traineddata").is_file(),
    reason="tesseract-ocr-deu and tesseract-ocr-spa are not installed (scripts/apt-packages.txt lists them)")]

GERMAN = ["Die Größe der Straße überrascht Jürgen jeden Tag.",
          "Schöne Grüße aus München, bis übermorgen!",
          "Der Bäcker öffnet früh; süße Brötchen für alle."]
SPANISH = ["El niño pequeño comió mañana en la montaña.",
           "¿Dónde está la estación? Sí, aquí también.",
           "La señora Núñez envió la canción después de él."]
FRENCH = ["Où est la forêt? À côté du château, près de l'église.",
          "Le garçon a reçu une lettre très longue."]
PORTUGUESE = ["A informação não está no coração da cidade.",
              "Você já leu a lição? Está ótima, obrigado."]
ENGLISH = ["Please read the summary before the meeting on Friday.",
           "Thank you all for the careful work on the new features."]


def special_letters(lines: list[str]) -> set[str]:
    return {ch for ch in "".join(lines) if ch.isalpha() and not ch.isascii()}


def read_with(language: str, lines: list[str], points: int) -> str:
    reader, problem = ocr.create_text_reader(language)
    assert problem is None, problem
    text = reader.read(render_text(lines, points=points)).text
    print(f"\n{reader._language} at {points} pt: {words_right(lines, text):.0%} of the words right: {text!r}")
    return text


@pytest.mark.parametrize("points", [28, 16])
@pytest.mark.parametrize(("language", "lines"), [("de", GERMAN), ("es", SPANISH)])
def test_a_page_in_the_persons_language_is_read_right_with_its_own_data(language, lines, points):
    """English data alone reads "Größe" as "GrdBe" and "niño" as "nihto" (measured: about a third of
    the words right); the language's data beside English reads them all."""
    english_only = read_with("en", lines, points)
    own = read_with(language, lines, points)
    assert words_right(lines, own) == 1.0, own
    assert special_letters(lines) <= special_letters([own]), own  # every umlaut, ß, ñ and accent
    assert words_right(lines, english_only) <= 0.6, english_only
    assert not special_letters(lines) <= special_letters([english_only]), english_only


@pytest.mark.parametrize(("language", "lines"), [("fr", FRENCH), ("pt_BR", PORTUGUESE)])
def test_french_and_brazilian_portuguese_are_read_with_their_data(language, lines):
    own = read_with(language, lines, 28)
    assert words_right(lines, own) == 1.0, own
    assert special_letters(lines) <= special_letters([own]), own


@pytest.mark.parametrize("language", ["de", "es"])
def test_english_text_is_still_read_beside_the_persons_language(language):
    assert words_right(ENGLISH, read_with(language, ENGLISH, 16)) == 1.0


def test_the_language_setting_chooses_the_data():
    for language, used in [("de", "deu+eng"), ("es", "spa+eng"), ("fr", "fra+eng"), ("pt_BR", "por+eng"),
                           ("en", "eng")]:
        assert ocr.create_text_reader(language)[0]._language == used
    environ = {"LANG": "de_AT.UTF-8"}
    with pytest.MonkeyPatch.context() as patch:  # "auto": the system's language
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            patch.delenv(name, raising=False)
        patch.setenv("LANG", environ["LANG"])
        assert ocr.create_text_reader("auto")[0]._language == "deu+eng"
        patch.setenv("LANG", "C.UTF-8")
        assert ocr.create_text_reader("auto")[0]._language == "eng"


@pytest.fixture
def english_data_only(tmp_path, monkeypatch):
    """A tessdata folder with English only (no deu), the only one seesay finds."""
    folder = tmp_path / "tessdata"
    folder.mkdir()
    (folder / "eng.traineddata").symlink_to(Path(ocr.find_tessdata()) / "eng.traineddata")
    monkeypatch.setattr(ocr, "TESSDATA_CANDIDATES", ())
    monkeypatch.setenv("TESSDATA_PREFIX", str(folder))
    return folder


def test_without_the_languages_data_english_is_read_and_the_package_is_named(english_data_only):
    reader, shown = ocr.create_text_reader("de")
    assert isinstance(reader, ocr.TesseractReader) and reader._language == "eng"
    assert shown == ("German text is read as English: Tesseract's German language data is not installed. "
                     "On Debian or Ubuntu: sudo apt install tesseract-ocr-deu")
    assert reader.spoken == ("German text is read as English: Tesseract's German language data is not installed. "
                             "To read it, install the package tesseract-ocr-deu.")
    assert words_right(ENGLISH, reader.read(render_text(ENGLISH, points=16)).text) == 1.0


def test_the_missing_language_data_is_said_once_and_english_still_read(english_data_only, scene_model):
    """Through the describe service the window uses: one problem, said (its ``spoken``) and shown,
    at start; every text page after it is read in English, and nothing more is said about it."""
    from integration.test_describe_service import Recorder
    from seesay.core.request_queue import RequestQueue
    from seesay.core.requests import DescribeRequest
    from seesay.describe.service import DescribeService
    from seesay.vision.engine import load_captioner

    queue, events = RequestQueue(), Recorder()
    service = DescribeService(queue, load_captioner, {"model": str(scene_model)}, events,
                              make_reader=lambda: ocr.create_text_reader("de"))
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        assert events.wait_for("ready")
        for number in range(2):
            queue.submit(DescribeRequest(render_text(ENGLISH, size=(1280, 400), points=16), f"page {number}",
                                         "screen"))
            assert events.wait_for("described", count=number + 1, timeout=60)
    finally:
        queue.close()
        thread.join(10)
    failures = events.of("failed")
    assert len(failures) == 1, failures
    assert "sudo apt install tesseract-ocr-deu" in failures[0].error.message
    assert failures[0].error.spoken.endswith("install the package tesseract-ocr-deu.")
    for description in events.of("described"):
        assert "Please read the summary before the meeting on Friday" in description.text


def test_doctor_names_the_languages_read(tmp_path):
    from seesay.doctor import _text_reading

    tessdata = ocr.find_tessdata(("deu",))
    (tmp_path / "tmp").mkdir()  # the sound check's PulseAudio client leaves its folder there
    result = subprocess.run([sys.executable, "-m", "seesay", "doctor", "--language", "de"], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "TMPDIR": str(tmp_path / "tmp")})
    assert result.returncode == 0, result.stderr
    assert f"[ok ] Text auf dem Bildschirm: tesseract, Sprachen deu+eng, Sprachdaten in {tessdata}" in (
        result.stdout.splitlines()), result.stdout
    english = _text_reading({"language": "en"})
    assert english.ok and english.detail == f"tesseract, languages eng, language data in {tessdata}"


def test_doctor_names_the_missing_language_data_and_its_package(english_data_only):
    from seesay.doctor import _text_reading

    finding = _text_reading({"language": "es"})
    assert not finding.ok
    assert finding.detail == (f"tesseract, languages eng, language data in {english_data_only}; Spanish text is "
                              "read as English: spa.traineddata is missing")
    assert finding.fix == "On Debian or Ubuntu: sudo apt install tesseract-ocr-spa"


@pytest.mark.parametrize("recursive", [False, True])
def test_seesay_describe_reads_the_page_in_the_language_asked(tmp_path, scene_model, recursive):
    """``seesay describe --language de`` file by file and as a folder job (``--recursive``)."""
    page = tmp_path / "pages" / "brief.png"
    page.parent.mkdir()
    render_text(GERMAN, size=(1280, 400), points=20).save(page)
    target = [str(page.parent), "--recursive"] if recursive else [str(page)]
    result = subprocess.run([sys.executable, "-m", "seesay", "describe", "--language", "de", "--model",
                             str(scene_model), "--no-index", "--json", *target], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    assert words_right(GERMAN, " ".join(record["text"])) == 1.0, record["text"]
