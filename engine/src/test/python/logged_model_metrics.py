"""Prints a logged model's metric rows as MLflow's client sees them (every row, as the model's page lists them).
Usage: logged_model_metrics.py MODEL_ID"""
import json
import sys

from mlflow import MlflowClient

model = MlflowClient().get_logged_model(sys.argv[1])
print(json.dumps([{"key": m.key, "value": m.value, "run_id": m.run_id} for m in model.metrics or []]))
