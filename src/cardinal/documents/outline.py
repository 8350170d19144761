"""The document's outline: what a card document says, in reading order, before any format.

:func:`outline_of` turns a :class:`CardDocument` into a title block, the linked package, the
card's sections, the version history and the sign-off, each made of a few kinds of block
(``blocks.py``: labelled fields, tables, charts, titled parts). The HTML (and so the PDF) and Markdown renderers only walk this
outline, so every format shows the same facts in the same order and follows one empty rule:
every section of the card is always shown, and a section or part with nothing in it says
"Not provided."; a single field without a value is left out.

Known keys get readable labels and the schema's order; any other key is still shown, under its
own name, after the known ones, so nothing in the content is dropped.

The linked package is the model version as it stands when the document is made; the card's
"Model package details" are what the card's content recorded when it was written. Each says
which it is, so the two never read as a contradiction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cardinal.documents.blocks import Block, Chart, Entry, Fields, Part, Section, Table
from cardinal.documents.charts import BarChart, HeatMap, LineChart
from cardinal.documents.model import CardDocument
from cardinal.documents.sign_off import sign_off
from cardinal.documents.text import (
    NOT_PROVIDED,
    SIGNIFICANT_DIGITS,
    is_empty,
    is_number,
    is_rounded,
    text_of,
    time_text,
)

SECTIONS = (
    ("model_overview", "Model overview"),
    ("intended_uses", "Intended uses"),
    ("business_details", "Business details"),
    ("training_details", "Training details"),
    ("evaluation_details", "Evaluation details"),
    ("additional_information", "Additional information"),
    ("model_package_details", "Model package details"),
)

# Every key of the schema with its label; the order here is the order in the document.
_LABELS = {
    "name": "Name",
    "model_name": "Model name",
    "model_id": "Model ID",
    "model_version": "Model version",
    "model_description": "Description",
    "model_owner": "Owner",
    "model_creator": "Creator",
    "problem_type": "Problem type",
    "algorithm_type": "Algorithm type",
    "model_artifact": "Model artifacts",
    "inference_environment": "Inference environment",
    "purpose_of_model": "Purpose of the model",
    "intended_uses": "Intended uses",
    "factors_affecting_model_efficiency": "Factors affecting model efficiency",
    "risk_rating": "Risk rating",
    "explanations_for_risk_rating": "Explanations for the risk rating",
    "business_problem": "Business problem",
    "business_stakeholders": "Business stakeholders",
    "line_of_business": "Line of business",
    "objective_function": "Objective function",
    "function": "Function",
    "facet": "Facet",
    "condition": "Condition",
    "training_observations": "Training observations",
    "training_job_details": "Training job details",
    "training_arn": "Training job ARN",
    "training_datasets": "Training datasets",
    "training_environment": "Training environment",
    "container_image": "Container images",
    "training_metrics": "Training metrics",
    "user_provided_training_metrics": "User-provided training metrics",
    "hyper_parameters": "Hyperparameters",
    "user_provided_hyper_parameters": "User-provided hyperparameters",
    "value": "Value",
    "notes": "Notes",
    "evaluation_observation": "Observations",
    "evaluation_job_arn": "Evaluation job ARN",
    "datasets": "Datasets",
    "metadata": "Metadata",
    "ethical_considerations": "Ethical considerations",
    "caveats_and_recommendations": "Caveats and recommendations",
    "custom_details": "Custom details",
    "model_package_arn": "Model package ARN",
    "model_package_group_name": "Model package group",
    "model_package_name": "Model package name",
    "model_package_version": "Model package version",
    "model_package_description": "Description",
    "model_package_status": "Package status",
    "model_approval_status": "Approval status",
    "approval_description": "Approval description",
    "created_by": "Created by",
    "user_profile_name": "User profile name",
    "domain": "Domain",
    "task": "Task",
    "source_algorithms": "Source algorithms",
    "algorithm_name": "Algorithm name",
    "model_data_url": "Model data URL",
    "inference_specification": "Inference specification",
    "containers": "Containers",
    "image": "Image",
    "nearest_model_name": "Nearest model name",
}
_ORDER = {key: index for index, key in enumerate(_LABELS)}
# Identifiers (ARNs, URIs, images) are set in a monospace face and may break anywhere.
_MONO = frozenset(
    {
        "model_id",
        "model_artifact",
        "container_image",
        "training_arn",
        "training_datasets",
        "evaluation_job_arn",
        "datasets",
        "model_package_arn",
        "model_data_url",
        "image",
    }
)
# Mappings whose keys are the author's own words: shown as written, in the author's order.
_FREE_KEYS = frozenset({"custom_details", "metadata"})
_CHARTS = frozenset({"bar_chart", "linear_graph", "matrix"})
_SNAPSHOT = "model_package_details"
# A matrix's table is cut into slices of columns that fit across the page: at most 10 columns,
# fewer when the values are long (about 100 characters fit across at the table's size).
MATRIX_COLUMNS_PER_TABLE = 10
MATRIX_CHARACTERS_PER_LINE = 100
MATRIX_WIDEST_TEXT = 24


@dataclass(frozen=True)
class Outline:
    """The whole document: title block facts, linked package, sections, history, sign-off."""

    title: str
    facts: tuple[Entry, ...]
    package: tuple[Entry, ...]
    package_note: str | None
    sections: tuple[Section, ...]
    history: Table | None
    sign_off: tuple[Part, ...]


def outline_of(document: CardDocument) -> Outline:
    content = document.content
    sections = []
    for key, title in SECTIONS:
        blocks = _section_blocks(key, content.get(key))
        note = _snapshot_note(document) if key == _SNAPSHOT and blocks else None
        sections.append(Section(key, title, blocks, note))
    known = {key for key, _ in SECTIONS}
    sections += [
        Section(key, key, _section_blocks(key, value))
        for key, value in content.items()
        if key not in known
    ]
    return Outline(
        title=document.name,
        facts=_facts(document),
        package=_package(document),
        package_note=_package_note(document) if document.package else None,
        sections=tuple(sections),
        history=_history(document),
        sign_off=sign_off(document),
    )


def sections_not_provided(document: CardDocument) -> list[str]:
    """The keys of the sections every format shows as "Not provided."."""
    return [section.key for section in outline_of(document).sections if not section.blocks]


def _facts(document: CardDocument) -> tuple[Entry, ...]:
    return (
        Entry("Version", str(document.version), running="version"),
        Entry("Status", document.status, running="status"),
        Entry("Risk rating", document.risk_rating or NOT_PROVIDED),
        Entry("Created", f"{time_text(document.created_at)} by {document.created_by}"),
        Entry(
            "Last modified",
            f"{time_text(document.last_modified_at)} by {document.last_modified_by}",
        ),
        Entry("Card ARN", document.arn, mono=True),
        Entry("SHA-256 of this version", document.content_sha256, mono=True, running="hash"),
        Entry("SHA-256 of the version chain", document.chain_sha256, mono=True),
        Entry("Document generated", time_text(document.generated_at)),
        *_rounding(document.content),
    )


def _rounding(content: Any) -> tuple[Entry, ...]:
    """A fact saying that numbers are rounded, when some number of the content is."""
    if not _any_rounded(content):
        return ()
    note = (
        f"Shown to {SIGNIFICANT_DIGITS} significant digits where they have more; "
        "the JSON export of this card holds the exact values."
    )
    return (Entry("Numbers", note),)


def _any_rounded(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_any_rounded(item) for item in value.values())
    if isinstance(value, list):
        return any(_any_rounded(item) for item in value)
    return is_rounded(value)


def _package_note(document: CardDocument) -> str:
    if document.as_of is not None:
        return (
            f"State in the model registry as of {time_text(document.as_of)}, from its audit "
            f"trail (this document was generated {time_text(document.generated_at)}). What the "
            'card recorded about the version when it was written is under "Model package '
            'details".'
        )
    return (
        f"Current state in the model registry as of {time_text(document.generated_at)}, when "
        "this document was generated. What the card recorded about the version when it was "
        'written is under "Model package details".'
    )


def _snapshot_note(document: CardDocument) -> str:
    note = (
        f"Snapshot recorded in the card content (version {document.version}, written "
        f"{time_text(document.created_at)} by {document.created_by})."
    )
    if document.package is not None:
        note += ' It may differ from the current state, under "Linked model package".'
    return note


def _package(document: CardDocument) -> tuple[Entry, ...]:
    package = document.package
    if package is None:
        return ()
    entries = [
        Entry("Group", package.group_name),
        Entry("Version", str(package.version)),
        Entry("Approval status", package.approval_status),
    ]
    if package.approval_description:
        entries.append(Entry("Approval description", package.approval_description))
    entries.append(Entry("ARN", package.arn, mono=True))
    return tuple(entries)


def _history(document: CardDocument) -> Table | None:
    if not document.history:
        return None
    rows = tuple(
        (
            str(entry.version),
            entry.status,
            time_text(entry.created_at),
            entry.created_by,
            entry.content_sha256,
        )
        for entry in document.history
    )
    return Table(
        ("Version", "Status", "Created", "By", "SHA-256"),
        rows,
        numeric=(True,),
        widths=(11, 16, 17, 12, 44),
        mono=(False, False, False, False, True),
    )


def _section_blocks(key: str, value: Any) -> tuple[Block, ...]:
    if is_empty(value):
        return ()
    if key == "evaluation_details" and isinstance(value, list):
        return tuple(_evaluation(index, item) for index, item in enumerate(value, 1))
    if key == "training_details" and isinstance(value, dict):
        return _blocks_of(_flatten_objective(value))
    if isinstance(value, dict):
        return _blocks_of(value)
    return _blocks_of({key: value})


def _blocks_of(mapping: Mapping[str, Any], *, free_keys: bool = False) -> tuple[Block, ...]:
    """Fields for the plain values first, then a titled part per nested value."""
    entries: list[Entry] = []
    parts: list[Block] = []
    keys = list(mapping) if free_keys else sorted(mapping, key=lambda k: _ORDER.get(k, len(_ORDER)))
    for key in keys:
        value = mapping[key]
        if is_empty(value):
            continue
        label = key if free_keys else _LABELS.get(key, key)
        mono = not free_keys and key in _MONO
        if isinstance(value, dict):
            parts.append(Part(label, _blocks_of(value, free_keys=key in _FREE_KEYS)))
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            parts.append(Part(label, (_records(value),)))
        elif isinstance(value, list):
            texts = tuple(text_of(item) for item in value if not is_empty(item))
            entries.append(Entry(label, texts, mono))
        else:
            entries.append(Entry(label, text_of(value), mono))
    head: tuple[Block, ...] = (Fields(tuple(entries)),) if entries else ()
    return head + tuple(parts)


def _records(records: Sequence[Mapping[str, Any]]) -> Table:
    """A table with a column per key found in any record (known keys first)."""
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    columns = sorted(keys, key=lambda k: _ORDER.get(k, len(_ORDER)))
    rows = tuple(
        tuple("" if record.get(k) is None else text_of(record[k]) for k in columns)
        for record in records
    )
    numeric = tuple(
        all(is_number(record.get(k)) for record in records if k in record) for k in columns
    )
    mono = tuple(k in _MONO for k in columns)
    return Table(tuple(_LABELS.get(k, k) for k in columns), rows, numeric, mono=mono)


def _flatten_objective(training: Mapping[str, Any]) -> dict[str, Any]:
    """Show ``objective_function.function.{function, facet, condition}`` beside its notes."""
    objective = training.get("objective_function")
    if not isinstance(objective, dict) or not isinstance(objective.get("function"), dict):
        return dict(training)
    inner = objective["function"]
    outer = {key: value for key, value in objective.items() if key != "function"}
    if set(inner) & set(outer):
        return dict(training)
    return {**training, "objective_function": {**inner, **outer}}


def _evaluation(index: int, evaluation: Any) -> Part:
    if not isinstance(evaluation, dict):
        return Part(f"Evaluation {index}", _blocks_of({"value": evaluation}))
    name = evaluation.get("name")
    title = name if isinstance(name, str) and name.strip() else f"Evaluation {index}"
    rest = {k: v for k, v in evaluation.items() if k not in ("name", "metric_groups")}
    blocks = _blocks_of(rest)
    groups = evaluation.get("metric_groups")
    if isinstance(groups, list):
        blocks += tuple(_metric_group(i, group) for i, group in enumerate(groups, 1))
    elif not is_empty(groups):
        blocks += _blocks_of({"metric_groups": groups})
    return Part(title, blocks)


def _metric_group(index: int, group: Any) -> Part:
    if not isinstance(group, dict):
        return Part(f"Metric group {index}", _blocks_of({"value": group}))
    name = group.get("name")
    title = name if isinstance(name, str) and name.strip() else f"Metric group {index}"
    metrics = group.get("metric_data")
    rest = {k: v for k, v in group.items() if k not in ("name", "metric_data")}
    if not isinstance(metrics, list):
        return Part(title, _blocks_of({**rest, "metric_data": metrics}))
    simple = [m for m in metrics if not _is_chart(m)]
    blocks: list[Block] = list(_blocks_of(rest))
    if simple:
        blocks.append(_simple_metrics(simple))
    blocks += [_chart_metric(m) for m in metrics if _is_chart(m)]
    return Part(title, tuple(blocks))


def _is_chart(metric: Any) -> bool:
    return (
        isinstance(metric, dict)
        and metric.get("type") in _CHARTS
        and isinstance(metric.get("value"), list)
    )


def _simple_metrics(metrics: Sequence[Any]) -> Table:
    """One row per metric: name, value, and notes with any other key the metric carries."""
    rows = []
    for metric in metrics:
        if not isinstance(metric, dict):
            rows.append(("", text_of(metric), ""))
            continue
        notes = [metric["notes"]] if isinstance(metric.get("notes"), str) else []
        notes += _extras(metric, ("name", "type", "value", "notes"))
        value = metric.get("value")
        rows.append((text_of(metric.get("name", "")), text_of(value), "\n".join(notes)))
    if any(row[2] for row in rows):
        return Table(("Metric", "Value", "Notes"), tuple(rows))
    return Table(("Metric", "Value"), tuple(row[:2] for row in rows))


def _extras(metric: Mapping[str, Any], known: Sequence[str]) -> list[str]:
    return [f"{key}: {text_of(value)}" for key, value in metric.items() if key not in known]


def _chart_metric(metric: dict[str, Any]) -> Part:
    kind = metric["type"]
    x_axis, y_axis = metric.get("x_axis_name"), metric.get("y_axis_name")
    extras = _extras(metric, ("name", "type", "value", "notes", "x_axis_name", "y_axis_name"))
    notes = metric.get("notes")
    entries = [Entry("Notes", notes)] if isinstance(notes, str) and notes.strip() else []
    entries += [Entry("Other", tuple(extras))] if extras else []
    if kind == "bar_chart":
        figure: BarChart | LineChart | HeatMap = BarChart.of(metric["value"], x_axis, y_axis)
    elif kind == "linear_graph":
        figure = LineChart.of(metric["value"], x_axis, y_axis)
    else:
        figure = HeatMap.of(metric["value"], x_axis, y_axis)
    head: tuple[Block, ...] = (Fields(tuple(entries)),) if entries else ()
    title = text_of(metric.get("name", kind))
    if is_empty(metric["value"]):  # no data: the part says "Not provided." like any empty part
        return Part(title, head)
    return Part(title, (*head, Chart(figure), *_chart_tables(figure)))


def _chart_tables(figure: BarChart | LineChart | HeatMap) -> tuple[Table, ...]:
    """The chart's numbers as table(s); wide matrices in column slices."""
    if isinstance(figure, BarChart):
        bars = tuple(
            (label, _cell(value)) for label, value in zip(figure.labels, figure.raw, strict=True)
        )
        return (Table((figure.x_title or "Label", figure.y_title or "Value"), bars, (False, True)),)
    if isinstance(figure, LineChart):
        points = tuple((_cell(x), _cell(y)) for x, y in figure.raw)
        return (Table((figure.x_title or "x", figure.y_title or "y"), points, (True, True)),)
    tables = []
    width = len(figure.column_labels)
    per_table = _matrix_columns_per_table(figure)
    for start in range(0, width, per_table):
        stop = min(start + per_table, width)
        columns = ("", *figure.column_labels[start:stop])
        rows: tuple[tuple[str, ...], ...] = tuple(
            (label, *(_cell(v) for v in row[start:stop]))
            for label, row in zip(figure.row_labels, figure.raw, strict=True)
        )
        tables.append(Table(columns, rows, (False, *([True] * (stop - start))), row_headers=True))
    return tuple(tables)


def _matrix_columns_per_table(figure: HeatMap) -> int:
    """As many columns as fit across the page at the matrix's widest value or label."""
    texts = [*figure.column_labels, *figure.row_labels]
    texts += [_cell(value) for row in figure.raw for value in row]
    widest = min(MATRIX_WIDEST_TEXT, max((len(text) for text in texts), default=1))
    return max(2, min(MATRIX_COLUMNS_PER_TABLE, MATRIX_CHARACTERS_PER_LINE // (widest + 3)))


def _cell(value: Any) -> str:
    """A chart's value in its table; the gaps a chart pads (no value at all) stay empty."""
    return "" if value is None else text_of(value)
