#!/usr/bin/env bash
# Creates, once, a Python virtualenv with pinned requirements; re-creates it when they change (a
# stamp of their SHA-256 in the venv). The MLflow venv (tools/mlflow-venv.sh) and the Evidently
# venv (tools/evidently-venv.sh) are made by this one script.
# Usage: tools/python-venv.sh [--check] REQUIREMENTS DIR [PROGRAM]
#   PROGRAM: the venv's program that must exist for it to count as made (default python).
#   --check: creates nothing; exit 0 when DIR is up to date, 1 when it would be (re)created.
set -euo pipefail
check=
if [ "${1:-}" = --check ]; then check=1; shift; fi
requirements=${1:?usage: tools/python-venv.sh [--check] REQUIREMENTS DIR}
venv=${2:?usage: tools/python-venv.sh [--check] REQUIREMENTS DIR [PROGRAM]}
program=${3:-python}
name=${venv%/}; name=${name##*/}
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/$program" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
[ -z "$check" ] || exit 1
if ! command -v python3 >/dev/null 2>&1; then
  echo "$name: python3 is not installed; install Python 3.10+ with venv (tools/setup.sh does, or says what to run)" >&2
  exit 2
fi
echo "$name: installing $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv (once)" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check --quiet -r "$requirements"
echo "$wanted" > "$stamp"
