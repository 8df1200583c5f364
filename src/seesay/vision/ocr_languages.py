"""Which of Tesseract's language data reads the person's language, and what to say when it is missing.

Each of seesay's languages is read with its own data and English beside it (``deu+eng``): on a
German screen, menus, file names and programs' own words are often English, and Tesseract reads a
line with both, taking each word from the language it fits. Read with English data alone, the
letters English lacks come out wrong ("GrdBe" for "Größe", "nihto" for "niño"; measured in
tests/integration/test_text_languages.py). English alone reads English.

Without the data for the person's language, text is read in English, and the person is told once,
with the package that adds the data.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from seesay.core.i18n import _, name_of_language, pick_language

ENGLISH = "eng"
#: seesay's language: Tesseract's name for its data.
TESSERACT_DATA = {"de": "deu", "es": "spa", "fr": "fra", "pt_BR": "por"}


def wanted_data(setting: str) -> tuple[str, ...]:
    """The language data that reads the ``language`` setting's text ("auto": the system's), English last."""
    language = pick_language(setting).language
    return (TESSERACT_DATA[language], ENGLISH) if language in TESSERACT_DATA else (ENGLISH,)


def debian_package(data: str) -> str:
    return f"tesseract-ocr-{data}"


@dataclass(frozen=True)
class TextLanguages:
    """The language data wanted for a setting, and which of it a tessdata folder lacks."""

    #: seesay's language ("de"; "en" for English or a language seesay has no data for)
    language: str
    wanted: tuple[str, ...]
    missing: tuple[str, ...]
    tessdata: str

    @property
    def used(self) -> str:
        """What Tesseract is given: ``deu+eng``, or ``eng`` when the language's data is missing."""
        return "+".join(data for data in self.wanted if data not in self.missing) or ENGLISH

    @property
    def name(self) -> str:
        """The language's name, translated ("German")."""
        return name_of_language(self.language)

    def install_hint(self) -> str:
        """How to add the missing data: the package on Linux, the file and folder elsewhere."""
        if sys.platform.startswith("linux"):
            return _("On Debian or Ubuntu: sudo apt install {packages}").format(
                packages=" ".join(debian_package(data) for data in self.missing))
        return _("Put Tesseract's {files} into {folder}.").format(
            files=", ".join(f"{data}.traineddata" for data in self.missing), folder=self.tessdata)

    def notice(self) -> tuple[str, str] | None:
        """(shown, spoken) when the language's own data is missing and text is read as English, else None."""
        if not self.missing:
            return None
        why = _("{language} text is read as English: Tesseract's {language} language data is not installed."
                ).format(language=self.name)
        packages = ", ".join(debian_package(data) for data in self.missing)
        spoken = (_("To read it, install the package {packages}.").format(packages=packages)
                  if sys.platform.startswith("linux") else _("To read it, add Tesseract's {language} language data."
                                                             ).format(language=self.name))
        return f"{why} {self.install_hint()}", f"{why} {spoken}"


def text_languages(setting: str, tessdata: str) -> TextLanguages:
    """The language data for the ``language`` setting, checked against the ``tessdata`` folder."""
    wanted = wanted_data(setting)
    missing = tuple(data for data in wanted if data != ENGLISH and not (Path(tessdata) / f"{data}.traineddata").is_file())
    language = pick_language(setting).language
    return TextLanguages(language if language in TESSERACT_DATA else "en", wanted, missing, tessdata)
