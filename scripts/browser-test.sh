#!/usr/bin/env bash
# End-to-end test of the `dossier serve` web UI in real headless Chromium.
#
# Installs what it needs on a fresh machine (Debian's chromium, the npm test
# dependencies), builds the release binary, then runs the analyst's flow
# (crates/serve/browser-tests/flow.test.mjs):
#   1. against the fictional fixture export, with exact expectations;
#   2. against a knowledge base built from examples/corpus with
#      `dossier build`, with structural expectations (skipped when the build
#      yields no entity named in DOSSIER_CORPUS_NAME).
# Screenshots of every page go to $SCREENSHOT_DIR (printed at the end).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
shots=${SCREENSHOT_DIR:-$CARGO_TARGET_DIR/browser-screenshots}
corpus_name=${DOSSIER_CORPUS_NAME:-al-Tunisi}
tests="$root/crates/serve/browser-tests"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "installing Debian's chromium"
  apt_install chromium
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "installing node and npm"
  apt_install nodejs npm
fi
"$chromium" --version || true

echo "npm ci in $tests"
(cd "$tests" && npm ci --no-audit --no-fund --loglevel=error)

echo "building the dossier binary"
cargo build --release -p dossier
bin="$CARGO_TARGET_DIR/release/dossier"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$shots"

run_flow() {
  local expect=$1 name=$2 args=$3 dir=$4
  echo
  echo "=== browser flow: $expect (search \"$name\")"
  (cd "$tests" && DOSSIER_BIN="$bin" DOSSIER_SERVE_ARGS="$args" DOSSIER_EXPECT="$expect" \
    DOSSIER_NAME="$name" SCREENSHOT_DIR="$dir" CHROMIUM="$chromium" \
    node --test --test-reporter=spec --test-concurrency=1 flow.test.mjs)
}

run_flow fixture al-Halabi "[\"--export\", \"$root/crates/serve/tests/fixtures/kb.json\"]" "$shots/fixture"

# The sample corpus, through the real pipeline.
if "$root/scripts/fetch-model.sh" >/dev/null 2>&1; then
  "$bin" build examples/corpus --db "$work/sample.db" >/dev/null
  "$bin" export --db "$work/sample.db" --format json -o "$work/sample.json"
  found=$(node -e '
    const x = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const key = process.argv[2].toLowerCase().replace(/^al-/, "");
    console.log(x.entities.filter(e => [e.name, ...e.aliases].some(n => n.toLowerCase().includes(key))).length);
  ' "$work/sample.json" "$corpus_name")
  if [ "$found" -ge 2 ]; then
    run_flow corpus "$corpus_name" "[\"--db\", \"$work/sample.db\"]" "$shots/corpus"
  else
    echo "examples/corpus yields $found entities named like \"$corpus_name\": corpus flow skipped"
  fi
else
  echo "language model unavailable (scripts/fetch-model.sh failed): corpus flow skipped"
fi

echo
echo "screenshots: $shots"
