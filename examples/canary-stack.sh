#!/usr/bin/env bash
# The serving side of the canary example and of its end-to-end test, on this machine: two model
# servers (examples/serve_model.py: the stable and the canary version, loaded from the registry),
# nginx in front of them with a weighted upstream that `mlstages canary --router nginx` owns,
# Prometheus scraping the servers' request metrics every second, and a load generator sending
# requests through nginx. Everything runs as the current user under DIR, on free loopback ports.
#
#   canary-stack.sh up DIR MODEL STABLE_VERSION CANARY_VERSION [CANARY_FAIL_RATE]
#   canary-stack.sh down DIR
#
# `up` needs MLFLOW_TRACKING_URI, nginx and prometheus; it writes DIR/stack.env (ports, paths and the
# nginx commands for the router) and returns once every part answers. `down` stops them all.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python="$root/target/mlflow-venv/bin/python"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # URL WHAT PID_FILE
  for _ in $(seq 1 120); do
    if curl -fs "$1" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat "$3")" 2>/dev/null; then echo "canary-stack: $2 exited; see its log in $dir" >&2; return 3; fi
    sleep 0.5
  done
  echo "canary-stack: $2 did not answer at $1 within 60 s" >&2
  return 3
}

start() { # NAME LOG COMMAND...
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

case "${1:-}" in
up)
  [ $# -ge 5 ] || { echo "usage: canary-stack.sh up DIR MODEL STABLE_VERSION CANARY_VERSION [CANARY_FAIL_RATE]" >&2; exit 2; }
  dir=$2 model=$3 stable=$4 canary=$5 fail_rate=${6:-0}
  : "${MLFLOW_TRACKING_URI:?canary-stack: set MLFLOW_TRACKING_URI to the registry}"
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  prometheus_bin=$(command -v prometheus || echo /usr/bin/prometheus)
  for bin in "$nginx_bin" "$prometheus_bin"; do
    [ -x "$bin" ] || { echo "canary-stack: $(basename "$bin") is not installed (Debian packages nginx, prometheus)" >&2; exit 3; }
  done
  rm -rf "$dir"
  mkdir -p "$dir/nginx/logs" "$dir/nginx/temp" "$dir/prometheus"
  dir=$(cd "$dir" && pwd)
  stable_port=$(free_port) canary_port=$(free_port) nginx_port=$(free_port) prometheus_port=$(free_port)

  start stable "$dir/stable.log" "$python" "$root/examples/serve_model.py" \
    --model-uri "models:/$model/$stable" --version "$stable" --port "$stable_port"
  start canary "$dir/canary.log" "$python" "$root/examples/serve_model.py" \
    --model-uri "models:/$model/$canary" --version "$canary" --port "$canary_port" --fail-rate "$fail_rate"

  # nginx: the main config is ours; upstream.conf is the router's and starts at 100 % stable.
  cat >"$dir/nginx/upstream.conf" <<EOF
upstream model {
    server 127.0.0.1:$stable_port weight=100;
    server 127.0.0.1:$canary_port down;
}
EOF
  cat >"$dir/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log $dir/nginx/logs/access.log;
    client_body_temp_path $dir/nginx/temp/body;
    proxy_temp_path $dir/nginx/temp/proxy;
    fastcgi_temp_path $dir/nginx/temp/fastcgi;
    uwsgi_temp_path $dir/nginx/temp/uwsgi;
    scgi_temp_path $dir/nginx/temp/scgi;
    include $dir/nginx/upstream.conf;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { proxy_pass http://model; }
    }
}
EOF
  nginx_cmd="$nginx_bin -p $dir/nginx -c $dir/nginx/nginx.conf"
  $nginx_cmd -t -q
  $nginx_cmd
  cp "$dir/nginx/nginx.pid" "$dir/nginx-master.pid"

  cat >"$dir/prometheus/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: models
    static_configs:
      - targets: ['127.0.0.1:$stable_port', '127.0.0.1:$canary_port']
EOF
  start prometheus "$dir/prometheus/prometheus.log" "$prometheus_bin" \
    --config.file="$dir/prometheus/prometheus.yml" --storage.tsdb.path="$dir/prometheus/data" \
    --web.listen-address="127.0.0.1:$prometheus_port"

  wait_for "http://127.0.0.1:$stable_port/health" "the stable model server" "$dir/stable.pid"
  wait_for "http://127.0.0.1:$canary_port/health" "the canary model server" "$dir/canary.pid"
  wait_for "http://127.0.0.1:$prometheus_port/-/ready" "Prometheus" "$dir/prometheus.pid"
  start load "$dir/load.log" "$python" "$root/examples/load.py" --url "http://127.0.0.1:$nginx_port/invocations"

  cat >"$dir/stack.env" <<EOF
STACK_DIR=$dir
NGINX_URL=http://127.0.0.1:$nginx_port
NGINX_UPSTREAM_CONF=$dir/nginx/upstream.conf
NGINX_TEST_COMMAND="$nginx_cmd -t -q"
NGINX_RELOAD_COMMAND="$nginx_cmd -s reload"
STABLE_SERVER=127.0.0.1:$stable_port
CANARY_SERVER=127.0.0.1:$canary_port
PROMETHEUS_URL=http://127.0.0.1:$prometheus_port
EOF
  echo "canary-stack: up in $dir (nginx :$nginx_port, stable v$stable :$stable_port, canary v$canary :$canary_port, Prometheus :$prometheus_port)"
  ;;
down)
  [ $# -ge 2 ] || { echo "usage: canary-stack.sh down DIR" >&2; exit 2; }
  dir=$2
  for name in load stable canary prometheus nginx-master; do
    if [ -f "$dir/$name.pid" ]; then kill "$(cat "$dir/$name.pid")" 2>/dev/null || true; fi
  done
  for name in load stable canary prometheus nginx-master; do
    if [ -f "$dir/$name.pid" ]; then
      pid=$(cat "$dir/$name.pid")
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
  ;;
*)
  echo "usage: canary-stack.sh up DIR MODEL STABLE_VERSION CANARY_VERSION [CANARY_FAIL_RATE] | down DIR" >&2
  exit 2
  ;;
esac
