#!/usr/bin/env bash
# Writes the pathological inputs of issue 14 to a temporary folder and reads
# each one with the ingest probe under /usr/bin/time, printing wall time,
# CPU time and peak memory. Usage:
#   crates/ingest/scripts/measure-pathological.sh [PROBE_BINARY]
# PROBE_BINARY defaults to the release build of the ingest_probe example
# (built if missing); pass an older build to compare. TIMEOUT (seconds,
# default 60) bounds each read.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
probe="${1:-$target/release/examples/ingest_probe}"
if [[ $# -eq 0 ]]; then
  (cd "$root" && cargo build --release -q -p dossier-ingest --example ingest_probe)
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$probe" gen "$dir"
measure() { # mode, path
  /usr/bin/time -f "  %e s wall, %U s user, %S s sys, %M KB peak" \
    timeout "${TIMEOUT:-60}" "$probe" "$1" "$2" 2>&1 | sed 's/^/  /' || echo "  (exit $?)"
}
for f in "$dir"/*; do
  echo "== read $(basename "$f" | cat -v)"
  measure read "$f"
done
echo "== stream many-lines.jsonl.gz"
measure stream "$dir/many-lines.jsonl.gz"
echo "== read /dev/zero"
measure read /dev/zero
