#!/usr/bin/env bash
# The example ML delivery pipeline, end to end, on this machine: starts its own MLflow server
# (pinned release, in target/), then runs the stages with the mlstages CLI against it.
# Stages so far: registry check, validate data (schema + drift against the training data), train (a
# scikit-learn script, recorded as an MLflow run), evaluate (with the champion's predictions on the same
# rows), gate, register (the MLflow 3 logged model, with lineage from the reports), the lineage read
# back from the registry, a canary of the new version through nginx with Prometheus analysis
# (examples/canary/run-canary.sh), and the build report as one HTML page
# (target/example/report.html, also stored in the training run), a Markdown summary (summary.md) and
# JUnit XML of every check (junit.xml).
# Usage: examples/run-pipeline.sh        (from anywhere; writes only under target/)
# First it installs what it needs (tools/setup.sh pipeline: Debian packages when run as root, else
# the exact apt-get line to run and exit 2; the pinned MLflow virtualenv, about 860 MB, once).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work="$root/target/example"

bash tools/setup.sh pipeline # silent when nothing is missing
mkdir -p "$work"
if [ ! -f cli/target/mlstages.jar ]; then
  echo "== building the mlstages CLI (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rm -rf "$work/mlflow"
mkdir -p "$work/mlflow"
echo "== starting MLflow on 127.0.0.1:$port (log: $work/mlflow/server.log)"
# In a session of its own (setsid): `mlflow server` runs uvicorn and job consumers as children, which
# stopping the `mlflow` process alone would leave running; on exit the whole group is stopped.
setsid "$root/target/mlflow-venv/bin/mlflow" server --host 127.0.0.1 --port "$port" \
  --backend-store-uri "sqlite:///$work/mlflow/mlflow.db" --artifacts-destination "$work/mlflow/artifacts" \
  --workers 1 >"$work/mlflow/server.log" 2>&1 </dev/null &
server=$!
stop_server() {
  kill -- "-$server" 2>/dev/null || kill "$server" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 -- "-$server" 2>/dev/null || break; sleep 0.5; done # 10 s, then SIGKILL
  kill -9 -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop_server EXIT
for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "MLflow server exited; see $work/mlflow/server.log" >&2; exit 3; fi
  sleep 1
done

export MLFLOW_TRACKING_URI="http://127.0.0.1:$port"
echo "== stage: registry check"
bin/mlstages registry check

echo "== stage: train the example model (recorded as an MLflow run)"
"$root/target/mlflow-venv/bin/python" examples/train.py "$work"
run_id=$(cat "$work/run_id")

echo "== the model in production before this build: registered as version 1, alias champion"
bin/mlstages register --model fraud-detector --model-id "$(cat "$work/champion_model_id")" --alias champion \
  --build-key "example-champion-$run_id" --description "the example's previous model" --report "$work/register-champion.json"

echo "== stage: validate data (examples/data/current.csv against examples/schema.yaml and the training data)"
# Exit 0 = passed or warnings only (the example's income column has drifted: a warning), 1 = failed.
bin/mlstages validate-data --data examples/data/current.csv --schema examples/schema.yaml \
  --reference examples/data/reference.csv --report "$work/validate-data.json" --run-id "$run_id" --context validation

echo "== stage: evaluate the candidate, and the champion on the same rows"
bin/mlstages evaluate --predictions "$work/predictions.csv" --task binary --label is_fraud --score score --threshold-metric f1 \
  --champion-score champion_score --slice region --sensitive region --report "$work/evaluate.json" --run-id "$run_id"
bin/mlstages evaluate --predictions "$work/predictions.csv" --task binary --label is_fraud --score champion_score \
  --resamples 0 --report "$work/champion.json"

echo "== stage: gate"
bin/mlstages gate --metrics "$work/evaluate.json" --champion-metrics "$work/champion.json" \
  --rule 'roc_auc >= 0.65' \
  --rule 'roc_auc >= champion.roc_auc' \
  --rule 'paired(roc_auc) >= 0' \
  --rule 'warning: all slices.roc_auc >= 0.6' \
  --report "$work/gate.json"

echo "== stage: register (the run's model, resolved to its MLflow 3 logged model; lineage tags from the reports; once per build key)"
bin/mlstages register --model fraud-detector --run-id "$run_id" --artifact-path model --alias candidate \
  --from-report "$work/validate-data.json" --from-report "$work/gate.json" --build-key "example-$run_id" \
  --description "example fraud model" --report "$work/register.json"

version=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$work/register.json")

echo "== lineage of the registered version, from the registry alone"
bin/mlstages lineage --model fraud-detector --version "$version" --report "$work/lineage.json"

echo "== stage: canary of version $version against the champion (examples/canary/run-canary.sh)"
# Real parts: mlflow models serve for both versions, nginx, Prometheus, load. First a shadow run (the
# candidate gets a copy of live traffic, its predictions compared; docs/shadow.md), then three cases: healthy ->
# promoted, answering errors -> rolled back, killed with SIGKILL mid-step -> resumed and promoted.
stable=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$work/register-champion.json")
bash examples/canary/run-canary.sh fraud-detector "$stable" "$version"

echo "== report: one HTML page of the build (open target/example/report.html), also stored in the run;"
echo "   a Markdown summary (summary.md, for a PR comment or \$GITHUB_STEP_SUMMARY) and JUnit XML of every check (junit.xml)"
# Exit 0 whenever the files are written: the report only shows the verdicts, the stages above enforce them.
bin/mlstages report --in "$work/validate-data.json" --in "$work/evaluate.json" --in "$work/gate.json" \
  --in "$work/register.json" --in "$work/lineage.json" --in "$work/canary/shadow-report.json" --in "$work/canary/case1-report.json" --title "fraud-detector: example pipeline" \
  --html "$work/report.html" --markdown "$work/summary.md" --junit "$work/junit.xml" --report "$work/report.json" --run-id "$run_id"

echo "== pipeline finished; reports in $work, the page: $work/report.html, the summary: $work/summary.md, JUnit XML: $work/junit.xml"
