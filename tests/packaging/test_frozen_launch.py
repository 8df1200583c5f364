"""How a bundled (PyInstaller) seesay names itself for the menu entry, autostart and the Windows
Run value: its own program, not ``<program> -m seesay``. Fast; needs no bundle."""

from __future__ import annotations

import sys

from seesay import desktop_integration


def test_a_bundle_starts_itself(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/seesay/seesay")
    monkeypatch.setattr(sys, "platform", "linux")

    assert desktop_integration.launch_command() == "/opt/seesay/seesay"
    assert "Exec=/opt/seesay/seesay\n" in desktop_integration.desktop_entry()


def test_the_windows_run_value_matches_the_installer(monkeypatch):
    """packaging/windows/seesay.iss writes the same value: "{app}\\seesay.exe" in double quotes."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", r"C:\Users\Ann Lee\AppData\Local\Programs\seesay\seesay.exe")
    monkeypatch.setattr(sys, "platform", "win32")

    assert desktop_integration.launch_command() == r'"C:\Users\Ann Lee\AppData\Local\Programs\seesay\seesay.exe"'


def test_the_console_program_starts_the_windowed_one_at_login(monkeypatch, tmp_path):
    """On Windows the bundle has seesay.exe (no console) and seesay-cli.exe: login starts the first."""
    (tmp_path / "seesay.exe").write_bytes(b"")
    (tmp_path / "seesay-cli.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "seesay-cli.exe"))
    monkeypatch.setattr(sys, "platform", "win32")

    assert desktop_integration.launch_command() == f'"{tmp_path / "seesay.exe"}"'
