#!/usr/bin/env bash
# Creates, once, the Python virtualenv with the pinned DVC (tools/dvc-requirements.txt) that
# DvcLineageIT and examples/ci-pipeline.sh's DVC check run `dvc` from. Re-creates it when the
# requirements change. Usage: tools/dvc-venv.sh [--check] DIR
#   --check: creates nothing; exit 0 when DIR is up to date, 1 when it would be (re)created.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check=()
if [ "${1:-}" = --check ]; then check=(--check); shift; fi
exec bash "$here/python-venv.sh" "${check[@]}" "$here/dvc-requirements.txt" "${1:?usage: tools/dvc-venv.sh [--check] DIR}" dvc
