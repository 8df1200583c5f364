"""The translation package on its own: which model serves which language, the session that holds
a pair (with the real converted scene models), the fallbacks, and nothing heavy at start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from seesay.core import i18n
from seesay.translation.base import LanguageWanted, NullTranslator, wanted_language
from seesay.translation.models import model_names, swapped
from seesay.translation.session import TranslationSession

MODELS = Path(__file__).resolve().parents[1] / "fixtures" / "models"


@pytest.fixture
def speaking(request):
    i18n.use_language(request.param)
    yield request.param
    i18n.use_language("en")


@pytest.mark.parametrize("name,back", [
    ("Helsinki-NLP/opus-mt-en-de", "Helsinki-NLP/opus-mt-de-en"),
    ("Helsinki-NLP/opus-mt-en-ROMANCE", "Helsinki-NLP/opus-mt-ROMANCE-en"),
    ("tests/fixtures/models/scenes-translate-en-es", "tests/fixtures/models/scenes-translate-es-en"),
    ("/home/me/argos/translate-en_de-1_0", "/home/me/argos/translate-de_en-1_0"),
    ("/home/me/my-model", None),
])
def test_the_way_back_is_the_same_name_with_the_languages_swapped(name, back):
    assert swapped(name) == back


def test_without_a_setting_the_opus_mt_pair_of_the_language_is_used():
    assert model_names({}, "es") == ("Helsinki-NLP/opus-mt-en-es", "Helsinki-NLP/opus-mt-es-en")
    assert model_names({"translation_model": "/m/x"}, "de") == ("/m/x", "Helsinki-NLP/opus-mt-de-en")


@pytest.mark.parametrize("speaking", ["de"], indirect=True)
@pytest.mark.parametrize("environ,language,unavailable", [
    ({"LANG": "C.UTF-8"}, "de", None), ({"LANG": "ar_EG.UTF-8"}, "de", "ar_EG"), ({}, "de", None)])
def test_the_description_language_is_the_interfaces(speaking, environ, language, unavailable):
    """The caption is in the language of the sentence around it; a right-to-left locale seesay
    cannot speak is named for the one explanation."""
    assert wanted_language({"language": "auto"}, environ) == LanguageWanted(language, unavailable)


@pytest.mark.parametrize("speaking", ["de"], indirect=True)
def test_a_session_translates_both_ways_with_the_trained_models(speaking):
    translation = TranslationSession({"translation_model": str(MODELS / "scenes-translate-en-de")})
    assert translation.into_language(["a green triangle on a black background", "", "yellow"]) == [
        "ein grünes Dreieck auf schwarzem Hintergrund", "", "gelb"]
    assert translation.into_english("Welche Farbe hat der Hintergrund?") == "what color is the background?"
    assert translation.problems() == []


@pytest.mark.parametrize("speaking", ["de"], indirect=True)
def test_a_missing_model_is_one_problem_and_english_from_then_on(speaking, tmp_path):
    translation = TranslationSession({"model_dir": str(tmp_path)})
    assert translation.into_language(["a red circle"]) == ["a red circle"]
    assert translation.into_language(["a red circle"]) == ["a red circle"]
    assert translation.into_english("Welche Form hat es?") == "Welche Form hat es?"  # asked as typed
    problems = translation.problems()
    assert [type(problem).__name__ for problem in problems] == ["TranslationUnavailable"] * 2
    assert "opus-mt-en-de" in problems[0].hint and problems[0].spoken
    assert translation.problems() == [] and not translation.translates


def test_english_loads_nothing():
    translation = TranslationSession({"language": "en"}, load=lambda *a, **k: pytest.fail("loaded"))
    assert translation.into_language(["a cat"]) == ["a cat"] and translation.until_idle() is None


@pytest.mark.parametrize("speaking", ["es"], indirect=True)
def test_an_idle_pair_is_let_go(speaking):
    now = [0.0]
    translation = TranslationSession({"translation_model": str(MODELS / "scenes-translate-en-es")},
                                     clock=lambda: now[0])
    assert translation.into_language(["red"]) == ["rojo"]
    assert translation.until_idle() == 600.0 and not translation.release_idle()
    now[0] = 601.0
    assert translation.release_idle() and translation.until_idle() is None
    assert translation.into_language(["black"]) == ["negro"]  # loaded again


def test_translation_libraries_are_not_imported_at_start():
    code = ("import sys, seesay.cli, seesay.describe.service, seesay.describe.files, seesay.translation.session; "
            "print(sorted(m for m in ('ctranslate2', 'sentencepiece', 'torch', 'transformers') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr


@pytest.mark.parametrize("speaking", ["de"], indirect=True)
def test_doctor_names_the_pair_and_what_is_missing_without_loading_it(speaking, tmp_path):
    from seesay.translation.status import translation_status

    missing = translation_status({"model_dir": str(tmp_path)})
    assert [fine for fine, _line in missing] == [False, False]
    assert "seesay download Helsinki-NLP/opus-mt-en-de" in missing[0][1]
    assert "seesay download Helsinki-NLP/opus-mt-de-en" in missing[1][1]
    found = translation_status({"translation_model": str(MODELS / "scenes-translate-en-de")})
    assert [fine for fine, _line in found] == [True, True] and found[1][1].endswith("scenes-translate-de-en")
    assert not list(tmp_path.iterdir())  # nothing converted or downloaded


def test_a_multilingual_models_language_token_goes_before_the_source_text(tmp_path):
    """opus-mt-en-ROMANCE learnt ">>pt_BR<<" at the start of the English sentence (as transformers'
    MarianTokenizer puts it): both translators put it there, as one piece, and nothing before the
    translation."""
    import json

    import sentencepiece

    from seesay.translation.ctranslate2_backend import CTranslate2Translator
    from seesay.translation.marian_torch import Pieces

    folder = MODELS / "scenes-translate-en-es"
    pieces = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    vocabulary = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    vocabulary[">>pt_BR<<"] = len(vocabulary)
    own = Pieces(pieces, pieces, vocabulary, unknown=vocabulary["<unk>"], end=vocabulary["</s>"])
    ids = own.source_ids("a red circle", ">>pt_BR<<")
    assert ids[0] == vocabulary[">>pt_BR<<"] and ids[1:] == [vocabulary["▁a"], vocabulary["▁red"],
                                                            vocabulary["▁circle"], vocabulary["</s>"]]
    converted = CTranslate2Translator(None, pieces, pieces, direction=("en", "pt_BR"), name="ROMANCE",
                                      target_prefix=">>pt_BR<<")
    assert converted.source_pieces(" a red circle ") == [">>pt_BR<<", "▁a", "▁red", "▁circle", "</s>"]


@pytest.mark.parametrize("speaking", ["de"], indirect=True)
def test_prepare_loads_the_model_into_the_language_before_the_first_caption(speaking):
    loads = []

    def load(values, language, *, into_english):
        loads.append((language, into_english))
        return NullTranslator(("en", language))

    session = TranslationSession({"language": "de"}, load=load)
    session.prepare()
    assert loads == [("de", False)]  # only the model into German: the question model waits for a question
    assert session.into_language(["a red circle"]) == ["a red circle"] and loads == [("de", False)]
    i18n.use_language("en")
    english = TranslationSession({"language": "en"}, load=load)
    english.prepare()
    assert loads == [("de", False)]  # nothing to load for English


@pytest.mark.parametrize("speaking", ["de"], indirect=True)
def test_a_session_with_the_converted_models_translates_as_the_hub_folder(speaking, tmp_path):
    """CTranslate2 (a converted-only folder) and seesay's own loop (the hub folder) say the same."""
    from seesay.translation.convert import convert_marian

    captions = ["a red circle on a white background", "a small green square on a black background", "red"]
    own = TranslationSession({"translation_model": str(MODELS / "scenes-translate-en-de")})
    converted = convert_marian(MODELS / "scenes-translate-en-de", tmp_path / "scenes-translate-en-de")
    other = TranslationSession({"translation_model": str(converted), "model_dir": str(tmp_path / "store")})
    assert own.into_language(captions) == other.into_language(captions) != captions
    assert own.problems() == other.problems() == []


@pytest.mark.parametrize("speaking", ["de"], indirect=True)
def test_a_text_translated_lately_is_not_translated_again(speaking):
    """The same screen described twice, or a folder whose pictures share a caption: the model
    translates each text once (the trained German model, counted as it is called)."""
    from seesay.translation.session import load_translator

    calls = []

    def counted(values, language, *, into_english):
        translator = load_translator(values, language, into_english=into_english)
        real = translator.translate
        translator.translate = lambda texts: calls.append(list(texts)) or real(texts)
        return translator

    session = TranslationSession({"translation_model": str(MODELS / "scenes-translate-en-de")}, load=counted)
    first = session.into_language(["a red circle on a white background", "red", "", "red"])
    assert first == ["ein roter Kreis auf weißem Hintergrund", "rot", "", "rot"]
    assert calls == [["a red circle on a white background", "red"]]  # each text once, in one call
    again = session.into_language(["red", "a blue square on a black background", "a red circle on a white background"])
    assert again == ["rot", "ein blaues Quadrat auf schwarzem Hintergrund", "ein roter Kreis auf weißem Hintergrund"]
    assert calls[1:] == [["a blue square on a black background"]]
    assert session.into_language(["red"]) == ["rot"] and len(calls) == 2


def test_only_the_target_sides_pieces_are_scored():
    """The trained German model's vocabulary holds the English and the German pieces: a translation
    is written in German pieces (and the end of sentence) alone; a vocabulary the target model's
    pieces are not in leaves every piece to score."""
    import json

    import sentencepiece

    from seesay.translation.marian_torch import target_side

    folder = MODELS / "scenes-translate-en-de"
    german = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
    vocabulary = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    written = target_side(german, vocabulary, vocabulary["</s>"])
    names = {index: piece for piece, index in vocabulary.items()}
    said = {names[index] for index in written}
    assert {"▁Kreis", "▁roter", "▁Hintergrund", "</s>"} <= said
    assert not said & {"▁circle", "▁red", "▁background", "<pad>"}
    assert target_side(german, {f"▁w{index}": index for index in range(40)}, 0) is None


def test_captions_translated_together_are_translated_as_alone():
    """A description's captions (or a folder's) go through the model together, of different
    lengths: each comes out as it does alone (the trained German model)."""
    from fixtures.scene_translations import caption_in
    from fixtures.scenes import Scene

    from seesay.translation.marian_torch import MarianTorchTranslator

    translator = MarianTorchTranslator.load(MODELS / "scenes-translate-en-de", direction=("en", "de"))
    scenes = [Scene(colour, shape, ground) for colour, shape, ground in (
        ("red", "circle", "white"), ("blue", "square", "black"), ("green", "triangle", "white"),
        ("yellow", "circle", "black"))]
    texts = [scene.caption for scene in scenes] + ["red", "", "blue"] + [scene.caption for scene in scenes] * 5
    together = translator.translate(texts)
    assert together == [translator.translate([text])[0] for text in texts]
    assert together[:5] == [caption_in("de", scene) for scene in scenes] + ["rot"] and together[5] == ""


def test_without_torchscript_the_translation_is_the_same(monkeypatch):
    """The translation's steps are compiled by TorchScript; where that cannot be done (a bundled
    app without its sources, a torch without TorchScript) they run from Python: the same words."""
    import torch
    from fixtures.scene_translations import caption_in
    from fixtures.scenes import Scene

    from seesay.translation import marian_steps
    from seesay.translation.marian_torch import MarianTorchTranslator

    scenes = [Scene(colour, shape, ground) for colour, shape, ground in (
        ("red", "circle", "white"), ("blue", "square", "black"), ("green", "triangle", "white"))]
    texts = [scene.caption for scene in scenes] + ["yellow", "a blue square next to a red circle"]
    compiled = MarianTorchTranslator.load(MODELS / "scenes-translate-en-de", direction=("en", "de"))
    assert isinstance(compiled._decoder.steps[1], torch.jit.ScriptFunction)

    def no_source(function):
        raise OSError("could not get source code")

    monkeypatch.setattr(torch.jit, "script", no_source)
    monkeypatch.setattr(marian_steps, "_COMPILED", {})
    from_python = MarianTorchTranslator.load(MODELS / "scenes-translate-en-de", direction=("en", "de"))
    assert from_python._decoder.steps == (marian_steps.encode, marian_steps.decode)
    said = from_python.translate(texts)
    assert said == compiled.translate(texts)
    assert said[:3] == [caption_in("de", scene) for scene in scenes]
