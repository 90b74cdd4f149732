"""NumPy/SciPy reference values for BehaviourComparisonIT (the oracle for
io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourComparison), written from the documented
definitions, not from the Java code.

Reads one JSON object on stdin: {"cases": [{"threshold": t, "pairs": [[live_score|null, live_label|null,
live_status, live_latency_ms, cand_score|null, cand_label|null, cand_status, cand_latency_ms], ...]}]}.
An answer is usable when its status is 2xx and it has an output. Scores are compared when the first
pair usable on both sides has a score on both; labels otherwise (a label-less answer's score as text).
Prints {"cases": [{metric: value, ...}]} with the metrics of BehaviourSummary.metrics().
"""
import json
import sys

import numpy as np
from scipy import stats
from scipy.spatial import distance

DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def fill_zeroes(shares):
    shares = shares.copy()
    if (shares == 0).any():
        smallest = min(shares[shares != 0])
        np.place(shares, shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return shares


def psi(ref, cur):
    r = fill_zeroes(ref / ref.sum())
    c = fill_zeroes(cur / cur.sum())
    return float(np.sum((r - c) * np.log(r / c)))


def label_of(score, label):
    if label is not None:
        return label
    if float(score).is_integer():
        return str(int(score))
    return repr(float(score))


def case(c):
    t = c["threshold"]
    rows = c["pairs"]
    ok = lambda s, l, st: 200 <= st <= 299 and (s is not None or l is not None)
    kind = None
    for ls, ll, lst, _, cs, cl, cst, _ in rows:
        if ok(ls, ll, lst) and ok(cs, cl, cst):
            kind = "score" if ls is not None and cs is not None else "label"
            break
    # before the kind is known every answer with an output is usable (the Java accumulator decides as it goes)
    n = len(rows)
    live_err = cand_err = 0
    known = None
    pairs = []
    for ls, ll, lst, _, cs, cl, cst, _ in rows:
        if known is None and ok(ls, ll, lst) and ok(cs, cl, cst):
            known = kind
        u = (lambda s, l, st: ok(s, l, st) and (known != "score" or s is not None))
        lu, cu = u(ls, ll, lst), u(cs, cl, cst)
        live_err += not lu
        cand_err += not cu
        if lu and cu:
            pairs.append((ls, ll, cs, cl))
    out = {"pairs": float(n)}
    if n:
        out["live_error_rate"] = live_err / n
        out["shadow_error_rate"] = cand_err / n
    live_lat = np.array([r[3] for r in rows if r[3] >= 0])
    cand_lat = np.array([r[7] for r in rows if r[7] >= 0])
    if len(live_lat):
        out["live_latency_p50_ms"] = float(np.quantile(live_lat, 0.5))
        out["live_latency_p99_ms"] = float(np.quantile(live_lat, 0.99))
    if len(cand_lat):
        out["shadow_latency_p50_ms"] = float(np.quantile(cand_lat, 0.5))
        out["shadow_latency_p99_ms"] = float(np.quantile(cand_lat, 0.99))
    if not pairs:
        return out
    if kind == "score":
        a = np.array([p[0] for p in pairs], dtype=float)
        b = np.array([p[2] for p in pairs], dtype=float)
        out["agreement"] = float(np.mean((a >= t) == (b >= t)))
        edges = np.quantile(a, DECILES)
        ra = np.bincount(np.searchsorted(edges, a, side="left"), minlength=10).astype(float)
        rb = np.bincount(np.searchsorted(edges, b, side="left"), minlength=10).astype(float)
        out["prediction_psi"] = psi(ra, rb)
        out["prediction_js"] = float(distance.jensenshannon(ra / ra.sum(), rb / rb.sum()))
        ks = stats.ks_2samp(a, b)
        out["prediction_ks"] = float(ks.statistic)
        out["prediction_ks_pvalue"] = float(ks.pvalue)
        d = np.abs(a - b)
        out["mean_abs_diff"] = float(d.mean())
        out["max_abs_diff"] = float(d.max())
    else:
        la = [label_of(p[0], p[1]) for p in pairs]
        lb = [label_of(p[2], p[3]) for p in pairs]
        out["agreement"] = float(np.mean([x == y for x, y in zip(la, lb)]))
        keys = sorted(set(la) | set(lb))
        ra = np.array([la.count(k) for k in keys], dtype=float)
        rb = np.array([lb.count(k) for k in keys], dtype=float)
        out["prediction_psi"] = psi(ra, rb)
        out["prediction_js"] = float(distance.jensenshannon(ra / ra.sum(), rb / rb.sum()))
    return out


request = json.load(sys.stdin)
json.dump({"cases": [case(c) for c in request["cases"]]}, sys.stdout)
