"""The window's own voice follows the language setting (issue 17, part 5): with ``--language de`` what
seesay says is synthesised with espeak-ng's German voice; without a German voice, the default voice
speaks, and the window says so once, shown and spoken with "Ready"."""

from __future__ import annotations

import pytest

from gui.conftest import spoken
from unit.test_own_voice_language import espeak_wav, espeak_without_german  # noqa: F401 - a fixture

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("audio")]
NOTICE = "seesay's own voice (espeak-ng) has no German voice here, so it speaks with its default voice."


def first_said(tmp_path) -> tuple[str, bytes]:
    """The first utterance's transcript and sound, as the speech folder keeps them."""
    wav = sorted((tmp_path / "speech").glob("*.wav"))[0]
    return wav.with_suffix(".txt").read_text(encoding="utf-8").rstrip("\n"), wav.read_bytes()


def test_the_own_voice_speaks_the_language_setting(qtbot, make_app, tmp_path):
    app = make_app(speech_output="own-voice", language="de")
    qtbot.waitUntil(lambda: any(line.startswith("Ready") for line in spoken(tmp_path)), timeout=30000)
    text, sound = first_said(tmp_path)
    assert sound == espeak_wav(tmp_path, text, "gmw/de")
    assert not any(NOTICE in line for line in spoken(tmp_path))
    assert app.window.status.text().startswith("Ready")


def test_without_a_voice_for_the_language_the_window_says_so_once(qtbot, make_app, tmp_path, espeak_without_german):
    app = make_app(speech_output="own-voice", language="de")
    qtbot.waitUntil(lambda: any("Ready" in line for line in spoken(tmp_path)), timeout=30000)
    said = spoken(tmp_path)
    assert sum(NOTICE in line for line in said) == 1, said
    assert NOTICE in app.window.status.text()
    text, sound = first_said(tmp_path)
    assert sound == espeak_wav(tmp_path, text)  # the default voice


def test_a_voice_chosen_in_settings_is_not_overruled_nor_the_notice_said(qtbot, make_app, tmp_path,
                                                                        espeak_without_german):
    make_app(speech_output="own-voice", language="de", voice="gmw/en-US")
    qtbot.waitUntil(lambda: any("Ready" in line for line in spoken(tmp_path)), timeout=30000)
    assert not any(NOTICE in line for line in spoken(tmp_path))
    text, sound = first_said(tmp_path)
    assert sound == espeak_wav(tmp_path, text, "gmw/en-US")
