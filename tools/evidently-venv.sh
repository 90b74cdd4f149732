#!/usr/bin/env bash
# Creates, once, the Python virtualenv with the pinned Evidently (tools/evidently-requirements.txt)
# that EvidentlyDriftIT runs DataDriftPreset in (Evidently 0.7 needs pandas < 3, so not the MLflow
# venv). Re-creates it when the requirements change. Usage: tools/evidently-venv.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/python-venv.sh" "$here/evidently-requirements.txt" "${1:?usage: tools/evidently-venv.sh DIR}"
