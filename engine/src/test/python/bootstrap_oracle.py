"""Percentile bootstrap intervals by scikit-learn and NumPy on the resamples the Java bootstrap drew, for
BootstrapOracleIT: the test sends each resample's row indices (Bootstrap.generators / draw / indices), this
script takes those rows of the predictions file, computes every metric with scikit-learn on them, and returns
np.quantile(values without NaN, [(1 - level) / 2, 1 - (1 - level) / 2], method='linear') per metric.

stdin: {"cases": [{"name", "file", "task": "binary"|"multiclass"|"regression", "label", "scores": [column...]
         or "prediction": column, "threshold": t (binary with scores), "level", "indices": [[row...]...]}]}
stdout: {"versions": {...}, "cases": [{"name", "intervals": {metric: [lower, upper]}}]}

Definitions as eval_stage_oracle.py (MLflow's names): binary predicted positive when score >= threshold,
precision/recall/f1 with zero_division 0, roc_auc_score, average_precision_score, log_loss(labels=[0, 1]),
brier_score_loss, ECE from calibration_curve(n_bins=10); multiclass weighted (MLflow's precision_score, ...),
macro and micro averages, roc_auc = roc_auc_score(ovr, weighted, labels=range(k)), roc_auc_macro,
log_loss(labels=range(k)); regression the scikit-learn regression metrics, sum_on_target and mean_on_target;
with "sensitive": column, fairlearn's between-groups disparities recomputed in NumPy.
A metric scikit-learn cannot compute on a resample (one class) is NaN and left out of the quantiles.
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

warnings.simplefilter("ignore")


def ece(y, s, n_bins=10):
    prob_true, prob_pred = calibration_curve(y, s, n_bins=n_bins, strategy="uniform")
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    total = np.bincount(np.searchsorted(bins[1:-1], s), minlength=n_bins)
    return float(np.sum(np.abs(prob_true - prob_pred) * total[total != 0] / len(s)))


def safe(fn):
    try:
        return float(fn())
    except ValueError:
        return float("nan")


def confusion(y, pred):
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    return {"accuracy_score": skm.accuracy_score(y, pred),
            "precision_score": skm.precision_score(y, pred, labels=[0, 1], zero_division=0.0),
            "recall_score": skm.recall_score(y, pred, labels=[0, 1], zero_division=0.0),
            "f1_score": skm.f1_score(y, pred, labels=[0, 1], zero_division=0.0),
            "true_negatives": tn, "false_positives": fp, "false_negatives": fn, "true_positives": tp,
            "positive_count": (y == 1).sum(), "negative_count": (y == 0).sum()}


def fairness(y, pred, groups):
    """fairlearn's between-groups disparities, in NumPy (as eval_stage_oracle.py): groups in name order."""
    sel, tpr, fpr = [], [], []
    for k in sorted(set(groups)):
        mask = groups == k
        yt, yp = y[mask], pred[mask]
        tp = int(((yt == 1) & (yp == 1)).sum())
        fn = int(((yt == 1) & (yp == 0)).sum())
        fp = int(((yt == 0) & (yp == 1)).sum())
        tn = int(((yt == 0) & (yp == 0)).sum())
        sel.append(float(np.mean(yp == 1)))
        tpr.append(tp / (tp + fn) if tp + fn else 0.0)
        fpr.append(fp / (fp + tn) if fp + tn else 0.0)
    sel, tpr, fpr = np.array(sel), np.array(tpr), np.array(fpr)
    return {"demographic_parity_difference": sel.max() - sel.min(),
            "demographic_parity_ratio": sel.min() / sel.max(),
            "equalized_odds_difference": max(tpr.max() - tpr.min(), fpr.max() - fpr.min()),
            "equalized_odds_ratio": min(tpr.min() / tpr.max(), fpr.min() / fpr.max()),
            "equal_opportunity_difference": tpr.max() - tpr.min()}


def binary(frame, case):
    y = frame[case["label"]].to_numpy(dtype=np.int64)
    if "prediction" in case:
        pred = frame[case["prediction"]].to_numpy(dtype=np.int64)
        m = confusion(y, pred)
        if case.get("sensitive"):
            m.update(fairness(y, pred, frame[case["sensitive"]].astype(str).to_numpy()))
        return m
    s = frame[case["scores"][0]].to_numpy(dtype=np.float64)
    m = confusion(y, (s >= case["threshold"]).astype(np.int64))
    if case.get("sensitive"):
        m.update(fairness(y, (s >= case["threshold"]).astype(np.int64), frame[case["sensitive"]].astype(str).to_numpy()))
    m["roc_auc"] = safe(lambda: skm.roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")
    m["precision_recall_auc"] = skm.average_precision_score(y, s)
    m["log_loss"] = skm.log_loss(y, s, labels=[0, 1])
    m["brier_score_loss"] = skm.brier_score_loss(y, s, labels=[0, 1])
    m["expected_calibration_error"] = ece(y, s)
    return m


def multiclass(frame, case):
    if "prediction" in case:
        y = frame[case["label"]].astype(str).to_numpy()
        pred = frame[case["prediction"]].astype(str).to_numpy()
        proba = None
    else:
        y = frame[case["label"]].to_numpy(dtype=np.int64)
        proba = frame[case["scores"]].to_numpy(dtype=np.float64)
        pred = proba.argmax(axis=1)
    m = {"accuracy_score": skm.accuracy_score(y, pred)}
    for avg, suffix in (("weighted", "_score"), ("macro", "_macro"), ("micro", "_micro")):
        m["precision" + suffix] = skm.precision_score(y, pred, average=avg, zero_division=0.0)
        m["recall" + suffix] = skm.recall_score(y, pred, average=avg, zero_division=0.0)
        m["f1" + suffix] = skm.f1_score(y, pred, average=avg, zero_division=0.0)
    if proba is not None:
        labels = list(range(proba.shape[1]))
        m["log_loss"] = skm.log_loss(y, proba, labels=labels)
        m["roc_auc"] = safe(lambda: skm.roc_auc_score(y, proba, multi_class="ovr", average="weighted", labels=labels))
        m["roc_auc_weighted"] = m["roc_auc"]
        m["roc_auc_macro"] = safe(lambda: skm.roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=labels))
    return m


def regression(frame, case):
    t = frame[case["label"]].to_numpy(dtype=np.float64)
    p = frame[case.get("prediction") or case["scores"][0]].to_numpy(dtype=np.float64)
    return {"mean_absolute_error": skm.mean_absolute_error(t, p),
            "mean_squared_error": skm.mean_squared_error(t, p),
            "root_mean_squared_error": skm.root_mean_squared_error(t, p),
            "r2_score": skm.r2_score(t, p),
            "mean_absolute_percentage_error": skm.mean_absolute_percentage_error(t, p),
            "max_error": skm.max_error(t, p),
            "explained_variance_score": skm.explained_variance_score(t, p),
            "sum_on_target": np.sum(t),
            "mean_on_target": np.mean(t)}


TASKS = {"binary": binary, "multiclass": multiclass, "regression": regression}


def run(case):
    text = [case["label"]] + ([case["prediction"]] if "prediction" in case and case["task"] == "multiclass" else [])
    frame = pd.read_csv(case["file"], float_precision="round_trip", dtype={c: str for c in text}
                        if case["task"] == "multiclass" and "prediction" in case else None)
    values = {}
    for idx in case["indices"]:
        metrics = TASKS[case["task"]](frame.iloc[idx].reset_index(drop=True), case)
        for name, value in metrics.items():
            values.setdefault(name, []).append(float(value))
    alpha = (1 - case["level"]) / 2
    out = {}
    for name, vals in values.items():
        v = np.array(vals)
        v = v[~np.isnan(v)]
        if len(v):
            lo, hi = np.quantile(v, [alpha, 1 - alpha], method="linear")
            out[name] = [float(lo), float(hi)]
    return {"name": case["name"], "intervals": out}


request = json.load(sys.stdin)
json.dump({"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
           "cases": [run(c) for c in request["cases"]]}, sys.stdout)
