"""Compiles the translations while seesay is built or installed; the rest is in pyproject.toml.

resources/translations/<language>.po (the sources, at the top of the repository) become
seesay/locale/<language>/LC_MESSAGES/seesay.mo: in the wheel's build folder, or, for an editable
install (``pip install -e .``, which scripts/setup.sh runs), in src/seesay/locale beside the code.
The compiler is seesay.core.i18n's, loaded by its path: it needs only the standard library.
"""

import importlib.util
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _i18n():
    spec = importlib.util.spec_from_file_location("seesay_i18n", ROOT / "src" / "seesay" / "core" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogues(build_py):
    def run(self):
        super().run()
        package = ROOT / "src" / "seesay" if self.editable_mode else Path(self.build_lib) / "seesay"
        _i18n().compile_catalogues(ROOT / "resources" / "translations", package / "locale")


setup(cmdclass={"build_py": BuildWithCatalogues})
