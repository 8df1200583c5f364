"""The system packages set-up asks for, on distributions that renamed some (Debian 13 and Ubuntu
24.04 call libglib2.0-0 "libglib2.0-0t64"): a package is there when any of its names is installed,
and the name this system's apt knows is the one installed. Run with stand-ins for dpkg-query and
apt-cache that answer from lists, so any distribution can be played."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "missing-packages.sh"


def missing(tmp_path: Path, listed: str, installed: set[str], known: set[str]) -> list[str]:
    tools = tmp_path / "bin"
    tools.mkdir(exist_ok=True)
    (tools / "dpkg-query").write_text("#!/bin/sh\nfor p in " + " ".join(sorted(installed) or ["-"]) + "; do\n"
                                      '  [ "$p" = "$3" ] && { echo "install ok installed"; exit 0; }\ndone\nexit 1\n')
    (tools / "apt-cache").write_text("#!/bin/sh\nfor p in " + " ".join(sorted(known) or ["-"]) + "; do\n"
                                     '  [ "$p" = "$2" ] && exit 0\ndone\nexit 100\n')
    for tool in tools.iterdir():
        tool.chmod(0o755)
    (tmp_path / "packages.txt").write_text(listed)
    result = subprocess.run(["bash", str(SCRIPT), str(tmp_path / "packages.txt")], capture_output=True, text=True,
                            env={**os.environ, "PATH": f"{tools}:{os.environ['PATH']}"}, timeout=60, check=True)
    return result.stdout.split()


LISTED = "# a comment\nxterm\nlibglib2.0-0t64 | libglib2.0-0   # renamed in Debian 13\n\nzenity\n"


def test_an_old_name_installed_counts_for_a_renamed_package(tmp_path):
    assert missing(tmp_path, LISTED, {"xterm", "libglib2.0-0", "zenity"}, {"libglib2.0-0"}) == []


def test_a_new_name_installed_counts_too(tmp_path):
    assert missing(tmp_path, LISTED, {"xterm", "libglib2.0-0t64", "zenity"}, {"libglib2.0-0t64"}) == []


def test_the_name_this_systems_apt_knows_is_asked_for(tmp_path):
    assert missing(tmp_path, LISTED, {"xterm"}, {"libglib2.0-0", "zenity"}) == ["libglib2.0-0", "zenity"]  # Debian 12
    assert missing(tmp_path, LISTED, {"xterm"}, {"libglib2.0-0t64", "zenity"}) == ["libglib2.0-0t64", "zenity"]


def test_the_projects_own_list_is_read_on_this_machine():
    """Every package of scripts/apt-packages.txt is installed here (set-up ran): none is missing."""
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.split() == [], result.stdout


def test_set_up_without_a_reachable_package_index_says_to_check_the_connection(tmp_path):
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "dpkg-query").write_text('#!/bin/sh\necho "install ok installed"\n')  # every system package there
    (tools / "dpkg-query").chmod(0o755)
    env = {name: value for name, value in os.environ.items() if not name.startswith("PIP_")}
    env.update(PATH=f"{tools}:{os.environ['PATH']}", VENV=str(tmp_path / "venv"), TORCH_INDEX="",
               PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL="http://127.0.0.1:9/simple", PIP_RETRIES="0",
               PIP_TIMEOUT="2")  # a machine offline, without this one's wheel folder
    result = subprocess.run(["bash", str(SCRIPT.with_name("setup.sh"))], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 1
    assert result.stderr.rstrip().splitlines()[-1].startswith(
        "seesay setup: torch==2.13.0 could not be installed (pip says why above). \"from versions: none\" means "
        "pip reached no package index: check that this computer is online"), result.stderr
