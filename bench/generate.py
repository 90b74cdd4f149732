"""Generates the validate-data benchmark inputs: a current CSV of N rows x 20 columns (numbers,
categories, nulls, quoted text), a reference CSV of M rows with shifted distributions, and Parquet
copies. Deterministic. Usage: generate.py OUT_DIR ROWS REFERENCE_ROWS"""
import pathlib
import sys

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

out = pathlib.Path(sys.argv[1])
rows = int(sys.argv[2])
ref_rows = int(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
CHUNK = 500_000


def chunk(rng, n, shift):
    def nulls(a, share):
        mask = rng.random(n) < share
        return pa.array(a, mask=mask)

    cols = {}
    cols["id"] = pa.array(np.arange(n, dtype=np.int64))
    for i in range(4):
        cols[f"score_{i}"] = nulls(rng.normal(shift * i, 1 + 0.1 * i, n).round(6), 0.01 * (i + 1))
    cols["income"] = nulls(rng.lognormal(10.5 + shift, 0.6, n).round(2), 0.05)
    cols["wait_s"] = pa.array(rng.exponential(30 + shift * 10, n).round(3))
    cols["ratio"] = pa.array(rng.uniform(0, 1, n).round(6))
    cols["age"] = pa.array(rng.integers(18, 91, n))
    cols["count"] = nulls(rng.poisson(3 + shift, n), 0.02)
    cols["amount"] = pa.array(rng.gamma(2, 50, n).round(2))
    cols["pred_score"] = pa.array(rng.beta(2, 5, n).round(6))
    cols["ts"] = pa.array(np.datetime64("2024-01-01T00:00:00") + rng.integers(0, 3e7, n).astype("timedelta64[s]"))
    cols["region"] = pa.array(np.array(["EU", "US", "APAC", "LATAM", "AF"])[rng.integers(0, 5, n)])
    cols["segment"] = pa.array(np.char.add("seg", rng.integers(0, 50, n).astype(str)))
    cols["product"] = pa.array(np.char.add("p", rng.integers(0, 1000, n).astype(str)))
    cols["customer"] = pa.array(np.char.add("c", rng.integers(0, 100_000, n).astype(str)))
    cols["active"] = pa.array(rng.random(n) < 0.7)
    words = np.array(["alpha", "beta, gamma", "delta \"quoted\"", "epsilon", "zeta eta"])
    cols["note"] = nulls(np.char.add(words[rng.integers(0, 5, n)], rng.integers(0, 1000, n).astype(str)), 0.1)
    cols["label"] = pa.array(rng.integers(0, 2, n))
    return pa.table(cols)


def write(name, n, seed, shift):
    rng = np.random.default_rng(seed)
    csv_path = out / f"{name}.csv"
    pq_path = out / f"{name}.parquet"
    first = chunk(rng, min(CHUNK, n), shift)
    with pacsv.CSVWriter(csv_path, first.schema) as csv_writer, pq.ParquetWriter(pq_path, first.schema, compression="snappy") as pq_writer:
        done = 0
        table = first
        while True:
            csv_writer.write_table(table)
            pq_writer.write_table(table)
            done += table.num_rows
            if done >= n:
                break
            table = chunk(rng, min(CHUNK, n - done), shift)
    print(f"{csv_path}: {csv_path.stat().st_size / 1e6:.0f} MB, {pq_path}: {pq_path.stat().st_size / 1e6:.0f} MB")


write("reference", ref_rows, 1, 0.0)
write("current", rows, 2, 0.1)
