#!/usr/bin/env bash
# Print the system packages of scripts/apt-packages.txt (or the file given) that are not installed,
# one per line. A line may name alternatives, "libglib2.0-0t64 | libglib2.0-0": a library renamed
# by a distribution (Debian 13 and Ubuntu 24.04 add "t64"). It is there when any alternative is
# installed; when none is, the first one this system's apt knows is printed.
set -euo pipefail
list=${1:-"$(dirname "$0")/apt-packages.txt"}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
known() { apt-cache show "$1" >/dev/null 2>&1; }
while IFS= read -r line; do
    line=${line%%#*}
    [[ -z "${line// /}" ]] && continue
    IFS='|' read -ra choices <<< "$line"
    names=()
    for choice in "${choices[@]}"; do
        choice=$(echo "$choice" | xargs)
        [[ -n "$choice" ]] && names+=("$choice")
    done
    found=""
    for name in "${names[@]}"; do
        if installed "$name"; then found=yes; break; fi
    done
    [[ -n "$found" ]] && continue
    pick=${names[0]}
    if ((${#names[@]} > 1)); then
        for name in "${names[@]}"; do
            if known "$name"; then pick=$name; break; fi
        done
    fi
    echo "$pick"
done < "$list"
