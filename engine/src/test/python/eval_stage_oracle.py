"""scikit-learn / NumPy reference values for EvaluateModelIT (the end-to-end oracle of the evaluateModel stage).

stdin: one JSON object
  {"convert": [{"csv": path, "parquet": path, "jsonl": path, "text": [column...]}],
   "cases":   [{"name", "file", "format": "csv"|"parquet"|"jsonl", "task": "binary"|"multiclass"|"regression",
                "label", "scores": [column...] (or "prediction": column), "text": [column...],
                "threshold": t or "threshold_metric": "f1", "slices": [column...], "min_slice_size": n,
                "sensitive": column or null, "champion": column or null}]}
  "convert" runs first: each CSV is read with pandas and written again as Parquet (pyarrow) and as JSON lines
  (json.dumps per row: floats as Python's repr, which reads back exactly; missing values as null).
stdout: {"versions": {...}, "cases": [{"name", "metrics": {name: value}, "threshold", "confusion_matrix",
          "classes", "slices": [{"key", "rows", "metrics"}], "fairness": {...}, "champion_metrics": {...}}]}

Every file is read back with pandas (read_csv with float_precision='round_trip', read_parquet,
read_json(lines=True, precise_float=True)) and every metric is scikit-learn 1.9's on that frame:
  - binary: predicted positive when score >= threshold; precision/recall/f1 with sklearn's defaults
    (zero_division -> 0.0); roc_auc = roc_auc_score; precision_recall_auc = average_precision_score;
    log_loss(labels=[0, 1]); brier_score_loss; expected_calibration_error from calibration_curve(n_bins=10,
    'uniform') weighted by the bin counts; the threshold chosen for f1 is the first maximum of f1 over
    confusion_matrix_at_thresholds (descending thresholds, so the highest threshold among ties);
  - multiclass: MLflow's precision/recall/f1_score are the weighted averages; *_macro, *_micro;
    roc_auc = roc_auc_score(ovr, average='weighted', labels=range(k)) (MLflow's; absent classes weigh 0) and
    its alias roc_auc_weighted, roc_auc_macro = the same with average='macro' (NaN when a class is absent from
    y_true); log_loss(labels=range(k));
    predicted class = argmax of the probabilities (first maximum); classes of predicted labels = sorted union;
  - regression: the sklearn regression metrics, sum_on_target = np.sum, mean_on_target = np.mean;
  - a metric sklearn cannot define (roc_auc of one class) is NaN: the stage must leave it out;
  - slices: the same metrics on the rows of each value (missing values as '(missing)'), only for slices with at
    least min_slice_size rows; rows are reported for every slice;
  - fairness: NumPy formulas, between groups: per-group selection rate mean(pred), TPR tp/(tp+fn), FPR
    fp/(fp+tn) (0 when 0/0); demographic parity difference max - min and ratio min / max of the selection
    rates; equalized odds difference max(TPR diff, FPR diff), ratio min(TPR ratio, FPR ratio); equal
    opportunity difference = TPR diff.
"""
import json
import math
import sys
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sklearn
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

warnings.simplefilter("ignore")

MISSING = "(missing)"


def f(x):
    return float(x)


def read_csv(path, text):
    return pd.read_csv(path, dtype={c: str for c in text}, float_precision="round_trip", keep_default_na=False,
                       na_values=[""])


def convert(spec):
    frame = read_csv(spec["csv"], spec["text"])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, spec["parquet"], row_group_size=1000)
    columns = list(frame.columns)
    with open(spec["jsonl"], "w", encoding="utf-8") as out:
        for row in frame.itertuples(index=False):
            record = {}
            for name, value in zip(columns, row):
                if isinstance(value, float) and math.isnan(value):
                    value = None
                elif isinstance(value, (np.integer,)):
                    value = int(value)
                elif isinstance(value, (np.floating,)):
                    value = float(value)
                record[name] = value
            out.write(json.dumps(record) + "\n")


def read(case):
    path, fmt, text = case["file"], case["format"], case.get("text", [])
    if fmt == "csv":
        frame = read_csv(path, text)
    elif fmt == "parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_json(path, lines=True, precise_float=True, dtype=False)
    for c in text:
        frame[c] = frame[c].map(lambda v: MISSING if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
    return frame


def ece(y, s, n_bins=10):
    prob_true, prob_pred = calibration_curve(y, s, n_bins=n_bins, strategy="uniform")
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    binids = np.searchsorted(bins[1:-1], s)
    total = np.bincount(binids, minlength=n_bins)
    counts = total[total != 0]
    return float(np.sum(np.abs(prob_true - prob_pred) * counts / len(s)))


def best_f1_threshold(y, s):
    tns, fps, fns, tps, thr = skm.confusion_matrix_at_thresholds(y, s)
    denom = 2 * tps + fps + fns
    f1 = np.where(denom > 0, 2 * tps / np.where(denom > 0, denom, 1), 0.0)
    return float(thr[int(np.argmax(f1))])


def binary_metrics(y, s, threshold):
    pred = (s >= threshold).astype(np.int64)
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    m = {"example_count": f(len(y)),
         "accuracy_score": f(skm.accuracy_score(y, pred)),
         "precision_score": f(skm.precision_score(y, pred, labels=[0, 1])),
         "recall_score": f(skm.recall_score(y, pred, labels=[0, 1])),
         "f1_score": f(skm.f1_score(y, pred, labels=[0, 1])),
         "true_negatives": f(tn), "false_positives": f(fp), "false_negatives": f(fn), "true_positives": f(tp),
         "positive_count": f((y == 1).sum()), "negative_count": f((y == 0).sum()),
         "roc_auc": f(skm.roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan"),
         "precision_recall_auc": f(skm.average_precision_score(y, s))}
    if s.min() >= 0 and s.max() <= 1:
        m["log_loss"] = f(skm.log_loss(y, s, labels=[0, 1]))
        m["brier_score_loss"] = f(skm.brier_score_loss(y, s, labels=[0, 1]))
        m["expected_calibration_error"] = ece(y, s)
    return m, [[int(tn), int(fp)], [int(fn), int(tp)]]


def fairness(y, pred, groups):
    keys = sorted(set(groups))
    sel, tpr, fpr, rows = [], [], [], []
    for k in keys:
        mask = groups == k
        yt, yp = y[mask], pred[mask]
        tp = int(((yt == 1) & (yp == 1)).sum())
        fn = int(((yt == 1) & (yp == 0)).sum())
        fp = int(((yt == 0) & (yp == 1)).sum())
        tn = int(((yt == 0) & (yp == 0)).sum())
        rows.append(int(mask.sum()))
        sel.append(float(np.mean(yp == 1)))
        tpr.append(tp / (tp + fn) if tp + fn else 0.0)
        fpr.append(fp / (fp + tn) if fp + tn else 0.0)
    sel, tpr, fpr = np.array(sel), np.array(tpr), np.array(fpr)
    metrics = {"demographic_parity_difference": f(sel.max() - sel.min()),
               "demographic_parity_ratio": f(sel.min() / sel.max()),
               "equalized_odds_difference": f(max(tpr.max() - tpr.min(), fpr.max() - fpr.min())),
               "equalized_odds_ratio": f(min(tpr.min() / tpr.max(), fpr.min() / fpr.max())),
               "equal_opportunity_difference": f(tpr.max() - tpr.min())}
    groups_out = [{"group": k, "rows": rows[i], "selection_rate": f(sel[i]), "true_positive_rate": f(tpr[i]),
                   "false_positive_rate": f(fpr[i])} for i, k in enumerate(keys)]
    return {"metrics": metrics, "groups": groups_out}


def multiclass_metrics(y, pred, proba, labels):
    m = {"example_count": f(len(y)),
         "accuracy_score": f(skm.accuracy_score(y, pred)),
         "precision_score": f(skm.precision_score(y, pred, average="weighted")),
         "recall_score": f(skm.recall_score(y, pred, average="weighted")),
         "f1_score": f(skm.f1_score(y, pred, average="weighted"))}
    for avg in ("macro", "micro"):
        m["precision_" + avg] = f(skm.precision_score(y, pred, average=avg))
        m["recall_" + avg] = f(skm.recall_score(y, pred, average=avg))
        m["f1_" + avg] = f(skm.f1_score(y, pred, average=avg))
    if proba is not None:
        # with labels=, a class absent from y_true makes the macro average NaN; the weighted one gives it weight 0
        m["roc_auc_macro"] = f(skm.roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=labels))
        m["roc_auc"] = f(skm.roc_auc_score(y, proba, multi_class="ovr", average="weighted", labels=labels))
        m["roc_auc_weighted"] = m["roc_auc"]
        m["log_loss"] = f(skm.log_loss(y, proba, labels=labels))
    return m, skm.confusion_matrix(y, pred, labels=labels).tolist()


def regression_metrics(t, p):
    return {"example_count": f(len(t)),
            "mean_absolute_error": f(skm.mean_absolute_error(t, p)),
            "mean_squared_error": f(skm.mean_squared_error(t, p)),
            "root_mean_squared_error": f(skm.root_mean_squared_error(t, p)),
            "r2_score": f(skm.r2_score(t, p)),
            "mean_absolute_percentage_error": f(skm.mean_absolute_percentage_error(t, p)),
            "max_error": f(skm.max_error(t, p)),
            "explained_variance_score": f(skm.explained_variance_score(t, p)),
            "sum_on_target": f(np.sum(t)),
            "mean_on_target": f(np.mean(t))}


def evaluate(case, frame, threshold, classes):
    """(metrics, confusion matrix) of the case's task on frame."""
    task = case["task"]
    if task == "binary":
        y = frame[case["label"]].to_numpy(dtype=np.int64)
        s = frame[case["scores"][0]].to_numpy(dtype=np.float64)
        return binary_metrics(y, s, threshold)
    if task == "multiclass":
        if "prediction" in case:
            y = frame[case["label"]].astype(str).to_numpy()
            pred = frame[case["prediction"]].astype(str).to_numpy()
            return multiclass_metrics(y, pred, None, classes)
        y = frame[case["label"]].to_numpy(dtype=np.int64)
        proba = frame[case["scores"]].to_numpy(dtype=np.float64)
        return multiclass_metrics(y, proba.argmax(axis=1), proba, list(range(len(case["scores"]))))
    t = frame[case["label"]].to_numpy(dtype=np.float64)
    p = frame[case.get("prediction") or case["scores"][0]].to_numpy(dtype=np.float64)
    return regression_metrics(t, p), None


def run(case):
    frame = read(case)
    out = {"name": case["name"], "rows": int(len(frame))}
    threshold = None
    classes = None
    if case["task"] == "binary":
        y = frame[case["label"]].to_numpy(dtype=np.int64)
        s = frame[case["scores"][0]].to_numpy(dtype=np.float64)
        threshold = best_f1_threshold(y, s) if case.get("threshold_metric") == "f1" else float(case["threshold"])
        out["threshold"] = threshold
    elif case["task"] == "multiclass":
        if "prediction" in case:
            classes = sorted(set(frame[case["label"]].astype(str)) | set(frame[case["prediction"]].astype(str)))
        else:
            classes = [str(i) for i in range(len(case["scores"]))]
        out["classes"] = classes
    metrics, confusion = evaluate(case, frame, threshold, classes)
    out["confusion_matrix"] = confusion
    if case.get("sensitive"):
        y = frame[case["label"]].to_numpy(dtype=np.int64)
        pred = (frame[case["scores"][0]].to_numpy(dtype=np.float64) >= threshold).astype(np.int64)
        fair = fairness(y, pred, frame[case["sensitive"]].to_numpy(dtype=object))
        out["fairness"] = fair
        metrics.update(fair["metrics"])
    out["metrics"] = metrics
    if case.get("champion"):
        champion_case = dict(case, scores=[case["champion"]])
        out["champion_metrics"] = evaluate(champion_case, frame, threshold, classes)[0]
    slices = []
    for column in case.get("slices", []):
        values = frame[column].to_numpy(dtype=object)
        for value in sorted(set(values)):
            rows = frame[values == value]
            entry = {"key": column + "=" + value, "rows": int(len(rows))}
            if len(rows) >= case["min_slice_size"]:
                slice_classes = classes
                entry["metrics"] = evaluate(case, rows.reset_index(drop=True), threshold, slice_classes)[0]
            slices.append(entry)
    out["slices"] = slices
    return out


request = json.load(sys.stdin)
for spec in request.get("convert", []):
    convert(spec)
result = {"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__,
                       "pyarrow": pa.__version__},
          "cases": [run(c) for c in request.get("cases", [])]}
json.dump(result, sys.stdout)
