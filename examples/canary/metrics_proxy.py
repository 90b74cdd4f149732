"""A reverse proxy in front of one model server that gives Prometheus the numbers a canary analysis
needs: requests by version and status code (model_requests_total) and their latency
(model_request_duration_seconds), on /metrics. Every other request is forwarded to the model server.
While the file given with --fail-file exists, it answers 500 instead of forwarding: a canary that
answers errors, on demand.
Usage: python metrics_proxy.py --listen 127.0.0.1:9101 --backend http://127.0.0.1:8001 --version canary
       [--fail-file PATH]        (standard library only)"""
import argparse
import os
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--listen", required=True)
parser.add_argument("--backend", required=True)
parser.add_argument("--version", required=True)
parser.add_argument("--fail-file")
args = parser.parse_args()

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, float("inf"))
lock = threading.Lock()
# Both codes exist from the start, so that an error ratio is 0 (not "no data") while all goes well.
requests = {"200": 0, "500": 0}
buckets = [0] * len(BUCKETS)
latency_sum = 0.0
latency_count = 0


def count(status, seconds):
    global latency_sum, latency_count
    with lock:
        requests[str(status)] = requests.get(str(status), 0) + 1
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                buckets[i] += 1
        latency_sum += seconds
        latency_count += 1


def exposition():
    """The Prometheus text format: a counter and a histogram (cumulative buckets)."""
    version = args.version
    with lock:
        lines = ["# HELP model_requests_total Requests answered, by model version and HTTP status code",
                 "# TYPE model_requests_total counter"]
        lines += [f'model_requests_total{{version="{version}",code="{code}"}} {n}' for code, n in sorted(requests.items())]
        lines += ["# HELP model_request_duration_seconds Time to answer a request",
                  "# TYPE model_request_duration_seconds histogram"]
        for bound, n in zip(BUCKETS, buckets):
            le = "+Inf" if bound == float("inf") else repr(bound)
            lines.append(f'model_request_duration_seconds_bucket{{version="{version}",le="{le}"}} {n}')
        lines.append(f'model_request_duration_seconds_sum{{version="{version}"}} {latency_sum}')
        lines.append(f'model_request_duration_seconds_count{{version="{version}"}} {latency_count}')
    return ("\n".join(lines) + "\n").encode()


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def do_GET(self):
        if self.path == "/metrics":
            self.answer(200, exposition(), "text/plain; version=0.0.4")
        else:
            self.forward(None)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.forward(self.rfile.read(length))

    def forward(self, body):
        started = time.monotonic()
        if args.fail_file and os.path.exists(args.fail_file):
            status, body, content_type = 500, b'{"error_code": "INJECTED", "message": "this canary answers errors"}', \
                "application/json"
        else:
            request = urllib.request.Request(args.backend + self.path, data=body, method=self.command,
                                             headers={"Content-Type": self.headers.get("Content-Type", "application/json")})
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    status, body, content_type = answer.status, answer.read(), answer.headers.get("Content-Type",
                                                                                                  "application/json")
            except urllib.error.HTTPError as error:
                status, body, content_type = error.code, error.read(), "application/json"
            except OSError as error:
                status, body, content_type = 502, str(error).encode(), "text/plain"
        count(status, time.monotonic() - started)
        self.answer(status, body, content_type)

    def answer(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


host, port = args.listen.rsplit(":", 1)
ThreadingHTTPServer((host, int(port)), Proxy).serve_forever()
