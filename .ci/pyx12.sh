#!/usr/bin/env bash
# The X12 validator the 837P tests run (tests/edi_pyx12.rs): pyx12 4.0.0 in a private venv
# at target/pyx12-venv, made once and reused. Safe to run again: it installs only what is
# missing, quietly. Prints where the venv is.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="$PWD/target/pyx12-venv"
version="4.0.0"

if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    if ! python3 -m venv "$venv"; then
        rm -rf "$venv"
        echo "cannot make a Python venv (on Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
fi
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('pyx12') != '$version')" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pyx12==$version"
fi
echo "pyx12 $version: $venv"
