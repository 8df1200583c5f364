"""The NVDA add-on (packaging/nvda): its package layout and manifest as NVDA reads them, and the
command it runs, as seesay's own command line reads it. NVDA itself cannot run here (Windows
only): its modules are stood in for, only to load the plugin's file."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import types
import zipfile
from pathlib import Path

import pytest

NVDA = Path(__file__).resolve().parents[2] / "packaging" / "nvda"
PLUGIN = NVDA / "addon" / "globalPlugins" / "seesay.py"
#: NVDA's manifest specification (addonHandler.AddonManifest.configspec): the keys it knows.
REQUIRED = ("name", "summary", "author", "version")
OPTIONAL = ("description", "minimumNVDAVersion", "lastTestedNVDAVersion", "url", "docFileName")
API_VERSION = re.compile(r"^(\d{4})\.(\d+)(?:\.(\d+))?$")  # year.major[.minor], as NVDA parses it


def read_manifest(text: str) -> dict[str, str]:
    """configobj's ``key = value`` lines, as NVDA's manifest uses them (values quoted, triple-quoted
    or bare); a bare value with a comma would be read by configobj as a list, and is refused here."""
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = (part.strip() for part in line.partition("="))
        assert sep, f"line {number} is not key = value: {line!r}"
        for quote in ('"""', "'''", '"', "'"):
            if value.startswith(quote):
                assert value.endswith(quote) and len(value) >= 2 * len(quote), f"line {number}: unclosed {quote}"
                value = value[len(quote):-len(quote)]
                break
        else:
            assert "," not in value, f"line {number}: a bare value with a comma is a list to configobj"
        assert key not in values, f"{key} twice"
        values[key] = value
    return values


def api_version(text: str) -> tuple[int, int, int]:
    match = API_VERSION.match(text)
    assert match, f"{text!r} is not an NVDA API version (year.major[.minor])"
    return int(match[1]), int(match[2]), int(match[3] or 0)


def test_the_package_holds_the_manifest_at_its_root_and_the_global_plugin(tmp_path):
    sys.path.insert(0, str(NVDA))
    try:
        from build_addon import build
    finally:
        sys.path.remove(str(NVDA))
    package = build(tmp_path)
    assert package.name == "seesay-0.1.0.nvda-addon"
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["globalPlugins/seesay.py", "manifest.ini"]
        manifest = read_manifest(archive.read("manifest.ini").decode("utf-8"))
    assert manifest["version"] == "0.1.0"


def test_the_manifest_has_what_nvda_requires_and_nothing_it_does_not_know():
    manifest = read_manifest((NVDA / "addon" / "manifest.ini").read_text(encoding="utf-8"))
    assert all(manifest.get(key) for key in REQUIRED), manifest
    assert set(manifest) <= {*REQUIRED, *OPTIONAL}
    assert re.fullmatch(r"[a-z][A-Za-z0-9]*", manifest["name"])  # the add-on's id and folder name
    assert api_version(manifest["minimumNVDAVersion"]) <= api_version(manifest["lastTestedNVDAVersion"])
    assert "docFileName" not in manifest or (NVDA / "addon" / "doc" / "en" / manifest["docFileName"]).is_file()


def test_the_plugin_declares_one_global_plugin_with_a_documented_gesture():
    tree = ast.parse(PLUGIN.read_text(encoding="utf-8"), filename=str(PLUGIN))
    compile(tree, str(PLUGIN), "exec")  # NVDA 2024.1 and later run Python 3.11, as seesay does
    (plugin,) = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "GlobalPlugin"]
    assert ast.unparse(plugin.bases[0]) == "globalPluginHandler.GlobalPlugin"
    scripts = [node for node in plugin.body if isinstance(node, ast.FunctionDef) and node.name.startswith("script_")]
    assert len(scripts) == 1
    (decorator,) = scripts[0].decorator_list
    assert isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "script"
    keywords = {keyword.arg: keyword.value for keyword in decorator.keywords}
    assert {"description", "category", "gesture"} <= set(keywords)
    # not NVDA+Shift+D (NVDA's own audio ducking command) nor NVDA+Alt+Shift+D (browse mode, details)
    assert keywords["gesture"].value == "kb:NVDA+control+shift+d"


@pytest.fixture
def plugin(monkeypatch):
    """The plugin's module, loaded with NVDA's modules stood in for (they exist only inside NVDA)."""
    def init_translation():
        sys._getframe(1).f_globals["_"] = lambda text: text  # as NVDA does: into the caller's module

    stand_ins = {
        "addonHandler": {"initTranslation": init_translation},
        "api": {"getNavigatorObject": lambda: None},
        "globalPluginHandler": {"GlobalPlugin": type("GlobalPlugin", (), {})},
        "tones": {"beep": lambda *args: None},
        "ui": {"message": lambda text: None},
        "scriptHandler": {"script": lambda **kwargs: (lambda function: function)},
    }
    for name, attributes in stand_ins.items():
        monkeypatch.setitem(sys.modules, name, types.SimpleNamespace(**attributes))
    spec = importlib.util.spec_from_file_location("nvda_global_plugin_seesay", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("location", "role", "name", "rect", "label"), [
    ((120, 340, 320, 240), "graphic", "team  photo", "120,340,320,240", "graphic, team photo"),
    ((-1600, 20, 400, 300), "button", "", "-1600,20,400,300", "button"),  # a monitor left of the main one
])
def test_the_command_the_plugin_runs_is_one_seesay_reads_as_that_rectangle_and_label(
        plugin, location, role, name, rect, label):
    from seesay.cli import _check_describe, _rectangle_as_value, build_parser, remote_message

    command = plugin.seesay_command(r"C:\Programs\seesay\seesay.exe", location, role, name)
    assert command[0].endswith("seesay.exe")
    parser = build_parser()
    args = parser.parse_args(_rectangle_as_value(command[1:]))
    _check_describe(parser, args)
    assert remote_message(args) == {"command": "describe", "kind": "rect", "rect": rect, "label": label}
