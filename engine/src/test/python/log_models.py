"""Trains a tiny scikit-learn model and logs it in one run the way a user would, for the registration tests.
Usage: log_models.py EXPERIMENT FORM...  where each FORM is
  name=P            mlflow.sklearn.log_model(model, name=P)             (MLflow 3: a logged model m-...)
  artifact_path=P   mlflow.sklearn.log_model(model, artifact_path=P)     (the MLflow 2 keyword; MLflow 3 makes a logged model)
  run_artifacts=P   save_model + log_artifacts(dir, P)                   (what an MLflow 2 client wrote: MLmodel under the run)
  name=P@STEP       as name=P, logged at that step (several models of one name)
  none              log nothing (a run without a model)
With ARTIFACT_LOCATION set, a new EXPERIMENT stores its artifacts there (a store the server does not proxy).
Prints {"run_id": ..., "model_ids": [...]} (the logged models in FORM order; null for run_artifacts)."""
import json
import os
import sys
import tempfile
import warnings

import mlflow
import numpy as np
from sklearn.linear_model import LogisticRegression

warnings.filterwarnings("ignore")
# MLflow prints progress ("View run ...") on stdout: keep it for the answer alone
answer, sys.stdout = sys.stdout, sys.stderr
X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1], [0.1, 0.8], [0.8, 0.3]])
y = np.array([0, 1, 0, 1, 0, 1])
model = LogisticRegression().fit(X, y)

if os.environ.get("ARTIFACT_LOCATION"):
    mlflow.create_experiment(sys.argv[1], artifact_location=os.environ["ARTIFACT_LOCATION"])
mlflow.set_experiment(sys.argv[1])
ids = []
with mlflow.start_run() as run:
    for form in sys.argv[2:]:
        kind, _, path = form.partition("=")
        step = 0
        if "@" in path:
            path, _, step = path.partition("@")
            step = int(step)
        if kind == "name":
            ids.append(mlflow.sklearn.log_model(model, name=path, step=step).model_id)
        elif kind == "artifact_path":
            ids.append(mlflow.sklearn.log_model(model, artifact_path=path).model_id)
        elif kind == "run_artifacts":
            with tempfile.TemporaryDirectory() as tmp:
                mlflow.sklearn.save_model(model, tmp + "/m")
                mlflow.log_artifacts(tmp + "/m", artifact_path=path)
            ids.append(None)
        elif kind != "none":
            raise SystemExit("unknown form " + form)
print(json.dumps({"run_id": run.info.run_id, "model_ids": ids}), file=answer)
