"""Prints a run's latest metrics and one artifact's text, as the official MLflow client sees them.
Usage: run_metrics.py RUN_ID ARTIFACT_PATH"""
import json
import sys
import tempfile

from mlflow import MlflowClient

client = MlflowClient()
run = client.get_run(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    path = client.download_artifacts(sys.argv[1], sys.argv[2], tmp)
    with open(path, encoding="utf-8") as f:
        artifact = f.read()
print(json.dumps({"metrics": run.data.metrics, "artifact": artifact}))
