#!/usr/bin/env bash
# The example ML delivery pipeline as a CI job runs it (GitHub Actions: examples/github-actions.yml,
# GitLab CI: examples/gitlab-ci.yml; docs/ci.md): validate data -> train -> evaluate -> gate ->
# register -> report, with the mlstages CLI. No canary (it needs nginx and Prometheus beside the
# model servers; examples/run-pipeline.sh runs one).
# Usage: examples/ci-pipeline.sh [OUT_DIR]      (default OUT_DIR: target/ci; writes only there)
# Environment:
#   MLFLOW_TRACKING_URI  the registry (with MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD, see docs/cli.md);
#                        unset or empty: an MLflow server is started for the job and stopped after it.
#   MLSTAGES_MODEL       registered model name (default fraud-detector)
#   MLSTAGES_MIN_ROC_AUC the gate's floor for the candidate's roc_auc (default 0.65)
#   MLSTAGES_MLFLOW_UI   the MLflow UI the summary links to (default: MLFLOW_TRACKING_URI when given)
#   MLSTAGES_PYTHON      Python with MLflow and scikit-learn, for examples/train.py and the local server
#                        (default: target/mlflow-venv/bin/python when it exists, else python3)
# The CI's own variables name the build in the registry (BUILD_TAG, BUILD_URL, as Jenkins sets them):
# GitHub's GITHUB_RUN_ID and run URL, GitLab's CI_PIPELINE_ID and CI_PIPELINE_URL.
# Exit: the first failed stage's code (1 a FAILED verdict: data checks or gate; 2 bad input; 3 registry),
# after the report is written; 0 when every stage passed or only warned.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=$(mkdir -p "${1:-target/ci}" && cd "${1:-target/ci}" && pwd)
model=${MLSTAGES_MODEL:-fraud-detector}
min_roc_auc=${MLSTAGES_MIN_ROC_AUC:-0.65}
python=${MLSTAGES_PYTHON:-}
if [ -z "$python" ]; then
  if [ -x target/mlflow-venv/bin/python ]; then python=target/mlflow-venv/bin/python; else python=python3; fi
fi
mlstages=bin/mlstages
if [ ! -f cli/target/mlstages.jar ]; then
  echo "== building the mlstages CLI (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi

# The build, as register records it (tags mlstages.build_key / mlstages.build_url) and as its idempotency key.
if [ -n "${GITHUB_RUN_ID:-}" ]; then
  export BUILD_TAG="github-${GITHUB_REPOSITORY:-repo}-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT:-1}"
  export BUILD_URL="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}/actions/runs/${GITHUB_RUN_ID}"
elif [ -n "${CI_PIPELINE_ID:-}" ]; then
  export BUILD_TAG="gitlab-${CI_PROJECT_PATH_SLUG:-project}-${CI_PIPELINE_ID}-${CI_JOB_ID:-0}"
  export BUILD_URL="${CI_PIPELINE_URL:-}"
fi

given_tracking_uri=${MLFLOW_TRACKING_URI:-}
if [ -z "$given_tracking_uri" ]; then
  mlflow_bin=$(dirname "$python")/mlflow
  [ -x "$mlflow_bin" ] || mlflow_bin=mlflow
  port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  rm -rf "$out/mlflow" && mkdir -p "$out/mlflow"
  echo "== starting MLflow for this job on 127.0.0.1:$port (log: $out/mlflow/server.log)"
  # A session of its own (setsid), so that stopping it stops its workers too.
  setsid "$mlflow_bin" server --host 127.0.0.1 --port "$port" --backend-store-uri "sqlite:///$out/mlflow/mlflow.db" \
    --artifacts-destination "$out/mlflow/artifacts" --workers 1 >"$out/mlflow/server.log" 2>&1 </dev/null &
  server=$!
  trap 'kill -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
  for _ in $(seq 1 180); do
    if "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then echo "MLflow server exited; see $out/mlflow/server.log" >&2; exit 3; fi
    sleep 1
  done
  export MLFLOW_TRACKING_URI="http://127.0.0.1:$port"
fi

# Each stage's exit code is kept: a FAILED verdict (1) still lets the report be written, then fails the job.
status=0
stage() {
  local code=0
  "$@" || code=$?
  if [ "$code" -ge 2 ]; then echo "== stopped: exit $code (2 bad input, 3 registry)" >&2; exit "$code"; fi
  if [ "$code" -ne 0 ] && [ "$status" -eq 0 ]; then status=$code; fi
  return 0
}

echo "== registry check"
stage $mlstages registry check

echo "== train the example model (an MLflow run; a real project trains in its own job)"
"$python" examples/train.py "$out"
run_id=$(cat "$out/run_id")

echo "== the champion: the example's previous model, registered once with alias champion"
stage $mlstages register --model "$model" --model-id "$(cat "$out/champion_model_id")" --alias champion \
  --build-key "example-champion-$model-$(cat "$out/champion_model_id")" --report "$out/register-champion.json"

echo "== validate data"
stage $mlstages validate-data --data examples/data/current.csv --schema examples/schema.yaml \
  --reference examples/data/reference.csv --report "$out/validate-data.json" --run-id "$run_id" --context validation

echo "== evaluate the candidate, and the champion on the same rows"
stage $mlstages evaluate --predictions "$out/predictions.csv" --task binary --label is_fraud --score score \
  --threshold-metric f1 --champion-score champion_score --slice region --report "$out/evaluate.json" --run-id "$run_id"
stage $mlstages evaluate --predictions "$out/predictions.csv" --task binary --label is_fraud --score champion_score \
  --resamples 0 --report "$out/champion.json"

echo "== gate"
stage $mlstages gate --metrics "$out/evaluate.json" --champion-metrics "$out/champion.json" \
  --rule "roc_auc >= $min_roc_auc" --rule 'roc_auc >= champion.roc_auc' --rule 'warning: all slices.roc_auc >= 0.6' \
  --report "$out/gate.json"

reports=(--in "$out/validate-data.json" --in "$out/evaluate.json" --in "$out/gate.json")
if [ "$status" -eq 0 ]; then
  echo "== register the candidate (alias candidate; lineage from the reports)"
  stage $mlstages register --model "$model" --run-id "$run_id" --artifact-path model --alias candidate \
    --from-report "$out/validate-data.json" --from-report "$out/gate.json" --report "$out/register.json" \
    ${BUILD_TAG:+--build-key "$BUILD_TAG"}
  [ ! -f "$out/register.json" ] || reports+=(--in "$out/register.json")
else
  echo "== not registered: a stage above FAILED (exit $status)"
fi

echo "== report"
outputs=(--html "$out/report.html" --report "$out/report.json")
# The Markdown summary (also appended to $GITHUB_STEP_SUMMARY by the CLI when that is set) and the JUnit
# XML, when this CLI has them (mlstages report --help lists --markdown / --junit).
help=$($mlstages report --help 2>&1 || true)
if grep -q -- '--markdown' <<<"$help"; then outputs+=(--markdown "$out/summary.md"); fi
if grep -q -- '--junit' <<<"$help"; then outputs+=(--junit "$out/junit.xml"); fi
# Links to the MLflow UI in the summary: your registry's (MLSTAGES_MLFLOW_UI, else the tracking URI you
# gave); none for the job's own MLflow, which is gone when the job ends.
mlflow_ui=${MLSTAGES_MLFLOW_UI:-${given_tracking_uri:-}}
if [ -n "$mlflow_ui" ] && grep -q -- '--mlflow-ui' <<<"$help"; then outputs+=(--mlflow-ui "$mlflow_ui"); fi
stage $mlstages report "${reports[@]}" --title "$model: CI pipeline" "${outputs[@]}" --run-id "$run_id"

echo "== finished (exit $status); reports in $out"
exit "$status"
