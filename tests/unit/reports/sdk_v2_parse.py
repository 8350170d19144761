"""Run by the SDK v2's interpreter: parse report files with the SDK's own evaluation-metric
parsers (``EvaluationJob.add_metric_group_from_json``) and print the metric groups it made.

Reads ``[{"path": ..., "type": <EvaluationMetricTypeEnum member name>}, ...]`` from stdin and
prints, on its last line, one ``{"groups": [...]}`` or ``{"error": "..."}`` per file.
"""

import json
import sys

from sagemaker.model_card import EvaluationJob
from sagemaker.model_card.evaluation_metric_parsers import EvaluationMetricTypeEnum
from sagemaker.model_card.helpers import _JSONEncoder


def parse(path, metric_type):
    job = EvaluationJob(name="parity")
    try:
        job.add_metric_group_from_json(path, EvaluationMetricTypeEnum[metric_type])
    except Exception as error:  # the SDK raises ValueError, KeyError, TypeError, ...
        return {"error": f"{type(error).__name__}: {error}"}
    return {"groups": json.loads(json.dumps(job.metric_groups, cls=_JSONEncoder))}


def main():
    requests = json.load(sys.stdin)
    print(json.dumps([parse(r["path"], r["type"]) for r in requests]))


if __name__ == "__main__":
    main()
