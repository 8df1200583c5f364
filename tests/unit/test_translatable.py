"""Every string handed to gettext can be translated: never built at run time.

``_(f"Described {label}")``, ``_("a" + b)`` or ``_("{x}".format(x=1))`` would look translated but
never match a catalogue entry; placeholders are filled after translation with ``.format``.
Strings defined as data are marked with ``N_("literal")`` and translated where shown with
``_(setting.help)``, which is allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "seesay"


def gettext_calls():
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"):
                yield path.relative_to(SOURCE), node


def is_literal(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def is_built(node) -> bool:
    """An f-string, a concatenation or %-format, or a ``.format`` call."""
    return isinstance(node, (ast.JoinedStr, ast.BinOp)) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format")


def test_translated_strings_are_never_built_before_translation():
    calls = list(gettext_calls())
    assert len(calls) > 200  # the app's strings are marked at all
    wrong = [f"{path}:{node.lineno}" for path, node in calls
             if len(node.args) != 1 or is_built(node.args[0])
             or (node.func.id == "N_" and not is_literal(node.args[0]))]
    assert not wrong, f"strings built before translation: {wrong}"
