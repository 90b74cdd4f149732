#!/usr/bin/env bash
# A reload command for `mlstages canary --nginx-reload-command` that returns once the new split serves.
# `nginx -s reload` only signals the master and returns; the master then loads the configuration,
# starts new workers and lets the old ones finish their connections. This script sends the reload,
# then waits until the master has a worker it did not have before (the new configuration is loaded:
# new connections get the new weights) and, for a while longer, until the old workers have exited.
#   exit 0  new workers run (a note on stderr if old ones still finish long connections after WAIT s)
#   exit 1  the reload could not be sent, or no new worker within WAIT s: the master kept the old
#           configuration (its error log says why), so the router puts the previous file back
# Usage: nginx-reload-and-wait.sh PID_FILE WAIT_SECONDS NGINX [ARG...]   e.g.
#   nginx-reload-and-wait.sh /run/nginx.pid 10 /usr/sbin/nginx -c /etc/nginx/nginx.conf
# Needs to see the master's processes (same host and PID namespace as nginx; /proc not hidepid=2).
set -euo pipefail
pid_file=${1:?usage: nginx-reload-and-wait.sh PID_FILE WAIT_SECONDS NGINX [ARG...]}
wait_seconds=${2:?wait seconds}
shift 2
[ $# -gt 0 ] || { echo "nginx-reload-and-wait.sh: no nginx command given" >&2; exit 1; }
master=$(cat "$pid_file") || { echo "nginx-reload-and-wait.sh: cannot read the master's pid from $pid_file" >&2; exit 1; }
children() { pgrep -P "$master" | sort || true; }
now_ms() { local t=${EPOCHREALTIME//[.,]/}; echo $((t / 1000)); }
old=$(children)
# nginx -s says "[notice] ...: signal process started" on every reload: only anything else is news
out=$("$@" -s reload 2>&1) || { [ -z "$out" ] || echo "$out" >&2; exit 1; }
out=$(grep -v '\[notice\] [0-9#]*: signal process started$' <<<"$out" || true)
[ -z "$out" ] || echo "$out" >&2
deadline=$(($(now_ms) + wait_seconds * 1000))
while [ -z "$(comm -13 <(echo "$old") <(children))" ]; do
  if [ "$(now_ms)" -ge "$deadline" ]; then
    echo "nginx (master $master) started no new worker within ${wait_seconds} s of the reload: it kept the previous configuration; see its error log" >&2
    exit 1
  fi
  sleep 0.05
done
while [ -n "$(comm -12 <(echo "$old") <(children))" ]; do
  if [ "$(now_ms)" -ge "$deadline" ]; then
    echo "nginx: new workers serve; old workers $(comm -12 <(echo "$old") <(children) | tr '\n' ' ')still finish long-lived connections (bound them with worker_shutdown_timeout)" >&2
    exit 0
  fi
  sleep 0.05
done
