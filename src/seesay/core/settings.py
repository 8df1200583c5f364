"""Every setting, defined once, as data.

The table drives the command-line flags today and the config file and settings dialog
as they arrive: add a ``Setting`` here and it appears everywhere. Help texts are marked
for translation with ``N_`` and translated when shown.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from seesay.core import i18n
from seesay.core.i18n import _
from seesay.core.commands import COMMANDS, readable_keys


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISIONS = ("auto", "fp32", "fp16", "bf16", "int8")
THEMES = ("yellow-on-black", "white-on-black", "black-on-white", "system")
SPEECH_OUTPUTS = ("auto", "screen-reader", "own-voice", "silent")
#: Settings renamed since an earlier version: old key -> (new key, old value -> new value).
RENAMED = {"speech": ("speech_output", {"auto": "auto", "system": "own-voice", "silent": "silent"})}
SCREEN_AREAS = ("monitor", "all")
#: "auto" follows the system's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); English is the code's own.
LANGUAGES = ("auto", "en", *i18n.LANGUAGES)
TRAY_ICON_STYLES = ("colour", "light", "dark")
MODEL_KEYS = ("model", "device", "precision", "max_new_tokens", "num_beams", "model_dir")


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    help: str
    type: type = str
    choices: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    metavar: str | None = None
    #: Which group of the settings dialog shows it: a key of ``GROUPS``.
    group: str = "description"
    #: Shown in the settings dialog under this label; None keeps it off the dialog.
    label: str | None = None
    #: A folder path (the dialog offers a folder chooser).
    is_folder: bool = False

    @property
    def flag(self) -> str:
        return "--" + self.key.replace("_", "-")

    def convert(self, raw: str) -> Any:
        """Parse a value typed by a user; raises ValueError with a human message."""
        value = self.type(raw)
        if self.choices and value not in self.choices:
            raise ValueError(_("{value} is not one of {choices}").format(value=value, choices=", ".join(self.choices)))
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            raise ValueError(_("{value} is outside {low}..{high}").format(value=value, low=self.minimum, high=self.maximum))
        return value


SETTINGS: tuple[Setting, ...] = (
    Setting("model", "base", N_("description model: base, large, a hub id (owner/name) or a model folder"),
            metavar="MODEL", label=N_("Description model"), is_folder=True),
    Setting("device", "auto", N_("where the model runs (auto picks CUDA, then MPS, then the CPU)"), choices=DEVICES,
            label=N_("Device")),
    Setting("precision", "auto",
            N_("number format of the model (auto: fp16 on a GPU; int8 on the CPU, with the image encoder in bf16 where "
               "the CPU has AMX)"),
            choices=PRECISIONS, label=N_("Precision")),
    Setting("max_new_tokens", 30, N_("longest description, in words and word pieces"), type=int,
            minimum=5, maximum=100, metavar="N"),
    Setting("num_beams", 1, N_("beam search width (1 is fastest)"), type=int, minimum=1, maximum=8, metavar="N"),
    Setting("vqa_model", "vqa", N_("model that answers questions about a picture: vqa (Salesforce/blip-vqa-base), "
                                   "a hub id or a model folder"), metavar="MODEL", label=N_("Question model"),
            is_folder=True),
    Setting("itm_model", "Salesforce/blip-itm-base-coco",
            N_("model that checks each caption against the picture (image-text matching): a hub id or a model "
               "folder; without it captions are said as sure as the description model is"), metavar="MODEL",
            label=N_("Caption check model"), is_folder=True),
    Setting("candidates", 1, N_("captions proposed for each picture when the image-text matching model is there: "
                                "the matcher passes over those that do not fit the picture (CapFilt); 1 is one "
                                "caption, the fastest"), type=int, minimum=1, maximum=8, metavar="K",
            label=N_("Captions to choose from")),
    Setting("detail", "off", N_("also describe each quarter of the picture, with its place (pressing a describe "
                                "key twice does this once)"), choices=("off", "on"), label=N_("Describe in detail")),
    Setting("model_dir", "", N_("folder where downloaded models are kept (empty: the user cache folder)"),
            metavar="DIR", is_folder=True),
    Setting("language", "auto", N_("language seesay speaks and shows: auto (the system's language), en, de, es, fr "
                                   "or pt_BR; the window changes language when seesay starts again"),
            choices=LANGUAGES, metavar="LANGUAGE", group="speech", label=N_("Language")),
    Setting("translation_model", "", N_("model that translates descriptions and answers into the language (and "
                                        "questions back into English): a folder (a Marian model converted to "
                                        "CTranslate2, or one with safetensors weights) or a hub id; empty: the "
                                        "OPUS-MT model for the language (Helsinki-NLP/opus-mt-en-de...)"),
            metavar="FOLDER", group="speech", label=N_("Translation model"), is_folder=True),
    Setting("speech_output", "auto", N_("where speech goes: auto (your screen reader or the system's speech service "
                                        "when there is one, else seesay's own voice), screen-reader, own-voice "
                                        "or silent"), choices=SPEECH_OUTPUTS, group="speech", label=N_("Speech output")),
    Setting("voice", "", N_("voice name or id (empty: the default voice)"), metavar="VOICE", group="speech",
            label=N_("Voice")),
    Setting("rate", 175, N_("speaking rate, words per minute"), type=int, minimum=80, maximum=450, metavar="WPM",
            group="speech", label=N_("Speaking rate")),
    Setting("volume", 100, N_("speech volume, percent"), type=int, minimum=0, maximum=100, metavar="PERCENT",
            group="speech", label=N_("Volume")),
    Setting("speech_dir", "", N_("also save every utterance as a numbered WAV file and transcript in this folder"),
            metavar="DIR", group="speech", label=N_("Save speech to folder"), is_folder=True),
    Setting("theme", "yellow-on-black", N_("colours of the window"), choices=THEMES, group="appearance",
            label=N_("Theme")),
    Setting("font_size", 28, N_("size of the text, in points of the description: all other text in the window "
                                "and its dialogs grows with it (28 is 100%, 56 is 200%, 112 is 400%)"), type=int,
            minimum=12, maximum=112,
            metavar="PT", group="appearance", label=N_("Text size")),
    Setting("confidence_plain", 95, N_("a caption at least this sure (percent) is spoken plainly"), type=int,
            minimum=0, maximum=100, metavar="PERCENT", group="description", label=N_("Speak captions plainly from")),
    Setting("confidence_hedge", 70, N_("a caption at least this sure (percent) is spoken with \u201cprobably\u201d; "
                                       "below it seesay says it cannot tell"), type=int, minimum=0, maximum=100,
            metavar="PERCENT", group="description", label=N_("Say \u201cprobably\u201d from")),
    Setting("confidence_on_text", 99, N_("on a screen that is mostly text, a picture caption is spoken only this "
                                         "sure (percent)"), type=int, minimum=0, maximum=100, metavar="PERCENT",
            group="description", label=N_("Caption on text screens from")),
    Setting("keep_in_index", "off", N_("keep what the window describes of picture files (opened or dropped) in the "
                                       "picture index, where seesay search and the search field find them; screen "
                                       "captures and pasted pictures are never kept"), choices=("off", "on"),
            label=N_("Keep described files in the picture index")),
    Setting("memory_budget", 1200, N_("most memory seesay keeps for its models, in MiB: over it, the question model "
                                      "is let go after each question instead of after ten idle minutes"), type=int,
            minimum=300, maximum=65536, metavar="MIB", group="description", label=N_("Memory for models (MiB)")),
    Setting("text_words", 40, N_("at most this many words of the text on screen are spoken (all are shown)"),
            type=int, minimum=5, maximum=500, metavar="N", group="speech", label=N_("Words of text to speak")),
    Setting("tray_icon", "colour", N_("tray icon: colour (reads on any panel), light (a white eye, for dark panels) "
                                      "or dark (a black eye, for light panels)"), choices=TRAY_ICON_STYLES,
            group="appearance", label=N_("Tray icon")),
    Setting("autostart", "off", N_("start seesay when you log in"), choices=("off", "on"), group="appearance",
            label=N_("Start at login")),
    Setting("screen_area", "monitor", N_("what 'describe the screen' captures: the monitor under the mouse, "
                                         "or all monitors"), choices=SCREEN_AREAS, group="keys",
            label=N_("Screen to describe")),
    Setting("mouse_area", 500, N_("size of the square described around the mouse pointer, in pixels"), type=int,
            minimum=100, maximum=2000, metavar="PX", group="keys", label=N_("Area under the mouse")),
    *(Setting(command.setting_key, command.default_keys,
              command.keys_help, metavar="KEYS", group="keys",
              label=command.description) for command in COMMANDS),
)
BY_KEY = {setting.key: setting for setting in SETTINGS}
#: The settings dialog's groups, in the order shown: group -> title.
GROUPS = {"speech": N_("Speech"), "description": N_("Description"), "keys": N_("Keys"),
          "appearance": N_("Appearance")}
HOTKEY_KEYS = tuple(command.setting_key for command in COMMANDS)
#: What the worker thread needs: the model's settings and how to compose what is said.
WORKER_KEYS = (*MODEL_KEYS, "vqa_model", "itm_model", "candidates", "detail", "confidence_plain",
               "confidence_hedge", "confidence_on_text", "text_words", "memory_budget", "translation_model")
#: Settings that change how the question-answering model is loaded.
VQA_MODEL_KEYS = ("vqa_model", "device", "precision", "model_dir")
#: Settings that change how the image-text matching model is loaded.
ITM_MODEL_KEYS = ("itm_model", "device", "precision", "model_dir")


def add_setting_flags(parser: argparse.ArgumentParser, keys: tuple[str, ...] | None = None) -> None:
    """Add a flag per setting. Unset flags stay absent, so defaults come from one place."""
    hotkeys = None
    for setting in SETTINGS:
        if keys is not None and setting.key not in keys:
            continue
        if setting.key.startswith("hotkey_") and hotkeys is None:  # how keys are written, said once
            hotkeys = parser.add_argument_group(_("global keys"), _(
                "KEYS are written like <ctrl>+<alt>+<shift>+d; an empty value (\"\") turns those keys off."))
        (hotkeys if setting.key.startswith("hotkey_") else parser).add_argument(
            setting.flag,
            dest=setting.key,
            type=_argparse_type(setting),
            default=argparse.SUPPRESS,
            metavar=setting.metavar or ("|".join(setting.choices) if setting.choices else setting.key.upper()),
            choices=None,
            help=flag_help(setting).replace("%", "%%"),  # argparse formats help with %
        )
    add_renamed_flags(parser, keys)


def flag_help(setting: Setting) -> str:
    """The flag's help: what the setting does, then its default (key names as people read them)."""
    if setting.key.startswith("hotkey_"):
        default = readable_keys(setting.default) if setting.default else _("none")
    else:
        default = setting.default if setting.default != "" else _("not set")
    return _("{help} (default: {default})").format(help=_(setting.help), default=default)


def add_renamed_flags(parser: argparse.ArgumentParser, keys: tuple[str, ...] | None = None) -> None:
    """Old flags still work, unlisted (``--speech silent`` in a desktop shortcut made before
    ``--speech-output``): their values are read as the new setting's by ``resolve``."""
    for old_key, (new_key, values) in RENAMED.items():
        if keys is None or new_key in keys:
            parser.add_argument("--" + old_key.replace("_", "-"), dest=old_key, choices=sorted(values),
                                default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def defaults() -> dict[str, Any]:
    return {setting.key: setting.default for setting in SETTINGS}


def resolve(overrides: dict[str, Any], saved: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the saved configuration, then the values given on the command line."""
    values = defaults()
    for layer in (upgrade_renamed(saved or {}), upgrade_renamed(overrides)):
        values.update({key: value for key, value in layer.items() if key in BY_KEY})
    return values


def upgrade_renamed(raw: dict[str, Any]) -> dict[str, Any]:
    """Values saved under an old key (``"speech": "system"``) read as their new key, unless that is set too."""
    upgraded = dict(raw)
    for old_key, (new_key, values) in RENAMED.items():
        if old_key in upgraded:
            old_value = upgraded.pop(old_key)
            if new_key not in upgraded and old_value in values:
                upgraded[new_key] = values[old_value]
    return upgraded


def _argparse_type(setting: Setting):
    def parse(raw: str):
        try:
            return setting.convert(raw)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = setting.type.__name__  # argparse names the type in its error message
    return parse
