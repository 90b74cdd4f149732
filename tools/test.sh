#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing (tools/setup.sh: Debian
# packages when run as root, else the exact apt-get line and exit 2; the pinned MLflow virtualenv),
# then runs `mvn -B verify` with any extra arguments. Without arguments (all tests) it then rehearses the
# release packaging too: tools/release-check.sh (about 20 s; README, "Releasing").
# Usage: tools/test.sh [--check] [MAVEN ARGUMENTS...]   e.g. tools/test.sh -DskipITs
#   -DskipITs or -DskipTests: the unit tests only, which need no nginx, Prometheus or Chromium.
#   --check: installs and runs nothing; says what is missing and the Maven command it would run.
# MLSTAGES_NGINX, MLSTAGES_PROMETHEUS, MLSTAGES_CHROMIUM, MLSTAGES_CHROMEDRIVER name binaries outside
# the Debian paths; they are passed to the tests as -Dmlstages.nginx and so on.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
check=()
if [ "${1:-}" = --check ]; then check=(--check); shift; fi
purpose=test
for arg in "$@"; do
  case $arg in -DskipITs | -DskipITs=true | -DskipTests | -DskipTests=true) purpose=unit ;; esac
done
maven=(mvn -B verify)
for pair in nginx:MLSTAGES_NGINX prometheus:MLSTAGES_PROMETHEUS chromium:MLSTAGES_CHROMIUM chromedriver:MLSTAGES_CHROMEDRIVER; do
  variable=${pair#*:}
  value=${!variable:-}
  [ -z "$value" ] || maven+=("-Dmlstages.${pair%%:*}=$value")
done
maven+=("$@")

if [ ${#check[@]} -gt 0 ]; then
  set +e
  bash tools/setup.sh --check "$purpose"
  code=$?
  set -e
  echo "test: would run: ${maven[*]}" >&2
  [ $# -gt 0 ] || echo "test: would run: bash tools/release-check.sh" >&2
  exit "$code"
fi
bash tools/setup.sh "$purpose"
echo "== ${maven[*]}" >&2
if [ $# -gt 0 ]; then exec "${maven[@]}"; fi
"${maven[@]}"
echo "== bash tools/release-check.sh" >&2
exec bash tools/release-check.sh
