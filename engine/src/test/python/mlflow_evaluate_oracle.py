"""mlflow.models.evaluate (MLflow 3) on public datasets, for MlflowEvaluateIT: the values MLflow logs under each
metric name, and the predictions it scored, written as files for the evaluateModel stage.

stdin: {"dir": path}
stdout: {"versions": {...}, "cases": [{"name", "task": "binary"|"multiclass"|"regression", "file",
         "label", "scores": [column...] or "prediction": column, "metrics": {name: value},
         "per_class": [{column: value}] (multiclass with probabilities: MLflow's per_class_metrics.csv)}]}

Models are deliberately weak (few features) so that no metric sits at its bound and the macro and weighted
averages differ. With a model, MLflow scores predict() and predict_proba() of the scikit-learn model behind
the pyfunc model it is given (mlflow.sklearn flavour); the files hold those same values (Python's repr of
each float, which reads back exactly). "Static" cases pass predictions=COLUMN and no model: MLflow then has
labels only. Tracking goes to a SQLite store in dir, artifacts to dir/artifacts; nothing else is written.
"""
import contextlib
import json
import os
import sys
import warnings

warnings.simplefilter("ignore")
request = json.load(sys.stdin)
work = request["dir"]
os.environ["MLFLOW_TRACKING_URI"] = "sqlite:///" + os.path.join(work, "mlflow.db")

import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn import datasets  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402

# Artifacts (MLflow's plots and tables) go to the work directory too, not to ./mlruns of the caller.
mlflow.set_experiment(experiment_id=mlflow.create_experiment(
    "mlflow-evaluate-oracle", artifact_location=os.path.join(work, "artifacts")))

FEATURES = {"wine": [0, 1], "breast_cancer": [0, 1], "iris": [1], "diabetes": [2, 3]}


def load(name):
    data = getattr(datasets, "load_" + name)()
    x = data.data[:, FEATURES[name]]
    return pd.DataFrame(x, columns=[f"x{i}" for i in range(x.shape[1])]), data.target


def pyfunc(model, name):
    path = os.path.join(work, "model-" + name)
    mlflow.sklearn.save_model(model, path, serialization_format="pickle")
    return mlflow.pyfunc.load_model(path)


def write(name, frame):
    path = os.path.join(work, name + ".csv")
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(frame.columns) + "\n")
        for row in frame.itertuples(index=False):
            out.write(",".join(repr(float(v)) if isinstance(v, (float, np.floating)) else str(v) for v in row) + "\n")
    return path


def evaluate(**kwargs):
    with mlflow.start_run():
        result = mlflow.models.evaluate(**kwargs)
    metrics = {k: float(v) for k, v in result.metrics.items()}
    per_class = None
    if "per_class_metrics" in result.artifacts:
        table = result.artifacts["per_class_metrics"].content
        per_class = [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                     for row in table.to_dict("records")]
    return metrics, per_class


def classifier(name, dataset):
    x, y = load(dataset)
    model = LogisticRegression(max_iter=1000).fit(x, y)
    proba = model.predict_proba(x)
    k = proba.shape[1]
    assert not np.any(proba == 0.5), "a probability of exactly 0.5 would be a tie at the threshold"
    data = x.assign(label=y)
    metrics, per_class = evaluate(model=pyfunc(model, name), data=data, targets="label", model_type="classifier")
    frame = pd.DataFrame({"label": y})
    scores = ["p1"] if k == 2 else [f"p{c}" for c in range(k)]
    for c in range(k):
        if k > 2 or c == 1:
            frame[f"p{c}"] = proba[:, c]
    case = {"name": name, "task": "binary" if k == 2 else "multiclass", "file": write(name, frame), "label": "label",
            "scores": scores, "metrics": metrics}
    if per_class is not None:
        case["per_class"] = per_class
    out = [case]
    # Static mode: the predicted labels only.
    predicted = model.predict(x)
    static = pd.DataFrame({"label": y, "predicted": predicted})
    metrics, _ = evaluate(data=static, targets="label", predictions="predicted", model_type="classifier")
    out.append({"name": name + "-static", "task": case["task"], "file": write(name + "-static", static),
                "label": "label", "prediction": "predicted", "metrics": metrics})
    return out


def regressor(name, dataset):
    x, y = load(dataset)
    y = y.astype(np.float64)
    model = LinearRegression().fit(x, y)
    data = x.assign(y=y)
    metrics, _ = evaluate(model=pyfunc(model, name), data=data, targets="y", model_type="regressor")
    frame = pd.DataFrame({"y": y, "yhat": model.predict(x)})
    out = [{"name": name, "task": "regression", "file": write(name, frame), "label": "y", "scores": ["yhat"],
            "metrics": metrics}]
    metrics, _ = evaluate(data=frame, targets="y", predictions="yhat", model_type="regressor")
    out.append({"name": name + "-static", "task": "regression", "file": write(name + "-static", frame), "label": "y",
                "prediction": "yhat", "metrics": metrics})
    return out


with contextlib.redirect_stdout(sys.stderr):
    cases = (classifier("wine", "wine") + classifier("iris", "iris") + classifier("breast_cancer", "breast_cancer")
             + regressor("diabetes", "diabetes"))
json.dump({"versions": {"mlflow": mlflow.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__},
           "cases": cases}, sys.stdout)
