"""The Hugging Face rendering of a card document: a README.md with YAML front matter.

The body is the Markdown document. The front matter carries tags, the card's identity and hash
under ``cardinal``, and a ``model-index`` with one result per evaluation of the card that has
numeric metrics (``type: number`` with a finite value), so ``huggingface_hub.ModelCard`` reads
them as ``card.data.eval_results``. Hugging Face wants a task and a dataset for every result;
they come from the card where it says them, with plain fallbacks where it does not:

* task: the model package's SageMaker ``task`` mapped to the Hub's task id, else the model's
  ``problem_type`` as a slug, else ``other``;
* dataset: named after the evaluation, typed by its first dataset URI, else by the evaluation's
  name as a slug;
* metric: typed by the metric's name as a slug, named ``"<metric group>: <metric>"``.

Every value of the front matter is on one line: text holding a line break is written
double-quoted with the break escaped, and no line is folded. So no value, whatever it says,
can end the front matter (``---`` on a line of its own) or add a key; it reads back as it is.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from cardinal.documents.markdown_text import markdown_body
from cardinal.documents.model import CardDocument
from cardinal.documents.outline import outline_of
from cardinal.documents.text import is_number, slug

# SageMaker's ModelPackage Task values and the Hugging Face Hub task ids they correspond to.
_HUB_TASKS = {
    "IMAGE_CLASSIFICATION": "image-classification",
    "OBJECT_DETECTION": "object-detection",
    "TEXT_GENERATION": "text-generation",
    "IMAGE_SEGMENTATION": "image-segmentation",
    "FILL_MASK": "fill-mask",
    "CLASSIFICATION": "tabular-classification",
    "REGRESSION": "tabular-regression",
    "OTHER": "other",
}
# What YAML reads as a line break.
_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


def render_hugging_face(document: CardDocument) -> str:
    """The card version as a Hugging Face model card (README.md)."""
    metadata: dict[str, Any] = {
        "tags": ["cardinal", "model-card"],
        "cardinal": _identity(document),
    }
    results = _results(document.content)
    if results:
        metadata["model-index"] = [{"name": document.name, "results": results}]
    front = yaml.dump(
        metadata, Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True, width=math.inf
    )
    return f"---\n{front}---\n\n{markdown_body(outline_of(document))}"


class _FrontMatterDumper(yaml.SafeDumper):
    """A safe YAML dumper that writes every string on one line."""


def _one_line_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(mark in text for mark in _LINE_BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_FrontMatterDumper.add_representer(str, _one_line_text)


def _identity(document: CardDocument) -> dict[str, Any]:
    identity: dict[str, Any] = {
        "card_name": document.name,
        "card_arn": document.arn,
        "card_version": document.version,
        "status": document.status,
        "risk_rating": document.risk_rating,
        "content_sha256": document.content_sha256,
        "chain_sha256": document.chain_sha256,
    }
    if document.package is not None:
        identity["model_package_arn"] = document.package.arn
    return identity


def _task(content: dict[str, Any]) -> dict[str, str]:
    details = content.get("model_package_details")
    overview = content.get("model_overview")
    package_task = details.get("task") if isinstance(details, dict) else None
    problem = overview.get("problem_type") if isinstance(overview, dict) else None
    if isinstance(package_task, str) and package_task.upper() in _HUB_TASKS:
        return {"type": _HUB_TASKS[package_task.upper()], "name": package_task}
    if isinstance(problem, str) and problem.strip():
        return {"type": slug(problem, "other"), "name": problem}
    return {"type": "other"}


def _results(content: dict[str, Any]) -> list[dict[str, Any]]:
    evaluations = content.get("evaluation_details")
    if not isinstance(evaluations, list):
        return []
    task = _task(content)
    results = []
    for index, evaluation in enumerate(evaluations, 1):
        if not isinstance(evaluation, dict):
            continue
        metrics = _numeric_metrics(evaluation.get("metric_groups"))
        if not metrics:
            continue
        name = evaluation.get("name")
        name = name if isinstance(name, str) and name.strip() else f"Evaluation {index}"
        datasets = [d for d in evaluation.get("datasets") or [] if isinstance(d, str) and d]
        dataset = {"name": name, "type": datasets[0] if datasets else slug(name, "dataset")}
        results.append({"task": dict(task), "dataset": dataset, "metrics": metrics})
    return results


def _numeric_metrics(groups: Any) -> list[dict[str, Any]]:
    found = []
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, dict) or not isinstance(group.get("metric_data"), list):
            continue
        group_name = group.get("name") if isinstance(group.get("name"), str) else "metrics"
        for metric in group["metric_data"]:
            if not isinstance(metric, dict) or metric.get("type") != "number":
                continue
            value, name = metric.get("value"), metric.get("name")
            if not (is_number(value) and _finite(value) and isinstance(name, str)):
                continue
            found.append(
                {"type": slug(name, "metric"), "value": value, "name": f"{group_name}: {name}"}
            )
    return found


def _finite(value: float) -> bool:
    return isinstance(value, int) or math.isfinite(value)
