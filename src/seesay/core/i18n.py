"""Translation of user-facing strings (gettext), and the language seesay speaks and shows.

Every string a user can hear or read goes through ``_`` (``ngettext`` when it counts something);
strings defined as data are marked ``N_("...")`` where they are defined and translated where shown.

The translations are written in ``resources/translations/<language>.po`` at the top of the
repository (``scripts/update_translations.py`` keeps them in step with the code). Building or
installing seesay (``setup.py``; ``pip install -e .`` too) and the bundle (``packaging/seesay.spec``)
compile them into ``seesay/locale/<language>/LC_MESSAGES/seesay.mo``. In a source checkout a .po
that is newer than its .mo is read directly, so an edited translation shows without a reinstall.

This module uses only the standard library: ``setup.py`` loads it to compile the catalogues before
seesay's dependencies exist.
"""

from __future__ import annotations

import ast
import gettext
import io
import os
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

DOMAIN = "seesay"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The .po sources in a source checkout (this file is src/seesay/core/i18n.py there); None in a
#: wheel or the bundle, where only the compiled catalogues are.
PO_DIR = (Path(__file__).resolve().parents[3] / "resources" / "translations"
          if Path(__file__).resolve().parents[2].name == "src" else None)
#: The languages seesay has a catalogue for; English is the language of the code.
LANGUAGES = ("de", "es", "fr", "pt_BR")
#: Each language by its own name, as a person looking for their language reads it.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "es": "Español", "fr": "Français",
                  "pt_BR": "Português (Brasil)"}
#: Locale names that mean "no translation" (gettext's C locale and its aliases).
_UNTRANSLATED = {"", "C", "POSIX", "en"}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


def _(message: str) -> str:
    return _translations.gettext(message)


#: Each language's name in English, translated where it is said ("German text is read as English").
_NAMES_IN_SENTENCES = {"en": N_("English"), "de": N_("German"), "es": N_("Spanish"), "fr": N_("French"),
                       "pt_BR": N_("Portuguese")}


def name_of_language(language: str) -> str:
    """The name of one of seesay's languages in the language shown now, as said in a sentence ("German")."""
    return _(_NAMES_IN_SENTENCES.get(language, language))


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations.ngettext(singular, plural, count)


def current_language() -> str:
    """The language strings are translated into now ("en": none)."""
    return _language


# --- choosing the language --------------------------------------------------------------------


def system_languages(environ: Mapping[str, str] | None = None) -> list[str]:
    """The languages the system asks for, in gettext's order: the first of LANGUAGE (a list, as
    ``de:fr``), LC_ALL, LC_MESSAGES and LANG that is set."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return [part for part in environ[name].split(":") if part]
    return []


@dataclass(frozen=True)
class LanguageChoice:
    #: The catalogue used: one of LANGUAGES, or "en" for none.
    language: str
    #: A language that was asked for first but has no catalogue (``ar_EG``), else None.
    unavailable: str | None = None


def pick_language(setting: str, environ: Mapping[str, str] | None = None) -> LanguageChoice:
    """The catalogue for the ``language`` setting: a language code, or "auto" (the system's).

    ``de_AT.UTF-8`` finds ``de`` and ``pt_PT`` or ``pt`` finds ``pt_BR``: a neighbouring variant
    reads better than English. ``C``, ``C.UTF-8``, ``POSIX`` and English mean English. A language
    without a catalogue is passed over for the next one the system lists, and reported."""
    wanted = system_languages(environ) if setting in ("", "auto") else [setting]
    unavailable = None
    for raw in wanted:
        code = raw.split(".")[0].split("@")[0]
        base = code.split("_")[0]
        if code in _UNTRANSLATED or base in _UNTRANSLATED:
            break
        if code in LANGUAGES:
            return LanguageChoice(code, unavailable)
        for language in LANGUAGES:
            if language.split("_")[0] == base:
                return LanguageChoice(language, unavailable)
        unavailable = unavailable or code
    return LanguageChoice("en", unavailable)


def use_language(setting: str, environ: Mapping[str, str] | None = None) -> LanguageChoice:
    """Translate from now on into the language of the ``language`` setting ("auto": the system's).

    Called once at start, before any string is shown; strings already shown stay as they were."""
    global _translations, _language
    choice = pick_language(setting, environ)
    catalogue = load_catalogue(choice.language) if choice.language != "en" else None
    if catalogue is None:  # a missing or broken catalogue: English, never a crash
        _translations, _language = gettext.NullTranslations(), "en"
        return LanguageChoice("en", choice.unavailable or (None if choice.language == "en" else choice.language))
    _translations, _language = catalogue, choice.language
    return choice


def load_catalogue(language: str, locale_dir: Path = LOCALE_DIR,
                   po_dir: Path | None = PO_DIR) -> gettext.GNUTranslations | None:
    """The compiled catalogue, or the .po compiled here when it is newer (a source checkout)."""
    mo = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = po_dir / f"{language}.po" if po_dir is not None else None
    try:
        if po is not None and po.is_file() and (not mo.is_file() or po.stat().st_mtime > mo.stat().st_mtime):
            return gettext.GNUTranslations(io.BytesIO(compile_po(po.read_text(encoding="utf-8"))))
        if mo.is_file():
            with mo.open("rb") as file:
                return gettext.GNUTranslations(file)
    except (OSError, ValueError, SyntaxError, struct.error):
        return None
    return None


def language_names() -> dict[str, str]:
    """The ``language`` setting's choices by name, for the settings dialog."""
    return {"auto": _("System language"), **LANGUAGE_NAMES}


# --- .po files: read, and compile to .mo (what GNU msgfmt does, for the catalogues seesay ships) ---


@dataclass
class CatalogueEntry:
    msgid: str
    msgid_plural: str | None = None
    #: One translation, or one per plural form.
    msgstr: list[str] = field(default_factory=lambda: [""])
    msgctxt: str | None = None
    flags: set[str] = field(default_factory=set)
    #: ``#.`` comments (for translators) and ``#:`` source references, as written.
    comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and all(self.msgstr)


def parse_po(text: str) -> list[CatalogueEntry]:
    """The entries of a .po file, header (msgid "") included; obsolete (``#~``) entries are left out."""
    entries: list[CatalogueEntry] = []
    entry: CatalogueEntry | None = None
    target: tuple[str, int] | None = None  # the field continuation lines add to
    pending_flags: set[str] = set()
    pending_comments: list[str] = []
    pending_references: list[str] = []

    def start() -> CatalogueEntry:
        nonlocal pending_flags, pending_comments, pending_references
        new = CatalogueEntry("", flags=pending_flags, comments=pending_comments, references=pending_references)
        pending_flags, pending_comments, pending_references = set(), [], []
        entries.append(new)
        return new

    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#."):
            pending_comments.append(line[2:].strip())
            continue
        if line.startswith("#:"):
            pending_references.extend(line[2:].split())
            continue
        if line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = "", line
        value = _unquote(rest, number)
        if keyword == "msgctxt":
            entry, target = start(), ("msgctxt", 0)
            entry.msgctxt = value
        elif keyword == "msgid":
            if entry is None or entry.msgctxt is None or target != ("msgctxt", 0):
                entry = start()
            entry.msgid, target = value, ("msgid", 0)
        elif keyword == "msgid_plural" and entry is not None:
            entry.msgid_plural, target = value, ("msgid_plural", 0)
        elif keyword == "msgstr" and entry is not None:
            entry.msgstr, target = [value], ("msgstr", 0)
        elif keyword.startswith("msgstr[") and entry is not None:
            index = int(keyword[7:-1])
            if index == 0:
                entry.msgstr = []
            entry.msgstr.append(value)
            target = ("msgstr", index)
        elif keyword == "" and entry is not None and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
        else:
            raise ValueError(f"line {number}: cannot read {line[:40]!r}")
    return entries


def _unquote(quoted: str, number: int) -> str:
    quoted = quoted.strip()
    if not (quoted.startswith('"') and quoted.endswith('"')):
        raise ValueError(f"line {number}: a quoted string was expected")
    return ast.literal_eval(quoted)  # C-style escapes (\n \t \" \\), as Python's own msgfmt reads them


def compile_po(text: str) -> bytes:
    """A .mo file (GNU gettext's format) of the translated entries of a .po file. Untranslated and
    fuzzy entries are left out, so the English text is used for them, as GNU msgfmt does."""
    messages: dict[bytes, bytes] = {}
    for entry in parse_po(text):
        if not entry.translated and entry.msgid:
            continue
        key = entry.msgid if entry.msgid_plural is None else entry.msgid + "\0" + entry.msgid_plural
        if entry.msgctxt is not None:
            key = entry.msgctxt + "\x04" + key
        messages[key.encode("utf-8")] = "\0".join(entry.msgstr).encode("utf-8")
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    header_size = 7 * 4
    key_start = header_size + 16 * len(keys)
    value_start = key_start + len(ids)
    key_table, value_table = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, key_start + id_offset]
        value_table += [str_length, value_start + str_offset]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), header_size, header_size + 8 * len(keys), 0, 0)
    return header + struct.pack(f"{len(key_table)}i", *key_table) + struct.pack(
        f"{len(value_table)}i", *value_table) + ids + strs


def compile_catalogues(po_dir: Path | None = PO_DIR, locale_dir: Path = LOCALE_DIR,
                       languages: Iterable[str] = LANGUAGES) -> list[Path]:
    """Compile each language's .po into ``locale_dir``; the build, set-up and bundle call this."""
    if po_dir is None:
        raise FileNotFoundError("the translations' .po files are in a source checkout of seesay, not here")
    written = []
    for language in languages:
        po = po_dir / f"{language}.po"
        if not po.is_file():
            continue
        mo = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        mo.write_bytes(compile_po(po.read_text(encoding="utf-8")))
        written.append(mo)
    return written
