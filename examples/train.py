"""Trains the example fraud model on the reference data and writes its predictions on the new batch,
plus the predictions of the previous model (the champion) on the same rows, for evaluate and gate.
Deterministic. Usage: python3 examples/train.py OUT_DIR   (needs numpy, pandas, scikit-learn)"""
import pathlib
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

here = pathlib.Path(__file__).parent
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)

train = pd.read_csv(here / "data" / "reference.csv")
new = pd.read_csv(here / "data" / "current.csv")


def features(frame):
    return pd.DataFrame({
        "age": frame["age"],
        "log_income": np.log(frame["income"].fillna(frame["income"].median())),
        "new_account": (frame["account_days"] < 30).astype(int),
        "account_days": frame["account_days"],
    })


candidate = GradientBoostingClassifier(random_state=0, n_estimators=100, max_depth=2).fit(features(train), train["is_fraud"])
champion = LogisticRegression(max_iter=1000).fit(features(train)[["age", "log_income"]], train["is_fraud"])

pd.DataFrame({
    "is_fraud": new["is_fraud"],
    "score": candidate.predict_proba(features(new))[:, 1].round(6),
    "champion_score": champion.predict_proba(features(new)[["age", "log_income"]])[:, 1].round(6),
    "region": new["region"],
}).to_csv(out / "predictions.csv", index=False)
print(f"wrote {out / 'predictions.csv'} ({len(new)} rows)")
