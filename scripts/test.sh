#!/usr/bin/env bash
# The whole test suite: unit, integration and end-to-end tests, plus the
# parity check of the native language pipeline against Python spaCy.
# Sets up what it needs (model, reference Python env) on a fresh machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
"$root/scripts/fetch-model.sh"
export DOSSIER_MODEL=${DOSSIER_MODEL:-$root/models/en_core_web_sm}
python=$("$root/scripts/python-env.sh")
export DOSSIER_PYTHON=$python
cargo test --workspace --release --locked
# Parity of the native language pipeline with Python spaCy on the sample
# corpus, the seeds and documents from ../shared/data (fails below target).
"$CARGO_TARGET_DIR/release/dossier" eval parity --python "$python"
