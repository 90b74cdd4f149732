#!/usr/bin/env bash
# Creates, once, the Python virtualenv with the pinned pyspark (tools/spark-requirements.txt) whose
# Spark the Spark Connect integration tests start as a local server on loopback (docs/tables.md).
# Re-creates it when the requirements change. Usage: tools/spark-venv.sh [--check] DIR
#   --check: creates nothing; exit 0 when DIR is up to date, 1 when it would be (re)created.
# The Spark home is then DIR/lib/python3.*/site-packages/pyspark (tools/spark-home.sh DIR prints it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check=()
if [ "${1:-}" = --check ]; then check=(--check); shift; fi
exec bash "$here/python-venv.sh" "${check[@]}" "$here/spark-requirements.txt" "${1:?usage: tools/spark-venv.sh [--check] DIR}" spark-submit
