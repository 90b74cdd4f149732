#!/usr/bin/env bash
# The canary of the example model with real parts: two `mlflow models serve` processes (the stable and
# the canary version), each behind metrics_proxy.py (requests and latency for Prometheus), a private
# nginx whose upstream file `mlstages canary --router nginx` owns, a real Prometheus, and load.py
# sending the example's rows through nginx. Three cases, as in issue 6:
#   0. a shadow run first: the canary version gets a copy of live traffic (nginx mirror to
#      `mlstages shadow-capture`), its predictions are compared with the stable one's (docs/shadow.md);
#   1. a healthy canary is promoted step by step (exit 0, champion -> canary, previous -> stable);
#   2. a canary answering errors is rolled back at the failure limit (exit 1, aliases unchanged);
#   3. the canary process is killed with SIGKILL mid-step and resumed; it is promoted.
# Between the cases the demo is reset: router file back to 100 % stable, champion -> stable.
# Usage: MLFLOW_TRACKING_URI=... examples/canary/run-canary.sh MODEL STABLE_VERSION CANARY_VERSION
# Needs nginx (/usr/sbin/nginx) and Prometheus (/usr/bin/prometheus), which examples/run-pipeline.sh
# installs (tools/setup.sh); without them it says so and exits 2. Writes only under target/example/canary.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
model=${1:?usage: run-canary.sh MODEL STABLE_VERSION CANARY_VERSION}
stable=${2:?stable version}
canary=${3:?canary version}
: "${MLFLOW_TRACKING_URI:?set MLFLOW_TRACKING_URI}"
nginx=${MLSTAGES_NGINX:-/usr/sbin/nginx}
prometheus=${MLSTAGES_PROMETHEUS:-/usr/bin/prometheus}
for tool in "$nginx" "$prometheus"; do
  if [ ! -x "$tool" ]; then
    echo "run-canary.sh: $tool not found; tools/setup.sh pipeline installs nginx and Prometheus (or says what to run)" >&2
    exit 2
  fi
done
# mlflow models serve starts uvicorn from the PATH: the virtualenv's.
export PATH="$root/target/mlflow-venv/bin:$PATH"
py="$root/target/mlflow-venv/bin/python"
mlflow="$root/target/mlflow-venv/bin/mlflow"
work="$root/target/example/canary"
rm -rf "$work"
mkdir -p "$work/logs" "$work/nginx/temp" "$work/nginx/logs"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Every background process runs in a session of its own (setsid), so its pid is also its process
# group, and cleanup stops the whole group: `mlflow models serve` starts uvicorn as a child, which
# killing the recorded pid alone would leave serving. nginx puts itself in its own session and stops
# its workers when its master is told to.
groups=()
background() { # LOG COMMAND...: starts COMMAND in its own session; its pid (= group) in $started
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  started=$!
  groups+=("$started")
}
alive() { # true while any of the groups, or the nginx master, still has a process
  local group
  for group in "${groups[@]}"; do kill -0 -- "-$group" 2>/dev/null && return 0; done
  [ -f "$work/nginx/nginx.pid" ] && kill -0 "$(cat "$work/nginx/nginx.pid")" 2>/dev/null
}
cleanup() {
  local group
  # "|| kill PID": right after the fork, setsid may not have made the group yet
  for group in "${groups[@]}"; do kill -- "-$group" 2>/dev/null || kill "$group" 2>/dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  for _ in $(seq 1 20); do alive || break; sleep 0.5; done # 10 s to stop gracefully, then SIGKILL
  for group in "${groups[@]}"; do kill -9 -- "-$group" 2>/dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill -9 "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
wait_for() { # URL WHAT LOG [PID]
  for _ in $(seq 1 180); do
    if curl -fs "$1" >/dev/null 2>&1; then return 0; fi
    if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then break; fi
    sleep 1
  done
  echo "$2 did not come up; see $3" >&2
  exit 3
}

echo "== model servers: $model/$stable (stable) and $model/$canary (canary), each behind a metrics proxy"
declare -A proxy serve
for role in stable canary; do
  version=$stable; [ "$role" = canary ] && version=$canary
  port=$(free_port)
  background "$work/logs/serve-$role.log" \
    "$mlflow" models serve -m "models:/$model/$version" -h 127.0.0.1 -p "$port" --env-manager local
  wait_for "http://127.0.0.1:$port/ping" "mlflow models serve ($role)" "$work/logs/serve-$role.log" "$started"
  # 20 requests straight to the server (not counted by its metrics proxy): a cold first answer is not the canary's latency
  "$py" - "http://127.0.0.1:$port/invocations" <<'PY'
import json, sys, urllib.request
body = json.dumps({"dataframe_split": {"columns": ["age", "log_income", "new_account", "account_days"],
                                       "data": [[40.0, 10.5, 0.0, 400.0]]}}).encode()
for _ in range(20):
    request = urllib.request.Request(sys.argv[1], data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
PY
  serve[$role]=127.0.0.1:$port
  proxy[$role]=127.0.0.1:$(free_port)
  background "$work/logs/proxy-$role.log" \
    "$py" examples/canary/metrics_proxy.py --listen "${proxy[$role]}" --backend "http://127.0.0.1:$port" --version "$role" \
    --fail-file "$work/$role-fails"
  wait_for "http://${proxy[$role]}/metrics" "metrics proxy ($role)" "$work/logs/proxy-$role.log" "$started"
done

echo "== nginx in $work/nginx, upstream file owned by the canary"
nginx_port=$(free_port)
upstream="$work/nginx/model-upstream.conf"
mirror_conf="$work/nginx/shadow-mirror.conf" # owned by mlstages shadow
echo "# no shadow mirror yet" >"$mirror_conf"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
# after a reload, old workers finish what they serve; this bounds it for long-lived connections
worker_shutdown_timeout 10s;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log notice;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nginx/temp/body;
  proxy_temp_path $work/nginx/temp/proxy;
  fastcgi_temp_path $work/nginx/temp/fastcgi;
  uwsgi_temp_path $work/nginx/temp/uwsgi;
  scgi_temp_path $work/nginx/temp/scgi;
  include $upstream;
  server {
    listen 127.0.0.1:$nginx_port;
    include $mirror_conf;
    location / { proxy_pass http://model; }
  }
}
CONF
all_stable() { printf 'upstream model {\n    server %s;\n}\n' "${proxy[stable]}" >"$upstream"; }
all_stable
nginx_cmd=("$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf")
# `nginx -s reload` returns once the master is signalled; this returns once new workers serve the split
reload_cmd=("$root/examples/canary/nginx-reload-and-wait.sh" "$work/nginx/nginx.pid" 10 "${nginx_cmd[@]}")
"${nginx_cmd[@]}"
wait_for "http://127.0.0.1:$nginx_port/ping" nginx "$work/nginx/logs/error.log"

echo "== Prometheus scraping both proxies every second"
prom_port=$(free_port)
cat >"$work/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: model
    static_configs:
      - targets: ['${proxy[stable]}', '${proxy[canary]}']
CONF
background "$work/logs/prometheus.log" "$prometheus" --config.file="$work/prometheus.yml" \
  --storage.tsdb.path="$work/prometheus-data" --web.listen-address="127.0.0.1:$prom_port"
wait_for "http://127.0.0.1:$prom_port/-/ready" Prometheus "$work/logs/prometheus.log" "$started"

echo "== load: the example's rows through nginx, about 20 requests a second"
background "$work/logs/load.log" "$py" examples/canary/load.py "http://127.0.0.1:$nginx_port/invocations" 20

errors='sum(rate(model_requests_total{version="canary",code=~"5.."}[10s])) / sum(rate(model_requests_total{version="canary"}[10s]))'
p95() { echo "histogram_quantile(0.95, sum by (le) (rate(model_request_duration_seconds_bucket{version=\"$1\"}[10s])))"; }
canary_args=(--model "$model" --version "$canary" --steps 10,50,100 --interval 10s --analyses-per-step 2 --failure-limit 2
  --analysis "error_rate: $errors <= 0.05"
  --analysis "p95_latency: $(p95 canary) <= 0.25" --stable-query "p95_latency: $(p95 stable)"
  --router nginx --nginx-config "$upstream" --nginx-upstream model
  --stable-server "${proxy[stable]}" --canary-server "${proxy[canary]}"
  --nginx-test-command "${nginx_cmd[*]} -t -q" --nginx-reload-command "${reload_cmd[*]}"
  --prometheus-url "http://127.0.0.1:$prom_port")

aliases() { "$py" - "$model" <<'PY'
import sys
from mlflow import MlflowClient
print(dict(sorted(MlflowClient().get_registered_model(sys.argv[1]).aliases.items())))
PY
}
reset() {
  all_stable
  "${reload_cmd[@]}"
  "$py" - "$model" "$stable" <<'PY'
import sys
from mlflow import MlflowClient
client = MlflowClient()
client.set_registered_model_alias(sys.argv[1], "champion", sys.argv[2])
if "previous" in client.get_registered_model(sys.argv[1]).aliases:
    client.delete_registered_model_alias(sys.argv[1], "previous")
PY
  rm -f "$work/canary-fails"
  sleep 3
}
expect() { # WHAT WANTED GOT
  if [ "$2" != "$3" ]; then echo "== canary case FAILED: $1: expected exit $2, got $3" >&2; exit 1; fi
}

echo "== shadow: $model/$canary gets a copy of live traffic (nginx mirror -> shadow-capture), users keep $stable's answers"
# The capture calls the model servers directly (not through the metrics proxies: its calls are no user traffic).
capture_port=$(free_port)
background "$work/logs/shadow-capture.log" bin/mlstages shadow-capture --listen "127.0.0.1:$capture_port" \
  --live "http://${serve[stable]}" --shadow "http://${serve[canary]}" --out "$work/shadow-capture"
wait_for "http://127.0.0.1:$capture_port/_mlstages/capture" "mlstages shadow-capture" "$work/logs/shadow-capture.log" "$started"
set +e
bin/mlstages shadow --state "$work/shadow.json" --report "$work/shadow-report.json" --model "$model" --version "$canary" \
  --stable-version "$stable" --duration 20s --min-requests 100 --poll-interval 2s \
  --check 'shadow_error_rate <= 0.01' --check 'agreement >= 0.9' --check 'prediction_psi <= 0.1' \
  --capture-folder "$work/shadow-capture" --router nginx --nginx-mirror-config "$mirror_conf" \
  --capture-server "127.0.0.1:$capture_port" --nginx-test-command "${nginx_cmd[*]} -t -q" --nginx-reload-command "${reload_cmd[*]}"
code=$?
set -e
expect "shadow run" 0 "$code"

echo "== case 1: a healthy canary is promoted step by step"
reset
set +e; bin/mlstages canary --state "$work/case1.json" --report "$work/case1-report.json" "${canary_args[@]}"; code=$?; set -e
expect "healthy canary" 0 "$code"
echo "aliases: $(aliases)"

echo "== case 2: a canary answering errors is rolled back at the failure limit"
reset
touch "$work/canary-fails"
set +e; bin/mlstages canary --state "$work/case2.json" --report "$work/case2-report.json" "${canary_args[@]}"; code=$?; set -e
expect "failing canary" 1 "$code"
rm -f "$work/canary-fails"
echo "aliases: $(aliases)"

echo "== case 3: the canary is killed with SIGKILL mid-step, then resumed"
reset
background "$work/logs/case3-killed.log" bin/mlstages canary --state "$work/case3.json" "${canary_args[@]}"
victim=$started
# Not the shell's job any more: the kill below is intended, and bash would report it as "Killed".
# cleanup still stops its group.
disown "$victim"
at_50() {
  "$py" -c 'import json, sys; s = json.load(open(sys.argv[1])); sys.exit(0 if s["router"]["weight"] == 50 and s["router"]["confirmed"] else 1)' \
    "$work/case3.json" 2>/dev/null
}
reached=
for _ in $(seq 1 120); do
  if at_50; then reached=1; break; fi
  kill -0 "$victim" 2>/dev/null || break # it ended (or failed) before 50 %
  sleep 0.5
done
if [ -z "$reached" ]; then
  echo "== canary case FAILED: 50 % not reached; see $work/logs/case3-killed.log" >&2
  exit 1
fi
sleep 3
echo "killing the canary with SIGKILL at 50 % (intended: the resume below must finish its work)"
kill -9 "$victim" # bin/mlstages execs java: this is the canary's JVM
for _ in $(seq 1 100); do kill -0 "$victim" 2>/dev/null || break; sleep 0.1; done
echo "killed at: $("$py" -c 'import json, sys; s = json.load(open(sys.argv[1])); print(s["phase"], "step", s["step_index"] + 1, "weight", s["router"]["weight"])' "$work/case3.json")"
set +e; bin/mlstages canary --state "$work/case3.json" --resume --report "$work/case3-report.json" "${canary_args[@]}"; code=$?; set -e
expect "resumed canary" 0 "$code"
echo "aliases: $(aliases)"
echo "== canary cases passed; state files, reports and logs in $work"
