"""Sends the example's rows to a model endpoint, about RATE requests a second, until killed; prints a
count of answers by status every 10 s. Usage: python load.py URL [RATE]"""
import csv
import json
import math
import pathlib
import sys
import time
import urllib.error
import urllib.request

url = sys.argv[1]
rate = float(sys.argv[2]) if len(sys.argv) > 2 else 20
here = pathlib.Path(__file__).parent.parent
rows = []
with open(here / "data" / "current.csv", newline="") as f:
    for row in csv.DictReader(f):
        if row["income"] and row["age"] and row["account_days"]:
            days = float(row["account_days"])
            rows.append([float(row["age"]), math.log(float(row["income"])), 1.0 if days < 30 else 0.0, days])
        if len(rows) == 200:
            break
columns = ["age", "log_income", "new_account", "account_days"]
counts = {}
last = time.monotonic()
i = 0
while True:
    body = json.dumps({"dataframe_split": {"columns": columns, "data": [rows[i % len(rows)]]}}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", "Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = "no answer"
    counts[status] = counts.get(status, 0) + 1
    i += 1
    if time.monotonic() - last >= 10:
        print(f"load: {counts}", flush=True)
        counts = {}
        last = time.monotonic()
    time.sleep(1 / rate)
