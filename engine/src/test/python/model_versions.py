"""Prints a registered model's versions with their tags and aliases, as MLflow's own client sees them.
Usage: model_versions.py MODEL_NAME"""
import json
import sys

from mlflow import MlflowClient

client = MlflowClient()
name = sys.argv[1]
versions = []
for v in client.search_model_versions(f"name = '{name}'"):
    full = client.get_model_version(name, v.version)
    versions.append({"version": full.version, "source": full.source, "run_id": full.run_id, "status": full.status,
                     "tags": full.tags, "aliases": sorted(full.aliases), "description": full.description})
print(json.dumps(sorted(versions, key=lambda v: int(v["version"]))))
