"""seesay in German, Spanish, French and Brazilian Portuguese: every string translated, nothing lost.

The catalogues are resources/translations/<language>.po; scripts/update_translations.py extracts
the strings from the code and merges them in. A string added to the code without translations
fails here: run that script, translate what it marks empty, and run this test again.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from seesay.core import i18n

ROOT = Path(__file__).resolve().parents[2]
PO_DIR = ROOT / "resources" / "translations"
LANGUAGES = i18n.LANGUAGES
#: The plural rule of each language (GNU gettext's manual): French and Brazilian Portuguese say
#: "0 image" like "1 image", German and Spanish "0 Bilder" like "2 Bilder".
PLURAL_FORMS = {"de": "nplurals=2; plural=(n != 1);", "es": "nplurals=2; plural=(n != 1);",
                "fr": "nplurals=2; plural=(n > 1);", "pt_BR": "nplurals=2; plural=(n > 1);"}
BRACE_FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
PERCENT_FIELD = re.compile(r"%(?:\([a-z_]+\))?[sdr]")  # argparse's own: %(prog)s, %s, %(value)r
#: A Qt mnemonic: & before a letter ("&History"); "Privacy & Security" has none.
MNEMONIC = re.compile(r"&\w")
#: What a person types or a program reads stays as it is: flags, pynput key syntax, file names.
VERBATIM = re.compile(r"--[a-z][a-z-]*|<[a-z_]+>|\b[\w-]+\.(?:json|safetensors|txt|py|png)\b")


def update_script():
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "scripts" / "update_translations.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def code_strings():
    return update_script().extract()


def catalogue(language: str) -> dict[tuple[str, str | None], i18n.CatalogueEntry]:
    entries = i18n.parse_po((PO_DIR / f"{language}.po").read_text(encoding="utf-8"))
    return {(entry.msgid, entry.msgid_plural): entry for entry in entries}


def header(language: str) -> dict[str, str]:
    text = catalogue(language)[("", None)].msgstr[0]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def test_every_string_in_the_code_is_translated_in_every_language(code_strings):
    assert len(code_strings) > 400  # the extraction found the app's strings at all
    missing = {}
    for language in LANGUAGES:
        entries = catalogue(language)
        forms = int(PLURAL_FORMS[language].split(";")[0].split("=")[1])
        lacking = [message.msgid for message in code_strings
                   if message.key not in entries or not entries[message.key].translated
                   or len(entries[message.key].msgstr) != (1 if message.msgid_plural is None else forms)]
        if lacking:
            missing[language] = (len(lacking), lacking[:5])
    assert not missing, ("strings without a translation (run scripts/update_translations.py and translate "
                         f"the empty msgstr): {missing}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_keys_and_mnemonics(language):
    wrong = []
    for (msgid, plural), entry in catalogue(language).items():
        if not msgid or not entry.translated:
            continue
        for index, text in enumerate(entry.msgstr):
            english = plural if plural is not None and index > 0 else msgid
            fields = set(BRACE_FIELD.findall(text))
            # the singular may leave out what only the plural says ("the {spoken} largest")
            allowed = set(BRACE_FIELD.findall(msgid)) | set(BRACE_FIELD.findall(plural or ""))
            needed = set(BRACE_FIELD.findall(english))
            if not needed <= fields or not fields <= allowed:
                wrong.append(f"placeholders {sorted(fields)} for {sorted(needed)}: {msgid!r}")
            if sorted(PERCENT_FIELD.findall(text)) != sorted(PERCENT_FIELD.findall(english)):
                wrong.append(f"%-fields: {msgid!r}")
            if len(MNEMONIC.findall(text)) != len(MNEMONIC.findall(english)):
                wrong.append(f"the & mnemonic: {msgid!r} -> {text!r}")
            if sorted(VERBATIM.findall(text)) != sorted(VERBATIM.findall(english)):
                wrong.append(f"flags or key syntax changed: {msgid!r} -> {text!r}")
            if text.count("\n") != english.count("\n") or (text.strip() != text and english.strip() == english):
                wrong.append(f"line breaks or spaces around it: {msgid!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_the_language(language):
    assert header(language)["Plural-Forms"] == PLURAL_FORMS[language]
    assert header(language)["Language"] == language
    translations = gettext.GNUTranslations(io.BytesIO(i18n.compile_po((PO_DIR / f"{language}.po").read_text("utf-8"))))
    one = translations.ngettext("{count} picture:", "{count} pictures:", 1)
    two = translations.ngettext("{count} picture:", "{count} pictures:", 2)
    zero = translations.ngettext("{count} picture:", "{count} pictures:", 0)
    assert one != two and "{count}" in one and "picture" not in one
    assert zero == (one if language in ("fr", "pt_BR") else two)


def test_setup_compiles_the_catalogues_into_the_package(tmp_path):
    """What ``pip install`` and a wheel build run (setup.py's build_py): .mo files in the package."""
    result = subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        with open(tmp_path / "seesay" / "locale" / language / "LC_MESSAGES" / "seesay.mo", "rb") as compiled:
            translations = gettext.GNUTranslations(compiled)
        assert translations.gettext("Cancelled.") not in ("", "Cancelled.")


def seesay(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "seesay", *args], capture_output=True, text=True, timeout=120,
                          env={**env, **environment})


def test_help_in_german_from_the_flag_and_from_the_system_locale():
    by_flag = seesay("--language", "de", "--help")
    assert by_flag.returncode == 0, by_flag.stderr
    assert "Hören Sie, was auf Ihrem Bildschirm" in by_flag.stdout, by_flag.stdout[:400]
    assert "Strg+Alt+Umschalt+D" in by_flag.stdout  # a German keyboard's names for the default keys
    assert "Hear what is on your screen" not in by_flag.stdout
    by_locale = seesay("--help", LANG="de_AT.UTF-8")
    assert by_locale.stdout == by_flag.stdout
    assert "Écoutez ce qui" in seesay("--help", LANGUAGE="ar:fr", LANG="ar_EG.UTF-8").stdout  # the first one shipped


@pytest.mark.parametrize("environment", [{"LANG": "C.UTF-8"}, {"LC_ALL": "C"}, {"LANG": "ar_EG.UTF-8"}, {},
                                         {"LANGUAGE": "zz_ZZ"}])
def test_english_where_no_catalogue_fits(environment):
    result = seesay("--help", **environment)
    assert result.returncode == 0, result.stderr
    assert "Hear what is on your screen or in a picture" in result.stdout


def test_a_wrong_language_is_refused_in_plain_words():
    result = seesay("--language", "klingon", "--help")
    assert result.returncode == 2
    assert "klingon is not one of auto, en, de, es, fr, pt_BR" in result.stderr


def test_command_line_mistakes_are_told_in_german_too():
    """argparse's own words (usage, headings, errors) go through seesay's catalogue."""
    result = seesay("--language", "de", "--no-such-flag")
    assert result.returncode == 2
    assert result.stderr.startswith("Aufruf: seesay")
    assert "seesay: Fehler: unbekannte Argumente: --no-such-flag" in result.stderr
    assert "Optionen:" in seesay("--language", "de", "--help").stdout


def test_the_window_says_once_that_the_system_language_has_no_translation(monkeypatch):
    """With an Arabic system seesay starts in English and says why, with the other start-up problems
    (which the window speaks and shows); the window itself is replaced here, as its start is
    tested elsewhere."""
    import types

    from seesay import cli
    from seesay.app import instance

    monkeypatch.setattr(i18n, "_translations", i18n._translations)  # the language this process had, after
    monkeypatch.setattr(i18n, "_language", i18n._language)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ar_EG.UTF-8")
    monkeypatch.setattr(instance, "deliver", lambda message: instance.Delivery.NOT_RUNNING)
    started = {}
    window = types.ModuleType("seesay.app.launch")
    window.run_app = lambda values, problems, first_message: started.update(problems=problems) or 0
    monkeypatch.setitem(sys.modules, "seesay.app.launch", window)
    assert cli.main([]) == 0
    assert started["problems"] == ["seesay is not translated into ar_EG yet, so it speaks and shows English."]
    monkeypatch.setenv("LANG", "pt_PT.UTF-8")  # a neighbour is used, and needs no word
    assert cli.main([]) == 0
    assert started["problems"] == []


@pytest.mark.slow
def test_describe_speaks_german(scene_model, tmp_path):
    """A picture and a missing file through ``seesay describe --language de``: the words seesay
    adds are German (the caption itself stays English until the translation models arrive)."""
    from fixtures.scenes import Scene, draw_scene
    import random

    picture = tmp_path / "square.png"
    draw_scene(Scene("green", "square", "white"), (500, 350), random.Random(0)).save(picture)
    result = seesay("describe", "--language", "de", "--model", str(scene_model), str(picture),
                    str(tmp_path / "missing.png"))
    assert result.returncode == 1  # one file failed
    assert f"{picture}: a green square on a white background" in result.stdout
    assert "Das Beschreibungsmodell wird geladen" in result.stderr
    assert f"{tmp_path / 'missing.png'}: Fehler: {tmp_path / 'missing.png'} existiert nicht." in result.stderr


def test_language_names_offered_in_the_settings_dialog():
    names = i18n.language_names()
    assert list(names) == ["auto", "en", *LANGUAGES]
    assert names["de"] == "Deutsch" and names["pt_BR"] == "Português (Brasil)"


def test_a_broken_or_missing_catalogue_gives_english_never_a_crash(tmp_path, monkeypatch):
    compiled = tmp_path / "de" / "LC_MESSAGES" / "seesay.mo"
    compiled.parent.mkdir(parents=True)
    compiled.write_bytes(b"\xde\x12\x04\x95 not a catalogue")
    assert i18n.load_catalogue("de", tmp_path, po_dir=None) is None
    assert i18n.load_catalogue("fr", tmp_path, po_dir=None) is None  # none there at all
    monkeypatch.setattr(i18n, "_translations", i18n._translations)
    monkeypatch.setattr(i18n, "_language", i18n._language)
    monkeypatch.setattr(i18n, "load_catalogue", lambda language: None)
    assert i18n.use_language("de") == i18n.LanguageChoice("en", "de")
    assert i18n._("Cancelled.") == "Cancelled."


def test_an_edited_translation_shows_without_a_reinstall(tmp_path):
    """In a checkout a .po newer than the installed .mo is read directly."""
    compiled = tmp_path / "locale" / "de" / "LC_MESSAGES" / "seesay.mo"
    compiled.parent.mkdir(parents=True)
    compiled.write_bytes(i18n.compile_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                         'msgid "Cancelled."\nmsgstr "Abgebrochen."\n'))
    edited = tmp_path / "po" / "de.po"
    edited.parent.mkdir()
    edited.write_text('msgid "Cancelled."\nmsgstr "Wurde abgebrochen."\n', encoding="utf-8")
    os.utime(compiled, (1, 1))  # the edit is newer
    assert i18n.load_catalogue("de", tmp_path / "locale", tmp_path / "po").gettext("Cancelled.") == "Wurde abgebrochen."
    os.utime(edited, (0, 0))  # an older .po: the compiled catalogue is used
    assert i18n.load_catalogue("de", tmp_path / "locale", tmp_path / "po").gettext("Cancelled.") == "Abgebrochen."


@pytest.mark.slow
def test_doctor_says_which_language_and_what_to_do_when_there_is_none(tmp_path):
    runtime = tmp_path / "runtime"  # a desktop session's own folder: the sound check's client files go there
    runtime.mkdir(mode=0o700)
    german = seesay("doctor", LANG="de_DE.UTF-8", XDG_RUNTIME_DIR=str(runtime))
    assert german.stdout.startswith("[ok ] Sprache: Deutsch, die Sprache des Systems\n"), german.stdout[:200]
    assert "[ok ] Text auf dem Bildschirm: tesseract, Sprachen deu+eng, Sprachdaten in" in german.stdout  # the system's
    arabic = seesay("doctor", LANG="ar_EG.UTF-8", XDG_RUNTIME_DIR=str(runtime)).stdout.splitlines()
    assert arabic[:2] == ["[NO ] Language: English: seesay is not translated into ar_EG yet",
                          "       fix: choose one with --language de, es, fr or pt_BR, or in Settings, Language"]
    assert seesay("doctor", "--language", "pt_BR", LANG="de_DE.UTF-8", XDG_RUNTIME_DIR=str(runtime)).stdout.startswith(
        "[ok ] Idioma: Português (Brasil)\n")
