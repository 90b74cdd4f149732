"""Loads a model through the registry, as a deployment does, and prints its predictions on two rows.
Usage: load_model.py MODEL_URI   (e.g. models:/NAME@candidate)"""
import json
import sys
import warnings

import mlflow
import pandas as pd

warnings.filterwarnings("ignore")
# MLflow prints progress ("View run ...") on stdout: keep it for the answer alone
answer, sys.stdout = sys.stdout, sys.stderr
model = mlflow.pyfunc.load_model(sys.argv[1])
print(json.dumps([int(p) for p in model.predict(pd.DataFrame([[0.0, 1.0], [1.0, 0.0]]))]), file=answer)
