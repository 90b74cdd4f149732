#!/usr/bin/env bash
# Tests of tools/setup.sh and tools/test.sh without installing anything: a copy of tools/ in a
# temporary root, a PATH of stand-ins (java, javac, mvn, python3, curl, pgrep, id, apt-get) that say
# what each case needs, and a fake virtualenv. apt-get only records how it was called. Needs no
# Java, Maven or Python itself, so it can run first on a fresh machine.
# Usage: tools/setup-test.sh   (exit 0 when every case passes; a second or so)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fresh() { # a root with tools/ and a ready virtualenv; stand-ins for everything; $tmp/bin on PATH
  rm -rf "$tmp/root" "$tmp/bin" "$tmp/apt-calls"
  mkdir -p "$tmp/root/tools" "$tmp/bin" "$tmp/root/target/mlflow-venv/bin"
  cp "$here/setup.sh" "$here/test.sh" "$here/mlflow-venv.sh" "$here/python-venv.sh" "$here/requirements.txt" "$tmp/root/tools/"
  printf '#!/bin/sh\n' >"$tmp/root/target/mlflow-venv/bin/mlflow"
  chmod +x "$tmp/root/target/mlflow-venv/bin/mlflow"
  sha256sum "$here/requirements.txt" | cut -d' ' -f1 >"$tmp/root/target/mlflow-venv/.requirements.sha256"
  for tool in bash sh env sed head tail cut cat dirname grep tr mkdir sha256sum rm chmod; do
    ln -s "$(command -v "$tool")" "$tmp/bin/$tool"
  done
  stub java 'echo "openjdk version \"17.0.15\" 2025-04-15" >&2'
  stub javac 'echo "javac 17.0.15"'
  stub mvn 'echo "maven ran: $*"'
  stub curl ''
  stub pgrep ''
  stub id 'echo 0'
  stub apt-get "echo \"apt-get \$*\" >>'$tmp/apt-calls'"
  python_answers='*version_info*) exit 0 ;; *ensurepip*) exit 0 ;; --version) echo "Python 3.11.2" ;;'
  stub python3 "case \"\$*\" in $python_answers esac"
  for binary in nginx prometheus chromium chromedriver; do stub "$binary" ''; done
  stub npm ''
  stub initdb ''
  export MLSTAGES_PG_BIN=$tmp/bin
  export MLSTAGES_NGINX=$tmp/bin/nginx MLSTAGES_PROMETHEUS=$tmp/bin/prometheus
  export MLSTAGES_CHROMIUM=$tmp/bin/chromium MLSTAGES_CHROMEDRIVER=$tmp/bin/chromedriver
}
stub() { # NAME BODY: a new file, never written through a link to a real tool
  rm -f "$tmp/bin/$1"
  printf '#!/bin/sh\n%s\n' "$2" >"$tmp/bin/$1"
  chmod +x "$tmp/bin/$1"
}
run() { # EXPECTED_EXIT COMMAND...: runs with only the stand-ins on PATH; output in $out
  local expected=$1 code
  shift
  set +e
  out=$(PATH="$tmp/bin" "$@" 2>&1)
  code=$?
  set -e
  if [ "$code" != "$expected" ]; then fail "exit $code, expected $expected"; fi
}
fail() {
  echo "FAIL [$case]: $1" >&2
  printf '%s\n' "$out" | sed 's/^/    /' >&2
  failures=$((failures + 1))
}
has() { case $out in *"$1"*) ;; *) fail "output lacks: $1" ;; esac; }
lacks() { case $out in *"$1"*) fail "output has: $1" ;; esac; }
apt_calls() { cat "$tmp/apt-calls" 2>/dev/null || true; }

case="nothing missing: no apt-get, exit 0"
fresh
run 0 bash "$tmp/root/tools/setup.sh" test
[ -z "$(apt_calls)" ] || fail "apt-get was called: $(apt_calls)"

case="--check on a bare machine names every package"
fresh
rm "$tmp/bin/java" "$tmp/bin/javac" "$tmp/bin/mvn" "$tmp/bin/python3" "$tmp/bin/nginx" "$tmp/bin/prometheus" \
  "$tmp/bin/chromium" "$tmp/bin/chromedriver" "$tmp/bin/npm" "$tmp/bin/initdb"
run 2 bash "$tmp/root/tools/setup.sh" --check test
has "apt-get install -y default-jdk-headless maven python3 python3-venv nginx-light prometheus chromium chromium-driver npm postgresql"
has "the PostgreSQL server ($tmp/bin/initdb)"
has "nginx ($tmp/bin/nginx)"
[ -z "$(apt_calls)" ] || fail "--check called apt-get: $(apt_calls)"

case="not root: prints the exact apt-get line, installs nothing, exit 2"
fresh
stub id 'echo 1000'
rm "$tmp/bin/prometheus" "$tmp/bin/chromedriver"
run 2 bash "$tmp/root/tools/setup.sh" test
has "sudo apt-get update && sudo apt-get install -y prometheus chromium-driver"
[ -z "$(apt_calls)" ] || fail "apt-get was called: $(apt_calls)"

case="root: apt-get update then install of exactly what is missing; still missing after it is exit 3"
fresh
rm "$tmp/bin/nginx"
run 3 bash "$tmp/root/tools/setup.sh" pipeline
[ "$(apt_calls)" = "$(printf 'apt-get update -q\napt-get install -y -q nginx-light')" ] || fail "apt-get calls: $(apt_calls)"
has "still missing after apt-get install: nginx ($tmp/bin/nginx)"

case="root: apt-get installs what was missing, exit 0"
fresh
rm "$tmp/bin/curl"
stub apt-get "echo \"apt-get \$*\" >>'$tmp/apt-calls'; rm -f '$tmp/bin/curl'; printf '#!/bin/sh\n' >'$tmp/bin/curl'; chmod +x '$tmp/bin/curl'"
run 0 bash "$tmp/root/tools/setup.sh" pipeline
[ "$(apt_calls | tail -n 1)" = "apt-get install -y -q curl" ] || fail "apt-get calls: $(apt_calls)"

case="apt-get failing is exit 3 with the end of its log"
fresh
rm "$tmp/bin/curl"
stub apt-get 'echo "E: Unable to locate package curl" >&2; exit 100'
run 3 bash "$tmp/root/tools/setup.sh" pipeline
has "E: Unable to locate package curl"
has "apt-get failed"

case="no apt-get (not Debian): names what is missing, exit 2"
fresh
rm "$tmp/bin/apt-get" "$tmp/bin/mvn"
run 2 bash "$tmp/root/tools/setup.sh" test
has "missing Maven (mvn)"
has "no apt-get"

case="Java 11 is too old; python3 without venv needs python3-venv"
fresh
stub javac 'echo "javac 11.0.20"'
stub python3 "case \"\$*\" in *ensurepip*) exit 1 ;; $python_answers esac"
run 2 bash "$tmp/root/tools/setup.sh" --check unit
has "apt-get install -y default-jdk-headless python3-venv"

case="unit tests need no nginx, Prometheus or Chromium"
fresh
rm "$tmp/bin/nginx" "$tmp/bin/prometheus" "$tmp/bin/chromium" "$tmp/bin/chromedriver"
run 0 bash "$tmp/root/tools/setup.sh" --check unit

case="pipeline with the CLI built needs java but no Maven"
fresh
mkdir -p "$tmp/root/cli/target" && touch "$tmp/root/cli/target/mlstages.jar"
rm "$tmp/bin/mvn" "$tmp/bin/javac"
run 0 bash "$tmp/root/tools/setup.sh" --check pipeline

case="Python older than 3.10 is named, not installed over"
fresh
stub python3 "case \"\$*\" in *version_info*) exit 1 ;; --version) echo 'Python 3.9.2' ;; $python_answers esac"
run 2 bash "$tmp/root/tools/setup.sh" test
has "Python 3.9.2 is too old"

case="a virtualenv out of date is reported by --check and created otherwise"
fresh
echo stale >"$tmp/root/target/mlflow-venv/.requirements.sha256"
run 2 bash "$tmp/root/tools/setup.sh" --check unit
has "would create the virtualenv"
stub python3 "case \"\$*\" in '-m venv'*) echo \"python3 \$*\" >>'$tmp/apt-calls'; exit 1 ;; $python_answers esac"
run 3 bash "$tmp/root/tools/setup.sh" unit
has "creating the virtualenv"
apt_calls | grep -q -- "-m venv" || fail "python3 -m venv was not run: $(apt_calls)"

case="test.sh: runs mvn -B verify with the extra arguments and the binaries' paths"
fresh
run 0 bash "$tmp/root/tools/test.sh" -DskipITs -pl engine
has "maven ran: -B verify -Dmlstages.nginx=$tmp/bin/nginx -Dmlstages.prometheus=$tmp/bin/prometheus \
-Dmlstages.chromium=$tmp/bin/chromium -Dmlstages.chromedriver=$tmp/bin/chromedriver -DskipITs -pl engine"

case="test.sh -DskipITs sets up for the unit tests only; --check runs no Maven"
fresh
rm "$tmp/bin/chromium"
run 0 bash "$tmp/root/tools/test.sh" --check -DskipITs
has "would run: mvn -B verify"
lacks "maven ran"
run 2 bash "$tmp/root/tools/test.sh" --check
has "missing Chromium"

case="test.sh without arguments: mvn -B verify, then the release check; not when Maven fails"
fresh
printf 'echo "release check ran"\n' >"$tmp/root/tools/release-check.sh"
run 0 bash "$tmp/root/tools/test.sh"
has "maven ran: -B verify -Dmlstages.nginx=$tmp/bin/nginx"
has "release check ran"
run 0 bash "$tmp/root/tools/test.sh" -DskipITs
lacks "release check ran"
run 0 bash "$tmp/root/tools/test.sh" --check
has "would run: bash tools/release-check.sh"
lacks "release check ran"
stub mvn 'echo "maven ran: $*"; exit 1'
run 1 bash "$tmp/root/tools/test.sh"
lacks "release check ran"

case="test.sh stops when setup cannot install, and runs no Maven"
fresh
stub id 'echo 1000'
rm "$tmp/bin/chromium"
run 2 bash "$tmp/root/tools/test.sh"
has "sudo apt-get update && sudo apt-get install -y chromium"
lacks "maven ran"

if [ "$failures" -gt 0 ]; then
  echo "setup-test: $failures failed" >&2
  exit 1
fi
echo "setup-test: all cases passed"
