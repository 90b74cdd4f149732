"""SciPy/NumPy reference values for DriftStatisticsIT (the oracle for io.jenkins.plugins.mlstages.data.DriftStatistics).

Reads one JSON object on stdin:
  {"cases": [{"reference": [...], "current": [...],           # numeric samples (optional)
              "ref_cats": {"a": 3, ...}, "cur_cats": {...}}], # category counts (optional)
   "kstwo": [[n, x], ...],                                   # optional points for kstwo.sf / smirnov
   "quantiles": [{"values": [...], "q": [...]}]}             # optional np.quantile checks
Prints one JSON object on stdout with, per case, every statistic as SciPy/NumPy compute it.

Numeric bins: the 9 reference deciles np.quantile(reference, [0.1 .. 0.9]) ('linear') and
np.searchsorted(edges, x, side='left'), i.e. bins (-inf, e0], (e0, e1], ..., (e8, +inf).
Empty-share replacement (PSI, and chi-square when a category is absent from the reference) follows
Evidently's get_binned_data(feel_zeroes=True): 0.0001, or min non-zero share / 1e6 if that is <= 0.0001.
"""
import json
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

DECILES = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])


def fill_zeroes(shares):
    shares = shares.copy()
    if (shares == 0).any():
        smallest = min(shares[shares != 0])
        np.place(shares, shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return shares


def psi(ref_counts, cur_counts):
    ref = fill_zeroes(ref_counts / ref_counts.sum())
    cur = fill_zeroes(cur_counts / cur_counts.sum())
    return float(np.sum((ref - cur) * np.log(ref / cur)))


def jensenshannon(ref_counts, cur_counts):
    # Evidently passes shares (count / len); scipy renormalises them; natural log (base=None)
    return float(distance.jensenshannon(ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum()))


def category_arrays(ref_cats, cur_cats):
    keys = sorted(k for k in set(ref_cats) | set(cur_cats) if ref_cats.get(k, 0) > 0 or cur_cats.get(k, 0) > 0)
    ref = np.array([ref_cats.get(k, 0) for k in keys], dtype=float)
    cur = np.array([cur_cats.get(k, 0) for k in keys], dtype=float)
    return keys, ref, cur


def chisquare(ref, cur):
    """The project's rule: Evidently's f_exp = ref * (n_cur / n_ref) unless a category is absent from the
    reference; then filled reference shares, renormalised, times n_cur."""
    if len(ref) < 2:
        return None
    if (ref == 0).any():
        shares = fill_zeroes(ref / ref.sum())
        f_exp = shares / shares.sum() * cur.sum()
    else:
        f_exp = ref * (cur.sum() / ref.sum())
    result = stats.chisquare(f_obs=cur, f_exp=f_exp)
    return {"statistic": float(result.statistic), "pvalue": float(result.pvalue)}


def evidently_chisquare(ref_cats, cur_cats):
    """Evidently's _chi_stat_test (legacy/calculations/stattests/chisquare_stattest.py) on the expanded
    samples, for the cases where every current category is in the reference (else SciPy gives inf / 0)."""
    import pandas as pd

    reference = pd.Series(np.repeat(list(ref_cats), [int(v) for v in ref_cats.values()]))
    current = pd.Series(np.repeat(list(cur_cats), [int(v) for v in cur_cats.values()]))
    keys = list(set(reference.dropna().unique()) | set(current.dropna().unique()))
    if len(keys) < 2 or not set(current.unique()) <= set(reference.unique()):
        return None
    ref_dict = {**dict.fromkeys(keys, 0), **dict(reference.value_counts())}
    cur_dict = {**dict.fromkeys(keys, 0), **dict(current.value_counts())}
    k_norm = current.shape[0] / reference.shape[0]
    f_exp = [ref_dict[key] * k_norm for key in keys]
    f_obs = [cur_dict[key] for key in keys]
    result = stats.chisquare(f_obs, f_exp)
    return {"statistic": float(result.statistic), "pvalue": float(result.pvalue)}


def numeric_case(reference, current):
    ks = stats.ks_2samp(reference, current)  # method='auto'
    edges = np.quantile(reference, DECILES)
    ref_bins = np.bincount(np.searchsorted(edges, reference, side="left"), minlength=10)
    cur_bins = np.bincount(np.searchsorted(edges, current, side="left"), minlength=10)
    return {
        "ks": {"statistic": float(ks.statistic), "pvalue": float(ks.pvalue),
               "exact": bool(max(len(reference), len(current)) <= 10000)},
        "wasserstein": float(stats.wasserstein_distance(reference, current)),
        "std_reference": float(np.std(reference)),
        # Evidently's wasserstein_distance_norm.py
        "wasserstein_normed": float(stats.wasserstein_distance(reference, current)
                                    / max(float(np.std(reference)), 0.001)),
        "psi_edges": [float(e) for e in edges],
        "ref_bins": [int(c) for c in ref_bins],
        "cur_bins": [int(c) for c in cur_bins],
        "psi": psi(ref_bins.astype(float), cur_bins.astype(float)),
        "jensenshannon_bins": jensenshannon(ref_bins.astype(float), cur_bins.astype(float)),
    }


def categorical_case(ref_cats, cur_cats):
    keys, ref, cur = category_arrays(ref_cats, cur_cats)
    return {
        "categories": keys,
        "chisquare": chisquare(ref, cur),
        "evidently_chisquare": evidently_chisquare(ref_cats, cur_cats),
        "jensenshannon_cats": jensenshannon(ref, cur),
        "psi_cats": psi(ref, cur),
    }


def main():
    request = json.load(sys.stdin)
    cases = []
    for case in request.get("cases", []):
        out = {}
        if case.get("reference") is not None:
            out.update(numeric_case(np.asarray(case["reference"], dtype=float),
                                    np.asarray(case["current"], dtype=float)))
        if case.get("ref_cats") is not None:
            out.update(categorical_case(case["ref_cats"], case["cur_cats"]))
        cases.append(out)
    kstwo = [{"sf": float(stats.kstwo.sf(x, n)), "smirnov": float(special.smirnov(int(n), x))}
             for n, x in request.get("kstwo", [])]
    quantiles = [[float(v) for v in np.quantile(np.asarray(q["values"], dtype=float), q["q"])]
                 for q in request.get("quantiles", [])]
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__,
               "cases": cases, "kstwo": kstwo, "quantiles": quantiles}, sys.stdout)


if __name__ == "__main__":
    main()
