"""Reads back, with the official MLflow Python client, what the Java client wrote in MlflowRegistryIT.

Usage: readback.py RUN_ID METRIC_KEY MODEL_NAME ALIAS  (MLFLOW_TRACKING_URI points at the server)
Prints one JSON object on stdout.
"""
import json
import sys

from mlflow import MlflowClient

run_id, metric_key, model_name, alias = sys.argv[1:5]
client = MlflowClient()
run = client.get_run(run_id)
history = client.get_metric_history(run_id, metric_key)
version = client.get_model_version_by_alias(model_name, alias)
model = client.get_registered_model(model_name)
versions = client.search_model_versions(f"name = '{model_name}'")
datasets = [
    {
        "name": d.dataset.name,
        "digest": d.dataset.digest,
        "source_type": d.dataset.source_type,
        "source": d.dataset.source,
        "schema": d.dataset.schema,
        "profile": d.dataset.profile,
        "tags": {t.key: t.value for t in d.tags},
    }
    for d in run.inputs.dataset_inputs
]
print(json.dumps({
    "run_name": run.info.run_name,
    "status": run.info.status,
    "params": run.data.params,
    "tags": {k: v for k, v in run.data.tags.items()},
    "metrics": run.data.metrics,
    "history": [[m.step, m.value, m.timestamp] for m in sorted(history, key=lambda m: (m.step, m.timestamp))],
    "datasets": datasets,
    "alias_version": version.version,
    "alias_source": version.source,
    "alias_run_id": version.run_id,
    "alias_tags": version.tags,
    "version_aliases": list(version.aliases),
    "model_tags": model.tags,
    "model_description": model.description,
    "version_count": len(versions),
}, sort_keys=True))
