"""Serves one registered MLflow model version over HTTP, with Prometheus request metrics, for the
canary example and its end-to-end test. The model is loaded from the registry (models:/ URI) with
mlflow.pyfunc; POST /invocations takes MLflow's scoring format ({"dataframe_records": [...]}) and
answers {"predictions": [...]}. GET /metrics is Prometheus' text format:

    mlstages_model_requests_total{model_version, code}     requests answered, by HTTP status
    mlstages_model_request_seconds{model_version}          latency histogram

--fail-rate makes a share of answers HTTP 500 (every k-th request, deterministic), so a test can run
a canary that misbehaves without a different model. GET /health is 200 once the model is loaded.

Usage: python examples/serve_model.py --model-uri models:/fraud-detector/2 --version 2 --port 8101
       [--fail-rate 1.0]      (MLFLOW_TRACKING_URI must point at the registry)"""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import time

import mlflow.pyfunc
import pandas as pd
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--model-uri", required=True)
parser.add_argument("--version", required=True, help="the model version label put on the metrics")
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--fail-rate", type=float, default=0.0, help="share of requests answered with HTTP 500")
args = parser.parse_args()
if not 0.0 <= args.fail_rate <= 1.0:
    parser.error("--fail-rate must be between 0 and 1")

model = mlflow.pyfunc.load_model(args.model_uri)
inputs = model.metadata.get_input_schema()
# The stable and canary versions may read different features: each takes the columns it declares.
columns = inputs.input_names() if inputs is not None else None
# JSON has no int/float distinction; MLflow refuses ints where the signature says double.
doubles = {c.name: "float64" for c in (inputs.inputs if inputs is not None else []) if getattr(c.type, "name", "") in ("double", "float")}

metrics = CollectorRegistry()
requests_total = Counter("mlstages_model_requests", "Requests answered, by HTTP status",
                         ["model_version", "code"], registry=metrics)
latency = Histogram("mlstages_model_request_seconds", "Time to answer a request", ["model_version"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5), registry=metrics)
served = 0
served_lock = threading.Lock()


def should_fail():
    global served
    with served_lock:
        served += 1
        n = served
    # Every k-th request fails, so the share is exact over any whole number of periods.
    return args.fail_rate > 0 and int(n * args.fail_rate) != int((n - 1) * args.fail_rate)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, code, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Model-Version", args.version)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/metrics":
            self.answer(200, generate_latest(metrics), CONTENT_TYPE_LATEST)
        elif self.path in ("/health", "/ping"):
            self.answer(200, {"status": "ok", "model_version": args.version})
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        started = time.perf_counter()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path != "/invocations":
            self.answer(404, {"error": "not found"})
            return
        try:
            records = json.loads(body)["dataframe_records"]
            frame = pd.DataFrame.from_records(records)
            if columns is not None:
                frame = frame[columns].astype(doubles)
        except (ValueError, KeyError, TypeError) as e:
            code, result = 400, {"error": f"bad request: {e}"}
        else:
            if should_fail():
                code, result = 500, {"error": "injected failure (--fail-rate)"}
            else:
                try:
                    predictions = model.predict(frame)
                    code, result = 200, {"predictions": [float(p) for p in predictions]}
                except Exception as e:  # a model that cannot score answers 500, counted like any other
                    code, result = 500, {"error": f"prediction failed: {type(e).__name__}"}
        self.answer(code, result)
        requests_total.labels(args.version, str(code)).inc()
        latency.labels(args.version).observe(time.perf_counter() - started)

    def log_message(self, *_):
        pass  # one line per request would drown the test logs


server = ThreadingHTTPServer((args.host, args.port), Handler)
print(f"serving {args.model_uri} as version {args.version} on http://{args.host}:{args.port}", flush=True)
server.serve_forever()
