"""Runs Evidently 0.7.23's DataDriftPreset (the new API, as a user would) on pairs of CSV files.

Request on stdin: {"cases": [{"name": ..., "reference": "ref.csv", "current": "cur.csv"}]}.
Prints, per case, each tested column's method (Evidently's display name), drift score and verdict
(the ValueDrift test FAILs iff the column drifted), and the dataset's drifted count, share and
verdict (the DriftedColumnsCount test FAILs iff share >= drift_share). Used by EvidentlyDriftIT.
"""
import json
import sys
import warnings

import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset

warnings.filterwarnings("ignore")


def run(case):
    reference = pd.read_csv(case["reference"])
    current = pd.read_csv(case["current"])
    snapshot = Report([DataDriftPreset()], include_tests=True).run(current, reference).dict()
    columns = {}
    dataset = {}
    by_metric = {}
    for metric in snapshot["metrics"]:
        config = metric["config"]
        if config["type"].endswith("ValueDrift"):
            by_metric[metric["id"]] = config["column"]
            columns[config["column"]] = {"method": config["method"], "score": metric["value"],
                                         "threshold": config["threshold"]}
        elif config["type"].endswith("DriftedColumnsCount"):
            dataset = {"count": metric["value"]["count"], "share": metric["value"]["share"]}
    for test in snapshot["tests"]:
        metric_id = test["metric_config"]["metric_id"]
        if metric_id in by_metric:
            columns[by_metric[metric_id]]["drifted"] = test["status"] == "FAIL"
        elif test["metric_config"]["params"]["type"].endswith("DriftedColumnsCount"):
            dataset["drifted"] = test["status"] == "FAIL"
    dtypes = {name: str(dtype) for name, dtype in current.dtypes.items()}
    return {"name": case["name"], "columns": columns, "dataset": dataset, "dtypes": dtypes}


def main():
    request = json.load(sys.stdin)
    json.dump({"cases": [run(case) for case in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
