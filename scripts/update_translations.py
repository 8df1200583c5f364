"""Keep the translations in step with the code.

    .venv/bin/python scripts/update_translations.py           # re-extract, merge, report
    .venv/bin/python scripts/update_translations.py --check   # exit 1 while anything is untranslated
    .venv/bin/python scripts/update_translations.py --compile # also write seesay/locale/*/LC_MESSAGES/*.mo

Reads every ``_("...")``, ``N_("...")`` and ``ngettext("...", "...", n)`` in src/seesay, writes the
template resources/translations/seesay.pot, and merges it into each language's .po: a translation
is kept while its English text is unchanged, a new string is added untranslated, and a string the
code no longer has is kept at the end as obsolete (``#~``), for a translator to reuse. Then it says
how many strings each language still lacks. Only the standard library: GNU gettext is not needed.
Sources are referred to by file, without line numbers, so moving code does not touch the catalogues.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "seesay"
PO_DIR = ROOT / "resources" / "translations"
TEMPLATE = PO_DIR / "seesay.pot"
#: Plural-Forms of each language, as GNU gettext's manual gives them.
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
}
BRACE_FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")


def load_i18n():
    """seesay.core.i18n by its path: it uses only the standard library, and seesay need not be installed."""
    spec = importlib.util.spec_from_file_location("seesay_i18n", SOURCE / "core" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass
class Message:
    msgid: str
    msgid_plural: str | None = None
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str | None]:
        return self.msgid, self.msgid_plural

    @property
    def flags(self) -> list[str]:
        text = self.msgid + (self.msgid_plural or "")
        return (["python-brace-format"] if BRACE_FIELD.search(text) else []) + (
            ["python-format"] if "%(" in text else [])


def extract(source: Path = SOURCE) -> list[Message]:
    """Every string marked for translation, in the order the code first uses it."""
    messages: dict[tuple[str, str | None], Message] = {}
    for path in sorted(source.rglob("*.py")):
        reference = path.relative_to(source).as_posix()
        calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                 and node.func.id in ("_", "N_", "ngettext")]
        for node in sorted(calls, key=lambda call: (call.lineno, call.col_offset)):
            texts = [arg.value for arg in node.args[:2 if node.func.id == "ngettext" else 1]
                     if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if not texts or (node.func.id == "ngettext" and len(texts) != 2):
                continue  # _(setting.help): a string marked with N_ where it is defined
            message = messages.setdefault((texts[0], texts[1] if len(texts) == 2 else None),
                                          Message(texts[0], texts[1] if len(texts) == 2 else None))
            if reference not in message.references:
                message.references.append(reference)
    return list(messages.values())


def quote(text: str) -> str:
    """A .po string: one line, or one line per line of the text when it has several."""
    def escape(part: str) -> str:
        return '"' + part.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'

    lines = text.splitlines(keepends=True)
    if len(lines) <= 1:
        return escape(text)
    return '""\n' + "\n".join(escape(line) for line in lines)


def entry_text(message: Message, translations: list[str], obsolete: bool = False) -> str:
    lines = []
    if not obsolete:
        lines += [f"#: {' '.join(message.references)}"] if message.references else []
        lines += [f"#, {', '.join(message.flags)}"] if message.flags else []
    lines.append(f"msgid {quote(message.msgid)}")
    if message.msgid_plural is None:
        lines.append(f"msgstr {quote(translations[0])}")
    else:
        lines.append(f"msgid_plural {quote(message.msgid_plural)}")
        lines += [f"msgstr[{index}] {quote(text)}" for index, text in enumerate(translations)]
    text = "\n".join(lines)
    if obsolete:
        text = "\n".join("#~ " + line for line in text.splitlines())
    return text + "\n"


def header(language: str | None) -> str:
    fields = ["Project-Id-Version: seesay", f"Language: {language or ''}", "MIME-Version: 1.0",
              "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit"]
    if language:
        fields.append(f"Plural-Forms: {PLURAL_FORMS[language]}")
    else:
        fields.append("Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;")
    return 'msgid ""\nmsgstr ""\n' + "".join(f'"{line}\\n"\n' for line in fields)


def write_template(messages: list[Message], path: Path = TEMPLATE) -> None:
    note = "# Template of seesay's interface strings: made by scripts/update_translations.py; do not edit.\n"
    path.write_text(note + header(None) + "".join("\n" + entry_text(m, [""] if m.msgid_plural is None else ["", ""])
                                                  for m in messages), encoding="utf-8")


def merge(language: str, messages: list[Message], i18n) -> tuple[int, int]:
    """Write the language's .po for these messages, keeping its translations. Returns (translated, total)."""
    path = PO_DIR / f"{language}.po"
    old = {}
    if path.is_file():
        old = {(entry.msgid, entry.msgid_plural): entry for entry in i18n.parse_po(path.read_text(encoding="utf-8"))
               if entry.msgid}
        old.update(obsolete_entries(path.read_text(encoding="utf-8"), i18n))
    forms = int(PLURAL_FORMS[language].split(";")[0].split("=")[1])
    parts = [f"# seesay's interface in {language}. Translate msgstr; scripts/update_translations.py keeps msgid "
             "in step with the code.\n", header(language)]
    translated = 0
    for message in messages:
        entry = old.pop(message.key, None)
        translations = [""] * (1 if message.msgid_plural is None else forms)
        if entry is not None and "fuzzy" not in entry.flags and len(entry.msgstr) == len(translations):
            translations = entry.msgstr
        translated += all(translations)
        parts.append("\n" + entry_text(message, translations))
    for (msgid, plural), entry in old.items():  # strings the code no longer has
        if any(entry.msgstr):
            parts.append("\n" + entry_text(Message(msgid, plural), entry.msgstr, obsolete=True))
    path.write_text("".join(parts), encoding="utf-8")
    return translated, len(messages)


def obsolete_entries(text: str, i18n) -> dict:
    lines = [line[3:] for line in text.splitlines() if line.startswith("#~ ")]
    return {(entry.msgid, entry.msgid_plural): entry for entry in i18n.parse_po("\n".join(lines)) if entry.msgid}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a string is untranslated")
    parser.add_argument("--compile", action="store_true", help="also compile the .mo files into src/seesay/locale")
    args = parser.parse_args(argv)
    i18n = load_i18n()
    messages = extract()
    PO_DIR.mkdir(parents=True, exist_ok=True)
    write_template(messages)
    counts = {language: merge(language, messages, i18n) for language in PLURAL_FORMS}  # all written first
    for language, (translated, total) in counts.items():
        print(f"{language}: {translated} of {total} strings translated")
    complete = all(translated == total for translated, total in counts.values())
    if args.compile:
        for path in i18n.compile_catalogues(PO_DIR, SOURCE / "locale"):
            print(f"wrote {path.relative_to(ROOT)}")
    return 1 if args.check and not complete else 0


if __name__ == "__main__":
    sys.exit(main())
