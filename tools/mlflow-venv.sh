#!/usr/bin/env bash
# Creates, once, the Python virtualenv with the pinned MLflow (tools/requirements.txt) that the
# integration tests and the example pipeline start `mlflow server` from. Re-creates it when the
# requirements change (about 860 MB, downloaded from the Python package index once).
# Usage: tools/mlflow-venv.sh [--check] DIR
#   --check: creates nothing; exit 0 when DIR is up to date, 1 when it would be (re)created.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check=()
if [ "${1:-}" = --check ]; then check=(--check); shift; fi
exec bash "$here/python-venv.sh" "${check[@]}" "$here/requirements.txt" "${1:?usage: tools/mlflow-venv.sh [--check] DIR}" mlflow
