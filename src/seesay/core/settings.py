"""Every setting, defined once, as data.

The table drives the command-line flags today and the config file and settings dialog
as they arrive: add a ``Setting`` here and it appears everywhere. Help texts are marked
for translation with ``N_`` and translated when shown.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from seesay.core.i18n import _


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISIONS = ("auto", "fp32", "fp16", "bf16", "int8")


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
            metavar="MODEL"),
    Setting("device", "auto", N_("where the model runs (auto picks CUDA, then MPS, then the CPU)"), choices=DEVICES),
    Setting("precision", "auto", N_("number format of the model (auto: fp16 on a GPU, int8 on the CPU)"),
            choices=PRECISIONS),
    Setting("max_new_tokens", 30, N_("longest description, in words and word pieces"), type=int,
            minimum=5, maximum=100, metavar="N"),
    Setting("num_beams", 1, N_("beam search width (1 is fastest)"), type=int, minimum=1, maximum=8, metavar="N"),
    Setting("model_dir", "", N_("folder where downloaded models are kept (empty: the user cache folder)"),
            metavar="DIR"),
)
BY_KEY = {setting.key: setting for setting in SETTINGS}


def add_setting_flags(parser: argparse.ArgumentParser, keys: tuple[str, ...] | None = None) -> None:
    """Add a flag per setting. Unset flags stay absent, so defaults come from one place."""
    for setting in SETTINGS:
        if keys is not None and setting.key not in keys:
            continue
        parser.add_argument(
            setting.flag,
            dest=setting.key,
            type=_argparse_type(setting),
            default=argparse.SUPPRESS,
            metavar=setting.metavar or (None if setting.choices else setting.key.upper()),
            choices=None,
            help=_(setting.help) + (f" ({'|'.join(setting.choices)})" if setting.choices else ""),
        )


def resolve(overrides: dict[str, Any]) -> dict[str, Any]:
    """Defaults, with the values the user gave on top."""
    values = {setting.key: setting.default for setting in SETTINGS}
    values.update({key: value for key, value in overrides.items() if key in BY_KEY})
    return values


def _argparse_type(setting: Setting):
    def parse(raw: str):
        try:
            return setting.convert(raw)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = setting.type.__name__  # argparse names the type in its error message
    return parse
