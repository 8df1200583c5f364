#!/usr/bin/env bash
# Set up everything seesay needs on a Debian/Ubuntu machine: system packages (installed when run
# as root, otherwise the exact apt command is printed) and a virtual environment in $VENV.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
# bundle: PyInstaller, for make bundle and tests/packaging; cluster: Ray, for seesay describe --ray and its tests
EXTRAS=${EXTRAS:-test,bundle,cluster}

if command -v dpkg-query >/dev/null 2>&1; then
    # lines may name alternatives (a library Debian 13 and Ubuntu 24.04 renamed with "t64")
    mapfile -t missing < <(bash scripts/missing-packages.sh scripts/apt-packages.txt)
    if ((${#missing[@]})) && [ "$(id -u)" = 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        # a fresh machine may be running apt itself (its own updates): wait for it, up to 10 minutes
        wait_lock=(-o DPkg::Lock::Timeout=600)
        apt_errors=$(mktemp)
        for _ in $(seq 60); do  # apt-get update does not wait for the lock of the package lists
            if apt-get "${wait_lock[@]}" update -qq 2>"$apt_errors"; then break; fi
            grep -q "Could not get lock" "$apt_errors" || { cat "$apt_errors" >&2; exit 1; }
            sleep 10
        done
        rm -f "$apt_errors"
        mapfile -t missing < <(bash scripts/missing-packages.sh scripts/apt-packages.txt)  # now apt knows the names
        echo "seesay setup: installing system packages: ${missing[*]}"
        apt-get "${wait_lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    elif ((${#missing[@]})); then
        echo "seesay setup: these system packages are missing. Install them with:" >&2
        echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
        echo "then run this command again." >&2
        exit 1
    fi
else
    echo "seesay setup: not a Debian/Ubuntu system; install the equivalents of scripts/apt-packages.txt yourself." >&2
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "seesay setup: creating the virtual environment $VENV"
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch first and pinned. On Linux, PyPI's torch is the CUDA build (several GB with its nvidia
# wheels): without an NVIDIA GPU the CPU build comes from PyTorch's own index, and from the default
# index when that cannot be reached. TORCH_INDEX chooses (empty: the default index).
if [ -z "${TORCH_INDEX+set}" ]; then
    if command -v nvidia-smi >/dev/null 2>&1 || [ -e /proc/driver/nvidia/version ]; then
        TORCH_INDEX=""
        echo "seesay setup: an NVIDIA GPU is here: installing PyTorch's CUDA build" \
             "(TORCH_INDEX=https://download.pytorch.org/whl/cpu gives the CPU build)"
    else
        TORCH_INDEX=https://download.pytorch.org/whl/cpu
    fi
fi
# pip's own words when no package index can be reached ("No matching distribution found ... (from
# versions: none)") read as if the version did not exist: say what they more likely mean.
unreachable() {
    echo "seesay setup: $1 could not be installed (pip says why above). \"from versions: none\" means pip" \
         "reached no package index: check that this computer is online (behind a proxy that re-signs" \
         "HTTPS, give pip its certificate: PIP_CERT=/path/to/ca.pem), then run this command again." >&2
    exit 1
}
if [ -n "$TORCH_INDEX" ]; then
    "$VENV/bin/python" -m pip install -q --index-url "$TORCH_INDEX" --timeout 20 --retries 1 "$TORCH_SPEC" || {
        echo "seesay setup: $TORCH_INDEX could not be reached; installing $TORCH_SPEC from the default index" \
             "(on Linux without an NVIDIA GPU, set TORCH_INDEX to a mirror of PyTorch's CPU index)" >&2
        "$VENV/bin/python" -m pip install -q "$TORCH_SPEC" || unreachable "$TORCH_SPEC"
    }
else
    "$VENV/bin/python" -m pip install -q "$TORCH_SPEC" || unreachable "$TORCH_SPEC"
fi
"$VENV/bin/python" -m pip install -q -e ".[${EXTRAS}]" || unreachable "seesay's Python packages"
echo "seesay setup: ready ($("$VENV/bin/seesay" --version))"
