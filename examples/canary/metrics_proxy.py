"""A reverse proxy in front of one model server that gives Prometheus the numbers a canary analysis
needs: requests by version and status code (model_requests_total) and their latency
(model_request_duration_seconds), on /metrics. Every other request is forwarded to the model server.
While the file given with --fail-file exists, it answers 500 instead of forwarding: a canary that
answers errors, on demand.
Usage: python metrics_proxy.py --listen 127.0.0.1:9101 --backend http://127.0.0.1:8001 --version canary
       [--fail-file PATH]        (needs prometheus_client, which MLflow's virtualenv has)"""
import argparse
import os
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

parser = argparse.ArgumentParser()
parser.add_argument("--listen", required=True)
parser.add_argument("--backend", required=True)
parser.add_argument("--version", required=True)
parser.add_argument("--fail-file")
args = parser.parse_args()

registry = CollectorRegistry()
requests = Counter("model_requests", "Requests answered, by model version and HTTP status code",
                   ["version", "code"], registry=registry)
latency = Histogram("model_request_duration_seconds", "Time to answer a request", ["version"], registry=registry,
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
# Both series exist from the start, so that an error ratio is 0 (not "no data") while all goes well.
for code in ("200", "500"):
    requests.labels(args.version, code)


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def do_GET(self):
        if self.path == "/metrics":
            body = generate_latest(registry)
            self.answer(200, body, CONTENT_TYPE_LATEST, count=False)
        else:
            self.forward(None)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.forward(self.rfile.read(length))

    def forward(self, body):
        started = time.monotonic()
        if args.fail_file and os.path.exists(args.fail_file):
            self.answer(500, b'{"error_code": "INJECTED", "message": "this canary answers errors"}', "application/json")
        else:
            request = urllib.request.Request(args.backend + self.path, data=body, method=self.command,
                                             headers={"Content-Type": self.headers.get("Content-Type", "application/json")})
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    self.answer(answer.status, answer.read(), answer.headers.get("Content-Type", "application/json"))
            except urllib.error.HTTPError as error:
                self.answer(error.code, error.read(), "application/json")
            except OSError as error:
                self.answer(502, str(error).encode(), "text/plain")
        latency.labels(args.version).observe(time.monotonic() - started)

    def answer(self, status, body, content_type, count=True):
        if count:
            requests.labels(args.version, str(status)).inc()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


host, port = args.listen.rsplit(":", 1)
ThreadingHTTPServer((host, int(port)), Proxy).serve_forever()
