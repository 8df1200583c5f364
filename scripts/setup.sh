#!/usr/bin/env bash
# Set up everything seesay needs on a Debian/Ubuntu machine: system packages (installed when run
# as root, otherwise the exact apt command is printed) and a virtual environment in $VENV.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
EXTRAS=${EXTRAS:-test,bundle}  # bundle: PyInstaller, for make bundle and tests/packaging

mapfile -t packages < <(grep -v '^\s*#' scripts/apt-packages.txt | grep -v '^\s*$')
if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if ((${#missing[@]})); then
        if [ "$(id -u)" = 0 ]; then
            echo "seesay setup: installing system packages: ${missing[*]}"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        else
            echo "seesay setup: these system packages are missing. Install them with:" >&2
            echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
            echo "then run this command again." >&2
            exit 1
        fi
    fi
else
    echo "seesay setup: not a Debian/Ubuntu system; install the equivalents of scripts/apt-packages.txt yourself." >&2
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "seesay setup: creating the virtual environment $VENV"
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build on Linux.
"$VENV/bin/python" -m pip install -q "$TORCH_SPEC"
"$VENV/bin/python" -m pip install -q -e ".[${EXTRAS}]"
echo "seesay setup: ready ($("$VENV/bin/seesay" --version))"
