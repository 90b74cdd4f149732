"""The scikit-learn peer of the evaluate benchmark, and the generator of its input.

  evaluate_peer.py generate OUT.csv ROWS   writes ROWS binary predictions (label 0/1, score on a 0.001 grid,
                                           so with many ties), deterministic (seed 42)
  evaluate_peer.py run IN.csv RESAMPLES    what a scikit-learn job does for `mlstages evaluate --task binary`:
                                           pandas read_csv; every binary metric (accuracy, precision, recall,
                                           F1, confusion matrix, ROC AUC, average precision, log loss, Brier,
                                           expected calibration error from calibration_curve, the ROC and PR
                                           curves); then RESAMPLES bootstrap resamples of roc_auc_score and
                                           f1_score with numpy's default_rng(42) and the 95% percentile interval.
Prints the time of each phase (read, metrics, AUC alone, bootstrap) on stderr and, on stdout, one line
`total=S read=S metrics=S auc=S bootstrap=S roc_auc=V f1_score=V [roc_auc_95=LO..HI]` (seconds inside Python)."""
import sys
import time

import numpy as np
import pandas as pd


def generate(path, rows):
    rng = np.random.default_rng(42)
    label = (rng.random(rows) < 0.3).astype(np.int8)
    score = np.clip(np.where(label == 1, 0.62, 0.4) + rng.normal(0, 0.18, rows), 0, 1).round(3)
    pd.DataFrame({"label": label, "score": score}).to_csv(path, index=False)


def run(path, resamples):
    from sklearn import metrics as skm
    from sklearn.calibration import calibration_curve

    phases = {}
    start = time.perf_counter()
    frame = pd.read_csv(path)
    y = frame["label"].to_numpy()
    s = frame["score"].to_numpy(dtype=np.float64)
    phases["read"] = time.perf_counter() - start

    t = time.perf_counter()
    pred = (s >= 0.5).astype(np.int64)
    values = {"accuracy_score": skm.accuracy_score(y, pred),
              "precision_score": skm.precision_score(y, pred),
              "recall_score": skm.recall_score(y, pred),
              "f1_score": skm.f1_score(y, pred)}
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    values.update(true_negatives=tn, false_positives=fp, false_negatives=fn, true_positives=tp,
                  positive_count=int((y == 1).sum()), negative_count=int((y == 0).sum()))
    a = time.perf_counter()
    values["roc_auc"] = skm.roc_auc_score(y, s)
    phases["auc alone"] = time.perf_counter() - a
    values["precision_recall_auc"] = skm.average_precision_score(y, s)
    values["log_loss"] = skm.log_loss(y, s, labels=[0, 1])
    values["brier_score_loss"] = skm.brier_score_loss(y, s)
    prob_true, prob_pred = calibration_curve(y, s, n_bins=10)
    counts = np.bincount(np.searchsorted(np.linspace(0, 1, 11)[1:-1], s), minlength=10)
    values["expected_calibration_error"] = float(np.sum(np.abs(prob_true - prob_pred) * counts[counts > 0]) / len(s))
    skm.roc_curve(y, s)
    skm.precision_recall_curve(y, s)
    phases["metrics"] = time.perf_counter() - t

    t = time.perf_counter()
    if resamples > 0:
        rng = np.random.default_rng(42)
        n = len(y)
        aucs = np.empty(resamples)
        f1s = np.empty(resamples)
        for r in range(resamples):
            idx = rng.integers(0, n, n)
            aucs[r] = skm.roc_auc_score(y[idx], s[idx])
            f1s[r] = skm.f1_score(y[idx], pred[idx])
        values["roc_auc_ci"] = tuple(np.quantile(aucs, [0.025, 0.975]))
        values["f1_score_ci"] = tuple(np.quantile(f1s, [0.025, 0.975]))
    phases["bootstrap"] = time.perf_counter() - t
    total = time.perf_counter() - start
    for name, seconds in phases.items():
        print(f"  sklearn {name:<10} {seconds:8.2f} s", file=sys.stderr)
    ci = f" roc_auc_95={values['roc_auc_ci'][0]:.5f}..{values['roc_auc_ci'][1]:.5f}" if resamples else ""
    print(f"total={total:.3f} read={phases['read']:.3f} metrics={phases['metrics']:.3f} auc={phases['auc alone']:.3f} "
          f"bootstrap={phases['bootstrap']:.3f} roc_auc={values['roc_auc']:.6f} f1_score={values['f1_score']:.6f}" + ci)

if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]))
    else:
        run(sys.argv[2], int(sys.argv[3]))
