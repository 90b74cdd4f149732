#!/usr/bin/env bash
# Creates, once, the Python virtualenv with the pinned MLflow (tools/requirements.txt) that the
# integration tests and the example pipeline start `mlflow server` from. Re-creates it when the
# requirements change (about 860 MB, downloaded from the Python package index once).
# Usage: tools/mlflow-venv.sh [--check] DIR
#   --check: creates nothing; exit 0 when DIR is up to date, 1 when it would be (re)created.
set -euo pipefail
check=
if [ "${1:-}" = --check ]; then check=1; shift; fi
venv=${1:?usage: tools/mlflow-venv.sh [--check] DIR}
here=$(cd "$(dirname "$0")" && pwd)
requirements="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/mlflow" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
[ -z "$check" ] || exit 1
if ! command -v python3 >/dev/null 2>&1; then
  echo "mlflow-venv: python3 is not installed; install Python 3.10+ with venv (tools/setup.sh does, or says what to run)" >&2
  exit 2
fi
echo "mlflow-venv: installing $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv (about 860 MB, once)" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check --quiet -r "$requirements"
echo "$wanted" > "$stamp"
