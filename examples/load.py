"""Sends scoring requests to a model endpoint at a steady rate until stopped, for the canary example
and its end-to-end test: rows of examples/data/current.csv, one per request, in MLflow's scoring
format. Prints a line of counts by HTTP status (and by the X-Model-Version header) every 5 s.
Usage: python examples/load.py --url http://127.0.0.1:8080/invocations [--rps 40] [--seconds N]"""
import argparse
import collections
import csv
import http.client
import json
import pathlib
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--url", required=True)
parser.add_argument("--rps", type=float, default=40.0)
parser.add_argument("--seconds", type=float, default=0.0, help="stop after this long; 0 = until killed")
parser.add_argument("--workers", type=int, default=8)
args = parser.parse_args()

url = urllib.parse.urlsplit(args.url)
with open(pathlib.Path(__file__).parent / "data" / "current.csv", newline="") as f:
    rows = [{"age": float(r["age"]),
             "log_income": __import__("math").log(float(r["income"])) if r["income"] else 10.8,
             "new_account": 1.0 if int(r["account_days"]) < 30 else 0.0,
             "account_days": float(r["account_days"])} for r in csv.DictReader(f)]
bodies = [json.dumps({"dataframe_records": [r]}).encode() for r in rows]

counts = collections.Counter()
lock = threading.Lock()
stop = threading.Event()
interval = args.workers / args.rps


def worker(offset):
    n = offset
    next_at = time.monotonic() + offset * interval / args.workers
    while not stop.is_set():
        next_at += interval
        key = "error"
        try:
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
            conn.request("POST", url.path or "/", bodies[n % len(bodies)], {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            key = f"{response.status} v{response.getheader('X-Model-Version', '?')}"
            conn.close()
        except OSError:
            pass
        with lock:
            counts[key] += 1
        n += args.workers
        stop.wait(max(0.0, next_at - time.monotonic()))


threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.workers)]
for t in threads:
    t.start()
started = time.monotonic()
try:
    while not stop.is_set():
        stop.wait(5)
        with lock:
            print("load:", ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())), flush=True)
        if args.seconds and time.monotonic() - started >= args.seconds:
            stop.set()
except KeyboardInterrupt:
    stop.set()
