"""Trains three models for the shadow tests and saves them as MLflow models under OUT_DIR:
live (a random forest, seed 0), equivalent (the same model, seed 1: what a retrain gives) and
shuffled (the same model trained on shuffled labels: healthy HTTP, wrong predictions). Writes
OUT_DIR/requests.jsonl: request bodies for `mlflow models serve` (dataframe_split, 4 rows each).
Usage: python train_models.py OUT_DIR   (numpy, scikit-learn, mlflow)"""
import json
import pathlib
import sys

import numpy as np
import mlflow.sklearn
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
x, y = make_classification(n_samples=4000, n_features=6, n_informative=4, class_sep=1.5, random_state=7)
train, test = slice(0, 3000), slice(3000, 4000)
shuffled = np.random.default_rng(3).permutation(y[train])
models = {
    "live": RandomForestClassifier(n_estimators=40, max_depth=6, random_state=0).fit(x[train], y[train]),
    "equivalent": RandomForestClassifier(n_estimators=40, max_depth=6, random_state=1).fit(x[train], y[train]),
    "shuffled": RandomForestClassifier(n_estimators=40, max_depth=6, random_state=0).fit(x[train], shuffled),
}
for name, model in models.items():
    mlflow.sklearn.save_model(model, str(out / name), serialization_format="pickle")
columns = [f"f{i}" for i in range(x.shape[1])]
with open(out / "requests.jsonl", "w") as requests:
    rows = x[test].round(4).tolist()
    for start in range(0, len(rows), 4):
        requests.write(json.dumps({"dataframe_split": {"columns": columns, "data": rows[start:start + 4]}}) + "\n")
print("trained", ", ".join(models), "into", out)
