#!/usr/bin/env bash
# Creates, once, the Python virtualenv with the pinned Evidently (tools/evidently-requirements.txt)
# that EvidentlyDriftIT runs DataDriftPreset in. Re-creates it when the requirements change.
# Usage: tools/evidently-venv.sh DIR
set -euo pipefail
venv=${1:?usage: tools/evidently-venv.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
requirements="$here/evidently-requirements.txt"
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "evidently-venv: python3 is not installed; install Python 3.10+ (or skip the integration tests with -DskipITs)" >&2
  exit 2
fi
echo "evidently-venv: installing $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check --quiet -r "$requirements"
echo "$wanted" > "$stamp"
