"""Prints the dataset inputs of a run as the official MLflow client sees them. Usage: run_inputs.py RUN_ID"""
import json
import sys

from mlflow import MlflowClient

run = MlflowClient().get_run(sys.argv[1])
print(json.dumps([
    {
        "name": d.dataset.name,
        "digest": d.dataset.digest,
        "source_type": d.dataset.source_type,
        "source": json.loads(d.dataset.source),
        "schema": json.loads(d.dataset.schema) if d.dataset.schema else None,
        "profile": json.loads(d.dataset.profile) if d.dataset.profile else None,
        "tags": {t.key: t.value for t in d.tags},
    }
    for d in run.inputs.dataset_inputs
], sort_keys=True))
