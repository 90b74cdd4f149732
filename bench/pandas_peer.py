"""The Python peer of the benchmark: what a pandas + SciPy job does for the same checks: load both
files, describe every column, count nulls and distinct values, check simple rules, and test drift per
column (KS or Wasserstein for numbers, chi-square or Jensen-Shannon for categories).
Usage: pandas_peer.py CURRENT REFERENCE  (CSV or Parquet by extension). Prints seconds and a checksum."""
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

start = time.perf_counter()
read = pd.read_parquet if sys.argv[1].endswith(".parquet") else pd.read_csv
cur = read(sys.argv[1])
ref = read(sys.argv[2])
checksum = 0.0
desc = cur.describe(include="all")
for col in cur.columns:
    c = cur[col]
    checksum += c.isna().sum() + c.nunique()
    if pd.api.types.is_numeric_dtype(c) and not pd.api.types.is_bool_dtype(c):
        a = ref[col].dropna().to_numpy(dtype=float)
        b = c.dropna().to_numpy(dtype=float)
        checksum += float(np.quantile(b, [0.01, 0.25, 0.5, 0.75, 0.99]).sum())
        checksum += stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
        checksum += stats.ks_2samp(a, b).statistic
        checksum += int((b < 0).sum())
    else:
        rc = ref[col].astype(str).value_counts()
        cc = c.astype(str).value_counts()
        keys = rc.index.union(cc.index)
        r = rc.reindex(keys, fill_value=0).to_numpy(dtype=float)
        k = cc.reindex(keys, fill_value=0).to_numpy(dtype=float)
        checksum += distance.jensenshannon(r / r.sum(), k / k.sum())
print(f"pandas+scipy: {time.perf_counter() - start:.2f} s (checksum {checksum:.4f})")
