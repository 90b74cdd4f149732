"""scikit-learn / NumPy reference values for EvalMetricsIT (the oracle for io.jenkins.plugins.mlstages.eval).

stdin: one JSON object
  {"binary":     [{"name", "labels": [0/1...], "scores": [...], "threshold": t,
                   "groups": [str...] (optional, fairness)}],
   "multiclass": [{"name", "labels": [...], "k": k, "proba": [[...]...]}            # predicted = argmax
                  or {"name", "labels": [...], "k": k, "predicted": [...]}],
   "regression": [{"name", "y_true": [...], "y_pred": [...]}],
   "large":      {"labels": path int32 LE, "scores": path float64 LE} (optional: time sklearn's AUC)}
stdout: one JSON object with the same lists, every metric as scikit-learn 1.9 computes it.

Conventions mirrored from the Java side (and documented there):
  - a row is predicted positive when score >= threshold; precision/recall/f1 use sklearn's defaults
    (average='binary', zero_division='warn' -> 0.0);
  - log_loss gets labels=[0, 1] (binary) or labels=range(k) (multiclass), as MLflow passes its label list;
  - roc_auc_score of a single-class y_true is NaN (sklearn warns and returns NaN);
  - expected calibration error: no sklearn function; computed from calibration_curve(n_bins=10, 'uniform')
    as sum |prob_true - prob_pred| * n_bin / N with n_bin from the same np.searchsorted binning;
  - best threshold: over the distinct scores (confusion_matrix_at_thresholds, descending), first maximum
    (= highest threshold) of f1 = 2tp/(2tp+fp+fn) (0 when 0/0) or accuracy = (tp+tn)/n; for small inputs
    also brute-forced with f1_score / accuracy_score;
  - fairness: fairlearn's definitions (fairlearn is not installed): per-group selection rate = mean(y_pred),
    TPR/FPR from confusion_matrix(normalize='true') (nan_to_num -> 0), MetricFrame.difference/ratio
    between_groups and to_overall as in fairlearn/metrics/_disaggregated_result.py, with pandas.
"""
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

warnings.simplefilter("ignore")


def f(x):
    return float(x)


def lst(a):
    return [float(v) for v in np.asarray(a, dtype=float)]


def ece(y, s, n_bins=10):
    prob_true, prob_pred = calibration_curve(y, s, n_bins=n_bins, strategy="uniform")
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    binids = np.searchsorted(bins[1:-1], s)
    total = np.bincount(binids, minlength=n_bins)
    counts = total[total != 0]
    return float(np.sum(np.abs(prob_true - prob_pred) * counts / len(s))), prob_true, prob_pred, counts


def best_threshold(y, s):
    tns, fps, fns, tps, thr = skm.confusion_matrix_at_thresholds(y, s)
    denom = 2 * tps + fps + fns
    f1 = np.where(denom > 0, 2 * tps / np.where(denom > 0, denom, 1), 0.0)
    acc = (tps + tns) / len(y)
    i_f1 = int(np.argmax(f1))
    i_acc = int(np.argmax(acc))
    out = {"f1": [f(thr[i_f1]), f(f1[i_f1])], "accuracy": [f(thr[i_acc]), f(acc[i_acc])]}
    if len(thr) <= 300:  # brute force with sklearn's own scorers
        bf1 = [skm.f1_score(y, (s >= t).astype(int)) for t in thr]
        bacc = [skm.accuracy_score(y, (s >= t).astype(int)) for t in thr]
        j1 = int(np.argmax(bf1))
        ja = int(np.argmax(bacc))
        out["brute"] = {"f1": [f(thr[j1]), f(bf1[j1])], "accuracy": [f(thr[ja]), f(bacc[ja])]}
    return out


def fairness(y, pred, groups):
    keys = sorted(set(groups))
    g = np.asarray(groups, dtype=object)

    def rates(mask):
        yt, yp = y[mask], pred[mask]
        cm = skm.confusion_matrix(yt, yp, labels=[0, 1], normalize="true")
        return {"selection_rate": float(np.mean(yp == 1)), "tpr": float(cm[1, 1]), "fpr": float(cm[0, 1]),
                "count": int(mask.sum())}

    by = {k: rates(g == k) for k in keys}
    overall = rates(np.ones(len(y), dtype=bool))
    frame = pd.DataFrame({m: [by[k][m] for k in keys] for m in ("selection_rate", "tpr", "fpr")}, index=keys)
    ov = pd.Series({m: overall[m] for m in ("selection_rate", "tpr", "fpr")})

    def difference(method):
        sub = frame.min() if method == "between_groups" else ov
        return (frame - sub).abs().max()

    def ratio(method):
        if method == "between_groups":
            return frame.min() / frame.max()
        r = frame / ov
        return r.apply(lambda x: x.transform(lambda v: 1 / v if v > 1 else v)).min()

    out = {"groups": keys, "by_group": by, "overall": overall}
    for method in ("between_groups", "to_overall"):
        d = difference(method)
        r = ratio(method)
        eo_d = max(pd.Series([d["tpr"], d["fpr"]]))
        eo_r = min(pd.Series([r["tpr"], r["fpr"]]))
        out[method] = {"demographic_parity_difference": f(d["selection_rate"]),
                       "demographic_parity_ratio": f(r["selection_rate"]),
                       "equalized_odds_difference": f(eo_d), "equalized_odds_ratio": f(eo_r),
                       "equal_opportunity_difference": f(d["tpr"]), "equal_opportunity_ratio": f(r["tpr"])}
    return out


def binary(case):
    y = np.asarray(case["labels"], dtype=np.int64)
    s = np.asarray(case["scores"], dtype=np.float64)
    pred = (s >= case["threshold"]).astype(np.int64)
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    out = {"name": case["name"],
           "accuracy_score": f(skm.accuracy_score(y, pred)),
           "precision_score": f(skm.precision_score(y, pred)),
           "recall_score": f(skm.recall_score(y, pred)),
           "f1_score": f(skm.f1_score(y, pred)),
           "tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp),
           "positives": int((y == 1).sum()), "negatives": int((y == 0).sum()),
           "roc_auc": f(skm.roc_auc_score(y, s)),
           "average_precision": f(skm.average_precision_score(y, s))}
    precision, recall, pr_thr = skm.precision_recall_curve(y, s)
    out["pr_auc_trapezoid"] = f(skm.auc(recall, precision))
    out["pr_curve"] = {"precision": lst(precision), "recall": lst(recall), "thresholds": lst(pr_thr)}
    fpr, tpr, roc_thr = skm.roc_curve(y, s)
    out["roc_curve"] = {"fpr": lst(fpr), "tpr": lst(tpr), "thresholds": lst(roc_thr)}
    if s.min() >= 0 and s.max() <= 1:
        out["log_loss"] = f(skm.log_loss(y, s, labels=[0, 1]))
        out["brier_score_loss"] = f(skm.brier_score_loss(y, s))
        e, prob_true, prob_pred, counts = ece(y, s)
        out["expected_calibration_error"] = e
        out["calibration"] = {"prob_true": lst(prob_true), "prob_pred": lst(prob_pred),
                              "counts": [int(c) for c in counts]}
    out["best_threshold"] = best_threshold(y, s)
    if "groups" in case:
        out["fairness"] = fairness(y, pred, case["groups"])
    return out


def multiclass(case):
    y = np.asarray(case["labels"], dtype=np.int64)
    k = int(case["k"])
    labels = list(range(k))
    out = {"name": case["name"]}
    if "proba" in case:
        p = np.asarray(case["proba"], dtype=np.float64)
        pred = p.argmax(axis=1)
        out["roc_auc_macro"] = f(skm.roc_auc_score(y, p, multi_class="ovr", average="macro", labels=labels))
        out["roc_auc_weighted"] = f(skm.roc_auc_score(y, p, multi_class="ovr", average="weighted", labels=labels))
        out["roc_auc_per_class"] = [f(skm.roc_auc_score(y == c, p[:, c])) if 0 < (y == c).sum() < len(y)
                                    else float("nan") for c in labels]
        out["log_loss"] = f(skm.log_loss(y, p, labels=labels))
        if len(np.unique(y)) == k:  # MLflow's call, without labels=
            out["roc_auc_mlflow"] = f(skm.roc_auc_score(y, p, multi_class="ovr", average="weighted"))
    else:
        pred = np.asarray(case["predicted"], dtype=np.int64)
    out["predicted"] = [int(v) for v in pred]
    out["accuracy_score"] = f(skm.accuracy_score(y, pred))
    for avg in ("macro", "micro", "weighted"):
        out["precision_" + avg] = f(skm.precision_score(y, pred, average=avg))
        out["recall_" + avg] = f(skm.recall_score(y, pred, average=avg))
        out["f1_" + avg] = f(skm.f1_score(y, pred, average=avg))
    out["confusion_matrix"] = skm.confusion_matrix(y, pred, labels=labels).tolist()
    return out


def regression(case):
    t = np.asarray(case["y_true"], dtype=np.float64)
    p = np.asarray(case["y_pred"], dtype=np.float64)
    return {"name": case["name"],
            "mean_absolute_error": f(skm.mean_absolute_error(t, p)),
            "mean_squared_error": f(skm.mean_squared_error(t, p)),
            "root_mean_squared_error": f(skm.root_mean_squared_error(t, p)),
            "r2_score": f(skm.r2_score(t, p)),
            "mean_absolute_percentage_error": f(skm.mean_absolute_percentage_error(t, p)),
            "max_error": f(skm.max_error(t, p)),
            "explained_variance_score": f(skm.explained_variance_score(t, p)),
            "sum_on_target": f(np.sum(t))}


def large(spec):
    y = np.fromfile(spec["labels"], dtype="<i4")
    s = np.fromfile(spec["scores"], dtype="<f8")
    start = time.perf_counter()
    auc = skm.roc_auc_score(y, s)
    seconds = time.perf_counter() - start
    return {"rows": int(len(y)), "roc_auc": f(auc), "seconds": seconds}


request = json.load(sys.stdin)
result = {"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__},
          "binary": [binary(c) for c in request.get("binary", [])],
          "multiclass": [multiclass(c) for c in request.get("multiclass", [])],
          "regression": [regression(c) for c in request.get("regression", [])]}
if "large" in request:
    result["large"] = large(request["large"])
json.dump(result, sys.stdout)
