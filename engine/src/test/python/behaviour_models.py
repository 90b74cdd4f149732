"""Three versions of the example fraud model for the behaviour tests, saved as MLflow models that
`mlflow models serve` answers with the positive-class probability (pyfunc_predict_fn="predict_proba"):
  stable      standardised logistic regression on examples/data/reference.csv
  equivalent  the same model retrained on a seeded 90 % subsample: what a retrain gives
  shuffled    the same model trained on shuffled labels: healthy HTTP, wrong predictions
and two JSON lines files of model inputs from examples/data/current.csv: probe.jsonl (first ROWS rows,
with the true label in "is_fraud") and load.jsonl (every row, no label).
Usage: behaviour_models.py ROOT OUT_DIR ROWS      Prints {"stable": dir, "equivalent": dir, "shuffled": dir}."""
import json
import pathlib
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")
answer, sys.stdout = sys.stdout, sys.stderr
import mlflow.sklearn  # noqa: E402

root = pathlib.Path(sys.argv[1])
out = pathlib.Path(sys.argv[2])
rows = int(sys.argv[3])
train = pd.read_csv(root / "examples" / "data" / "reference.csv")
new = pd.read_csv(root / "examples" / "data" / "current.csv")


def features(frame):
    return pd.DataFrame({
        "age": frame["age"].fillna(frame["age"].median()).astype(float),
        "log_income": np.log(frame["income"].fillna(frame["income"].median())),
        "new_account": (frame["account_days"] < 30).astype(float),
        "account_days": frame["account_days"].fillna(frame["account_days"].median()).astype(float),
    })


x = features(train)
y = train["is_fraud"].to_numpy()
shuffled_y = np.random.default_rng(7).permutation(y)
subsample = np.random.default_rng(1).choice(len(x), int(0.9 * len(x)), replace=False)


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


models = {
    "stable": model().fit(x, y),
    "equivalent": model().fit(x.iloc[subsample], y[subsample]),
    "shuffled": model().fit(x, shuffled_y),
}
dirs = {}
for name, model in models.items():
    path = out / name
    mlflow.sklearn.save_model(model, str(path), pyfunc_predict_fn="predict_proba",
                              serialization_format="cloudpickle", pip_requirements=["scikit-learn"])
    dirs[name] = str(path)
current = features(new)
with open(out / "probe.jsonl", "w") as f:
    for i in range(min(rows, len(current))):
        row = {k: float(v) for k, v in current.iloc[i].items()}
        row["is_fraud"] = int(new["is_fraud"].iloc[i])
        f.write(json.dumps(row) + "\n")
with open(out / "load.jsonl", "w") as f:
    for i in range(len(current)):
        f.write(json.dumps({k: float(v) for k, v in current.iloc[i].items()}) + "\n")
# what the comparison should find, for the test's log
p = {name: m.predict_proba(current.head(rows))[:, 1] for name, m in models.items()}
for name in ("equivalent", "shuffled"):
    print(f"{name}: agreement {np.mean((p[name] >= 0.5) == (p['stable'] >= 0.5)):.3f}, "
          f"mean |diff| {np.mean(np.abs(p[name] - p['stable'])):.3f}", file=sys.stderr)
answer.write(json.dumps(dirs))
