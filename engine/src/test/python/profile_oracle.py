"""NumPy's view of numeric columns, for ProfileOracleIT.

stdin: {"columns": {"name": {"values": [...], "estimates": {"p01": v, ...}}}}
stdout: per column: count, mean, std (ddof=1), min, max, exact quantiles (linear), and for each
estimated quantile value the share of values < it and <= it (to check a sketch's rank error).
"""
import json
import sys

import numpy as np

RANKS = {"p01": 0.01, "p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95, "p99": 0.99}

request = json.load(sys.stdin)
out = {}
for name, column in request["columns"].items():
    x = np.asarray(column["values"], dtype=float)
    s = np.sort(x)
    ranks = {}
    for key, value in column.get("estimates", {}).items():
        ranks[key] = [float(np.searchsorted(s, value, side="left") / len(s)),
                      float(np.searchsorted(s, value, side="right") / len(s))]
    out[name] = {
        "count": int(len(x)),
        "mean": float(np.mean(x)),
        "std": float(np.std(x, ddof=1)),
        "min": float(np.min(x)),
        "max": float(np.max(x)),
        "quantiles": {k: float(np.quantile(x, r)) for k, r in RANKS.items()},
        "ranks": ranks,
        "distinct": int(len(np.unique(x))),
    }
json.dump(out, sys.stdout)
