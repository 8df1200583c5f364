"""Desktop files valid under the real validators; menu entry, icons and XDG autostart for this user."""

from __future__ import annotations

import subprocess

from seesay.desktop_integration import APP_ID, autostart_enabled, install_menu_entry, resource, set_autostart



def validate(command: list[str]) -> subprocess.CompletedProcess:
    """The real validators (desktop-file-utils, appstream: installed by scripts/setup.sh)."""
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_packaged_desktop_file_and_metainfo_pass_their_validators():
    result = validate(["desktop-file-validate", str(resource(f"{APP_ID}.desktop"))])
    assert result.returncode == 0, result.stdout + result.stderr
    result = validate(["appstreamcli", "validate", "--no-net", str(resource(f"{APP_ID}.metainfo.xml"))])
    assert result.returncode == 0, result.stdout + result.stderr


def test_menu_entry_and_icons_are_installed_for_the_user(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    written = install_menu_entry()
    entry = tmp_path / "data" / "applications" / f"{APP_ID}.desktop"
    assert entry in written
    assert validate(["desktop-file-validate", str(entry)]).returncode == 0
    assert "seesay" in next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    for size in (16, 48, 256):
        assert (tmp_path / "data" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


def test_autostart_entry_is_added_and_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    set_autostart(True)
    entry = tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"
    assert autostart_enabled() and entry.is_file()
    assert validate(["desktop-file-validate", str(entry)]).returncode == 0
    set_autostart(False)
    assert not autostart_enabled() and not entry.exists()
