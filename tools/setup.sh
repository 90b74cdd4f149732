#!/usr/bin/env bash
# Installs what the README's two commands need on a fresh machine, or says exactly what to run.
# Used by tools/test.sh (the test command) and examples/run-pipeline.sh (the main command).
# Usage: tools/setup.sh [--check] test|unit|pipeline
#   test      for `mvn -B verify`: a JDK 17+, Maven, Python 3.10+ with venv, nginx, Prometheus,
#             Chromium and chromedriver, npm, the PostgreSQL server, then the pinned MLflow virtualenv
#   unit      for `mvn -B verify -DskipITs`: a JDK 17+, Maven, Python 3.10+ with venv, the virtualenv
#             (ParquetReaderTest writes its files with the virtualenv's pyarrow)
#   pipeline  for examples/run-pipeline.sh: a JDK 17+ and Maven (to build the CLI), Python 3.10+
#             with venv, curl, pgrep, nginx, Prometheus, then the virtualenv
# Missing Debian packages are installed with apt-get when this runs as root (apt-get update first,
# and only when something is missing; apt's output goes to target/setup/apt.log). Otherwise it
# prints the exact apt-get line to run and exits 2. Then tools/mlflow-venv.sh creates
# target/mlflow-venv (about 860 MB, the first time only).
#   --check   installs nothing: prints what is missing and what it would run.
# Exit 0 ready (--check: nothing missing), 2 something is missing that it may not or cannot install
# (--check: something is missing), 3 apt-get or the virtualenv failed.
# The tests and the canary find nginx, Prometheus, Chromium and chromedriver at the Debian paths;
# MLSTAGES_NGINX, MLSTAGES_PROMETHEUS, MLSTAGES_CHROMIUM and MLSTAGES_CHROMEDRIVER name binaries
# elsewhere (e.g. without root), and tools/test.sh passes them on to the tests. The PostgreSQL tests start
# their own cluster with the newest /usr/lib/postgresql/VERSION/bin (Debian's postgresql), or $MLSTAGES_PG_BIN.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
check=
if [ "${1:-}" = --check ]; then check=1; shift; fi
purpose=${1:-}
case $purpose in
  test) for_what="mvn -B verify (tools/test.sh)" ;;
  unit) for_what="mvn -B verify -DskipITs (tools/test.sh -DskipITs)" ;;
  pipeline) for_what="examples/run-pipeline.sh" ;;
  *) echo "usage: tools/setup.sh [--check] test|unit|pipeline" >&2; exit 2 ;;
esac
say() { echo "setup: $*" >&2; }

major() { sed -n 's/^[^0-9]*\([0-9][0-9]*\)[.0-9]*.*$/\1/p' | head -n 1; }
need() { # PACKAGE WHAT
  missing+=("$2")
  case " ${packages[*]} " in *" $1 "*) ;; *) packages+=("$1") ;; esac
}
binary() { # PATH PACKAGE WHAT: a binary the tests or the canary run at PATH
  [ -x "$1" ] || need "$2" "$3 ($1)"
}
pg_bin() { # where the PostgreSQL server's binaries are: $MLSTAGES_PG_BIN, else Debian's newest
  if [ -n "${MLSTAGES_PG_BIN:-}" ]; then echo "$MLSTAGES_PG_BIN"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  echo "${dir:-/usr/lib/postgresql/VERSION/bin}"
}
detect() { # fills packages (Debian packages to install, each once), missing (what, as said) and python_too_old
  packages=()
  missing=()
  python_too_old=
  if [ "$purpose" = pipeline ] && [ -f "$root/cli/target/mlstages.jar" ]; then
    # The CLI is built: running it needs java only, and no Maven.
    { command -v java >/dev/null 2>&1 && [ "$(java -version 2>&1 | major)" -ge 17 ] 2>/dev/null; } ||
      need default-jdk-headless "Java 17+ (java)"
  else
    # javac stands for the JDK: the package that brings it brings java too
    { command -v javac >/dev/null 2>&1 && [ "$(javac -version 2>&1 | major)" -ge 17 ] 2>/dev/null; } ||
      need default-jdk-headless "a JDK 17+ (javac)"
    command -v mvn >/dev/null 2>&1 || need maven "Maven (mvn)"
  fi
  if ! command -v python3 >/dev/null 2>&1; then
    need python3 "Python 3 (python3)"
    need python3-venv "Python's venv module"
  else
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || python_too_old=$(python3 --version 2>&1 || echo "this python3")
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need python3-venv "Python's venv module (python3 -m venv)"
  fi
  if [ "$purpose" = test ] || [ "$purpose" = pipeline ]; then
    binary "${MLSTAGES_NGINX:-/usr/sbin/nginx}" nginx-light nginx
    binary "${MLSTAGES_PROMETHEUS:-/usr/bin/prometheus}" prometheus Prometheus
  fi
  if [ "$purpose" = test ]; then
    binary "${MLSTAGES_CHROMIUM:-/usr/bin/chromium}" chromium Chromium
    binary "${MLSTAGES_CHROMEDRIVER:-/usr/bin/chromedriver}" chromium-driver chromedriver
    # ReportMarkdownIT renders the Markdown summary with npm's marked (tools/markdown-renderer.sh installs it)
    command -v npm >/dev/null 2>&1 || need npm "npm"
    # TablePostgresIT and ValidateTableIT start a throwaway PostgreSQL cluster on loopback (docs/tables.md)
    binary "$(pg_bin)/initdb" postgresql "the PostgreSQL server"
  fi
  if [ "$purpose" = pipeline ]; then
    command -v curl >/dev/null 2>&1 || need curl "curl"
    command -v pgrep >/dev/null 2>&1 || need procps "pgrep"
  fi
  return 0
}
listed() { local IFS=';'; echo "${missing[*]}" | sed 's/;/, /g'; }
detect

venv="$root/target/mlflow-venv"
venv_ready=
bash "$root/tools/mlflow-venv.sh" --check "$venv" && venv_ready=1

install_line="apt-get update && apt-get install -y ${packages[*]}"
if [ -n "$check" ]; then
  if [ ${#missing[@]} -eq 0 ]; then say "for $for_what: nothing missing"; else say "for $for_what: missing $(listed)"; fi
  [ ${#packages[@]} -eq 0 ] || say "would run as root: $install_line"
  [ -z "$python_too_old" ] || say "$python_too_old is too old: the pinned MLflow needs Python 3.10+"
  if [ -n "$venv_ready" ]; then say "virtualenv $venv: up to date"; else say "would create the virtualenv $venv (tools/mlflow-venv.sh, about 860 MB)"; fi
  [ ${#missing[@]} -eq 0 ] && [ -z "$python_too_old" ] && [ -n "$venv_ready" ] && exit 0
  exit 2
fi

if [ ${#packages[@]} -gt 0 ]; then
  say "for $for_what: missing $(listed)"
  if ! command -v apt-get >/dev/null 2>&1; then
    say "this is not a Debian-like system (no apt-get): install them with your package manager, then run this again"
    exit 2
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "not root, so nothing was installed; run as root (e.g. with sudo), then run this again:"
    echo "  sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 2
  fi
  mkdir -p "$root/target/setup"
  log="$root/target/setup/apt.log"
  say "installing Debian packages ${packages[*]} (log: $log)"
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    say "apt-get failed; the lines above are the end of $log"
    exit 3
  fi
  # Installed is not enough: every binary must be where the commands look for it.
  detect
  if [ ${#missing[@]} -gt 0 ]; then
    say "still missing after apt-get install: $(listed)"
    exit 3
  fi
fi
if [ -n "$python_too_old" ]; then
  say "$python_too_old is too old: the pinned MLflow needs Python 3.10+; install a newer python3 first"
  exit 2
fi
if [ -z "$venv_ready" ]; then
  bash "$root/tools/mlflow-venv.sh" "$venv" || { rc=$?; say "creating the virtualenv $venv failed (exit $rc)"; exit 3; }
fi
