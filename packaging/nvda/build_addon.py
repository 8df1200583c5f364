"""Pack the NVDA add-on: ``python packaging/nvda/build_addon.py [OUT_FOLDER]`` writes
``seesay-VERSION.nvda-addon`` (a zip of addon/: manifest.ini at its root, globalPlugins/) into
OUT_FOLDER (default: dist/). NVDA installs it when the file is opened."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

ADDON = Path(__file__).resolve().parent / "addon"


def version() -> str:
    match = re.search(r"^version\s*=\s*(\S+)\s*$", (ADDON / "manifest.ini").read_text(encoding="utf-8"), re.M)
    if not match:
        raise SystemExit("manifest.ini has no version")
    return match.group(1).strip("\"'")


def build(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    package = out / f"seesay-{version()}.nvda-addon"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(ADDON.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, path.relative_to(ADDON).as_posix())
    return package


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "dist"))
