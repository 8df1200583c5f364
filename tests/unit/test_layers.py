"""Data flows one way: the ground floor (core) and the describe pipeline never reach up.

``core`` holds types, settings, errors and paths; ``describe`` turns a picture into what is
said, in plain functions. Neither may import the Qt app, Qt itself, or (for core) the vision
package, speech, capture or hotkeys: a reader should find the describe route without the GUI,
and the core should load without any of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "seesay"
FORBIDDEN = {
    "core": ("seesay.vision", "seesay.app", "seesay.describe", "seesay.speech", "seesay.capture", "seesay.hotkeys",
             "PySide6", "torch", "transformers"),
    "describe": ("seesay.app", "PySide6", "torch", "transformers"),
}


def imported_names(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_what_stands_above_it(layer):
    wrong = sorted({f"{path.relative_to(PACKAGE)}: {name}" for path in (PACKAGE / layer).rglob("*.py")
                    for name in imported_names(path)
                    if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[layer])})
    assert wrong == []
