"""The settings file is never lost: broken files are kept aside, writes are atomic and private,
a symlinked file stays a link, and only the keys that changed are written."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from seesay.core import config, settings

SOURCE = str(Path(__file__).resolve().parents[2] / "src")


def backups(folder) -> list:
    return sorted(folder.glob("settings.json.bad-*"))


@pytest.mark.parametrize("content", ["{\"rate\": 200,", "\xff\xfe not text", "[" * 100_000 + "]" * 100_000, "[1, 2]"])
def test_a_broken_settings_file_is_kept_aside_and_the_message_says_where(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content.encode("latin-1"))
    values, problems = config.load_saved(path)
    assert values == {}
    (problem,) = problems
    (backup,) = backups(tmp_path)
    assert f"The settings file {path} could not be read" in problem and "the defaults are used" in problem
    assert str(backup) in problem
    assert backup.read_bytes() == content.encode("latin-1")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    config.save_changes(settings.defaults(), {**settings.defaults(), "rate": 220}, path)
    assert json.loads(path.read_text()) == {"rate": 220}
    assert backups(tmp_path) == [backup] and backup.read_bytes() == content.encode("latin-1")


def test_a_file_broken_after_start_is_kept_aside_before_a_save_overwrites_it(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "white-on-black"')  # broken while seesay ran (another program, a bad edit)
    notices = config.save_changes(settings.defaults(), {**settings.defaults(), "rate": 220}, path)
    (backup,) = backups(tmp_path)
    assert backup.read_text() == '{"theme": "white-on-black"'
    assert len(notices) == 1 and str(backup) in notices[0]
    assert json.loads(path.read_text()) == {"rate": 220}


def load_obeying_permissions(path) -> tuple[dict, list[str]]:
    """``config.load_saved`` in a process that obeys file permissions, even when the tests run as
    root (without the two capabilities that let root read anything)."""
    code = "import json, sys; from seesay.core import config; print(json.dumps(config.load_saved(config.Path(sys.argv[1]))))"
    command = [sys.executable, "-c", code, str(path)]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("setpriv is needed to make root obey file permissions")
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": SOURCE})
    assert done.returncode == 0, done.stderr
    return tuple(json.loads(done.stdout))


def test_a_settings_file_that_cannot_be_read_is_moved_aside_not_overwritten(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"rate": 300}))
    path.chmod(0)
    values, (problem,) = load_obeying_permissions(path)
    (backup,) = backups(tmp_path)
    assert values == {} and "PermissionError" in problem and str(backup) in problem
    backup.chmod(0o600)
    assert json.loads(backup.read_text()) == {"rate": 300}


def test_a_settings_file_that_is_a_fifo_or_a_folder_gives_the_defaults_at_once(tmp_path):
    fifo = tmp_path / "settings.json"
    os.mkfifo(fifo)
    result = []
    reader = threading.Thread(target=lambda: result.append(config.load_saved(fifo)), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the blocked reader go
        pytest.fail("reading a FIFO settings file blocked")
    ((values, (problem,)),) = result
    assert values == {} and "named pipe" in problem and "the defaults are used" in problem
    folder = tmp_path / "other" / "settings.json"
    folder.mkdir(parents=True)
    values, (problem,) = config.load_saved(folder)
    assert values == {} and "folder" in problem


def test_settings_are_written_private_and_atomically(tmp_path):
    path = tmp_path / "new" / "settings.json"
    config.save_changes(settings.defaults(), {**settings.defaults(), "font_size": 40}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    path.chmod(0o644)
    config.save_changes(settings.defaults(), {**settings.defaults(), "font_size": 44}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # no temporary file left


def test_a_symlinked_settings_file_stays_a_link_and_its_target_is_written(tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "seesay.json"
    target.write_text(json.dumps({"theme": "white-on-black"}))
    link = tmp_path / "config" / "settings.json"
    link.parent.mkdir()
    link.symlink_to(target)
    config.save_changes(settings.defaults(), {**settings.defaults(), "rate": 250}, link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text()) == {"theme": "white-on-black", "rate": 250}


def test_only_the_changed_keys_are_written_over_what_is_in_the_file_now(tmp_path):
    """Two seesays: each writes only what its person changed, over the file as it is now."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"voice": "en", "from_a_newer_version": 1}))
    started_with = settings.resolve({"rate": 400, "speech_output": "silent"}, config.load_saved(path)[0])
    path.write_text(json.dumps({"voice": "en", "from_a_newer_version": 1, "theme": "system"}))  # the other one
    config.save_changes(started_with, {**started_with, "font_size": 50}, path)
    assert json.loads(path.read_text()) == {"voice": "en", "from_a_newer_version": 1, "theme": "system",
                                            "font_size": 50}


def test_a_model_or_folder_given_as_a_relative_path_is_saved_absolute(tmp_path, monkeypatch):
    """Typed in Settings as 'models/my-blip' while seesay ran in one folder, it must still be found at
    the next start from another folder; hub ids and the short names (base, vqa) stay as typed."""
    work = tmp_path / "work"
    (work / "models" / "my-blip").mkdir(parents=True)
    monkeypatch.chdir(work)
    path = tmp_path / "settings.json"
    changed = {"model": "models/my-blip", "speech_dir": "./talk", "model_dir": "~/seesay-models",
               "itm_model": "Salesforce/blip-itm-large-coco", "vqa_model": "base", "translation_model": ""}
    config.save_changes(settings.defaults(), {**settings.defaults(), **changed}, path)
    saved = json.loads(path.read_text())
    assert saved["model"] == str(work / "models" / "my-blip")
    assert saved["speech_dir"] == str(work / "talk")
    assert saved["model_dir"] == str(Path("~/seesay-models").expanduser())
    assert saved["itm_model"] == "Salesforce/blip-itm-large-coco" and saved["vqa_model"] == "base"
    assert "translation_model" not in saved  # unchanged (empty): not written
