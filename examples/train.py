"""Trains the example fraud model on the reference data and writes its predictions on the new batch,
plus the predictions of the previous model (the champion) on the same rows, for evaluate and gate.
With MLFLOW_TRACKING_URI set it records the training as an MLflow run and writes its id to
OUT_DIR/run_id, so that the pipeline's stages log to it, and logs both models the MLflow 3 way
(log_model(name="model"), a logged model m-…): the pipeline registers the candidate from its run
(register --run-id RUN --artifact-path model, which finds the run's logged model "model"), and the
champion by OUT_DIR/champion_model_id. OUT_DIR/model_id names the candidate's logged model. Deterministic.
Usage: python3 examples/train.py OUT_DIR   (needs numpy, pandas, scikit-learn; mlflow for the run)"""
import logging
import os
import pathlib
import sys
import warnings

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

if os.environ.get("MLFLOW_TRACKING_URI"):
    # Quiet: the run ids below are what the pipeline needs. MLflow's "View run at" links point at a
    # server the pipeline stops when it ends; its hint that integer outputs cannot hold missing values
    # is about the classifier's 0/1 labels, which never miss; "creating a new experiment" is expected.
    os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")
    warnings.filterwarnings("ignore", message="Hint: Inferred schema contains integer column", category=UserWarning)
    import mlflow

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    mlflow.set_experiment("ml-stages-example")
    with mlflow.start_run(run_name="train-fraud-model") as run:
        mlflow.log_params({k: v for k, v in candidate.get_params().items() if v is not None})
        mlflow.set_tag("mlflow.source.name", "examples/train.py")
        info = mlflow.sklearn.log_model(candidate, name="model", input_example=features(new).head(3).astype(float),
                                        skops_trusted_types=["sklearn.tree._tree.Tree"])
    (out / "run_id").write_text(run.info.run_id)
    (out / "model_id").write_text(info.model_id)
    print(f"training recorded as MLflow run {run.info.run_id}, model logged as {info.model_id}")

    # The champion stands for the model already in production: logged in a run of its own, so the
    # pipeline can register it first and the canary has a stable version to shift traffic from.
    with mlflow.start_run(run_name="previous-fraud-model"):
        mlflow.set_tag("mlflow.source.name", "examples/train.py")
        champion_info = mlflow.sklearn.log_model(champion, name="model",
                                                 input_example=features(new)[["age", "log_income"]].head(3).astype(float))
    (out / "champion_model_id").write_text(champion_info.model_id)
    print(f"champion logged as {champion_info.model_id}")
