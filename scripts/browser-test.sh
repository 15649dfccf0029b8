#!/usr/bin/env bash
# End-to-end test of the `dossier serve` web UI in real headless Chromium.
#
# Installs what it needs on a fresh machine (Debian's chromium, the npm test
# dependencies, the language model), builds the release binary, builds a
# knowledge base from examples/corpus with `dossier build`, then runs the
# analyst's flow over it (crates/serve/browser-tests/flow.test.mjs).
# Screenshots of every page go to $SCREENSHOT_DIR (printed at the end).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
shots=${SCREENSHOT_DIR:-$CARGO_TARGET_DIR/browser-screenshots}
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

if ! "$root/scripts/fetch-model.sh"; then
  echo "error: the language model is needed to build the test knowledge base (scripts/fetch-model.sh failed)" >&2
  exit 1
fi
echo "building the knowledge base from examples/corpus"
"$bin" build examples/corpus --db "$work/sample.db"
# A fictional one-entry list (the sample corpus is fictional too), so the
# entity page has a sanctions match to show.
"$bin" screen --db "$work/sample.db" --list "ftm:$tests/sanctions.ftm.jsonl"

echo
echo "=== browser flow over examples/corpus"
(cd "$tests" && DOSSIER_BIN="$bin" DOSSIER_DB="$work/sample.db" SCREENSHOT_DIR="$shots" \
  CHROMIUM="$chromium" node --test --test-reporter=spec --test-concurrency=1 flow.test.mjs)

echo
echo "screenshots: $shots"
