"""Writes a JSON lines copy of a benchmark CSV, the way pandas users write one
(read_csv, then to_json(orient="records", lines=True)), a chunk at a time.
Usage: to_jsonl.py IN.csv OUT.jsonl"""
import sys

import pandas as pd

src, dst = sys.argv[1], sys.argv[2]
with open(dst + ".tmp", "w", encoding="utf-8") as out:
    for chunk in pd.read_csv(src, chunksize=500_000):
        out.write(chunk.to_json(orient="records", lines=True))
        if not chunk.empty:
            out.write("\n")
import os
os.replace(dst + ".tmp", dst)
