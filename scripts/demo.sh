#!/usr/bin/env bash
# Sets up Dossier and runs it on the sample corpus: builds the release
# binary, fetches the language model, builds demo.db from examples/corpus
# and prints what it found.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
"$root/scripts/fetch-model.sh"
cargo build --release --locked --quiet -p dossier
bin="$CARGO_TARGET_DIR/release/dossier"
db=${DOSSIER_DB:-$root/demo.db}
echo "== dossier build examples/corpus --db $db"
"$bin" build examples/corpus --db "$db"
echo
echo "== dossier stats --db $db"
"$bin" stats --db "$db"
echo
echo "== dossier who al-Tunisi --db $db   (three different men share this name)"
"$bin" who al-Tunisi --db "$db"
echo
echo "Next: $bin show ID --db $db, $bin timeline --db $db, $bin serve --db $db,"
echo "      $bin export --db $db --format json"
