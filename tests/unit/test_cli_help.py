"""seesay --help: every flag says what it does and its default; each hotkey flag names its own command."""

from __future__ import annotations

import re

from seesay.cli import build_parser
from seesay.core import settings
from seesay.core.commands import COMMANDS


def flag_helps(parser) -> dict[str, str]:
    return {option: action.help for action in parser._actions for option in action.option_strings}


def test_each_hotkey_flag_has_its_own_help_with_its_default():
    helps = flag_helps(build_parser())
    texts = [helps[settings.BY_KEY[command.setting_key].flag] for command in COMMANDS]
    assert len(set(texts)) == len(COMMANDS), texts
    for command, text in zip(COMMANDS, texts):
        assert command.description.lower() in text.lower(), text
        assert "Ctrl+Alt+Shift+" + command.default_keys[-1].upper() in text, text


def test_every_setting_flag_shows_its_default():
    text = build_parser().format_help()
    for setting in settings.SETTINGS:
        block = text.split(setting.flag + " ", 1)[1].split("\n  -", 1)[0]
        assert "default" in block, (setting.flag, block)


def test_help_is_grouped_and_its_usage_short():
    text = build_parser().format_help()
    usage = text.split("\n\n", 1)[0]
    assert len(usage.splitlines()) <= 4, usage
    assert re.search(r"^global keys:", text, re.MULTILINE), text
    assert text.count("<ctrl>+<alt>+<shift>+d") == 1, text  # how keys are written is said once
