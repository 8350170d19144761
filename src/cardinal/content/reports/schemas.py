"""One JSON Schema (draft 2020-12, as OpenAPI 3.1 embeds it) per :class:`ReportKind`: the
reports :func:`cardinal.content.reports.parse_report` accepts, for clients and fuzzers.

The parsers are the truth; every document valid against its kind's schema is one they accept,
down to the model card schema their metric groups are checked against. Where a parser's rule is
one JSON Schema cannot state, the schema is stricter than the parser:

- Text that becomes a card name, label or axis name holds no control character, ``"`` or ``\\``
  and is at most 63 characters, so that its length in the card is its length in the report.
- Numbers read into the card lie within ±(2^53 - 1) (the card refuses integers beyond).
- Arrays and objects have at most as many items as keep the largest report's metric groups
  within the card's :data:`~cardinal.content.card_content.MAX_CONTENT_CHARS`, a total no schema
  can state (a number takes at most 24 characters in the card).
- Arrays that must line up (a curve's two axes, a partial dependence plot's values, predictions
  and label headers) are stated length by length, up to a bound.
  A partial dependence plot has one label header and at most 15 feature values (Clarify's
  default grid), as more branches than that defeat schema-driven generators.
- A confusion matrix's rows must name the same predicted labels; the schema states it for the
  labels ``"0"`` to ``"n-1"`` (as Model Monitor writes class indices) only.
- Members the parsers skip are free, but hold no NUL and no integer beyond ±(2^53 - 1) (the REST
  door refuses them in any body) and nest at most three levels deep.

Parts several schemas share are :data:`REPORT_DEFINITIONS`, referred to as ``#/$defs/<name>``:
a document that embeds the schemas puts the definitions where those references resolve
(:func:`standalone` puts them in the schema itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cardinal.domain.report_kinds import ReportKind
from cardinal.domain.text import MAX_EXACT_INTEGER

__all__ = ["REPORT_DEFINITIONS", "REPORT_SCHEMAS", "standalone"]

Schema = dict[str, Any]

NAME_CHARS = 63
# Anchored with "+" as well as minLength: Python's "$" also matches before a final newline.
_NAME_PATTERN = r'^[^\x00-\x1f"\\]+$'
_VALUE_PATTERN = r'^[^\x00-\x1f"\\]*$'
_MISSING_MARKERS = ["NaN", "Infinity", "-Infinity"]


def _text(*, min_length: int = 1, max_length: int = NAME_CHARS) -> Schema:
    return {
        "type": "string",
        "minLength": min_length,
        "maxLength": max_length,
        "pattern": _NAME_PATTERN if min_length else _VALUE_PATTERN,
    }


NAME = _text()
VALUE_TEXT = _text(min_length=0)
NUMBER: Schema = {"type": "number", "minimum": -MAX_EXACT_INTEGER, "maximum": MAX_EXACT_INTEGER}
# Every request body holds storable text (no NUL) and integers JSON carries exactly, even in
# the members a parser skips; those are free otherwise, nested up to a depth real reports keep.
_STORABLE: Schema = {"type": "string", "pattern": r"^[^\x00]*$"}
_FREE_DEPTH = 3


def _free(depth: int) -> Schema:
    scalars: list[Schema] = [_STORABLE, NUMBER, {"type": "boolean"}, {"type": "null"}]
    if depth == 0:
        return {"anyOf": scalars}
    inner = _free(depth - 1)
    containers: list[Schema] = [
        {"type": "array", "items": inner},
        {"type": "object", "propertyNames": _STORABLE, "additionalProperties": inner},
    ]
    return {"anyOf": [*scalars, *containers]}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


_FREE_INLINE = _free(_FREE_DEPTH)
FREE = _ref("ReportFreeValue")
NOT_AN_OBJECT: Schema = {"anyOf": [s for s in _FREE_INLINE["anyOf"] if s.get("type") != "object"]}
MAYBE_NUMBER: Schema = {
    "description": 'A number, or null, "NaN", "Infinity" or "-Infinity" for one not computed '
    "(left out of the card).",
    "anyOf": [NUMBER, {"type": "null"}, {"enum": _MISSING_MARKERS}],
}
# A value that names something; the card holds it as Python prints it.
LABEL: Schema = {"anyOf": [NAME, NUMBER, {"type": "boolean"}]}
LABEL_OR_LABELS: Schema = {
    "anyOf": [
        NAME,
        NUMBER,
        {"type": "boolean"},
        {
            "type": "array",
            "maxItems": 4,
            "items": {"anyOf": [_text(min_length=0, max_length=12), NUMBER, {"type": "boolean"}]},
        },
    ]
}


def _object(
    properties: Mapping[str, Schema] | None = None,
    *,
    required: list[str] | None = None,
    absent: list[str] | None = None,
    **keywords: Any,
) -> Schema:
    """An object; members it does not name are free, within what any request body may hold."""
    schema: Schema = {"type": "object"}
    if properties:
        schema["properties"] = dict(properties)
    if required:
        schema["required"] = required
    if absent:
        schema["not"] = {"anyOf": [{"required": [key]} for key in absent]}
    schema.update(keywords)
    if schema.setdefault("additionalProperties", FREE) is not False:
        schema.setdefault("propertyNames", _STORABLE)
    return schema


def _array(items: Schema, *, min_items: int = 0, max_items: int) -> Schema:
    return {"type": "array", "items": items, "minItems": min_items, "maxItems": max_items}


def _exactly(items: Schema, count: int) -> Schema:
    return _array(items, min_items=count, max_items=count)


# model_card_metrics: the card's own metric shapes; a null optional field stands for none.

_NOTES_CHARS = 255
_MAX_GROUPS = 4
_MAX_SIMPLE_METRICS = 40  # in a group of numbers, strings and booleans only
_MAX_METRICS = 8  # in a group with graphs or matrices
_MAX_POINTS = 35
_MAX_BARS = 25
_MAX_MATRIX_SIDE = 7
_AXIS_NAME = _text(min_length=0)
_AXIS_NAMES = _array(_AXIS_NAME, max_items=_MAX_MATRIX_SIDE)


def _metric(metric_type: str, value: Schema, x_axis: Schema, y_axis: Schema) -> Schema:
    def optional(schema: Schema) -> Schema:
        return {"anyOf": [schema, {"type": "null"}]}

    return _object(
        {
            "name": NAME,
            "type": {"const": metric_type},
            "value": value,
            "notes": optional(_text(min_length=0, max_length=_NOTES_CHARS)),
            "x_axis_name": optional(x_axis),
            "y_axis_name": optional(y_axis),
        },
        required=["name", "type", "value"],
        additionalProperties=False,
    )


_SIMPLE_METRIC: Schema = {
    "anyOf": [
        _metric("number", NUMBER, _AXIS_NAME, _AXIS_NAME),
        _metric("string", VALUE_TEXT, _AXIS_NAME, _AXIS_NAME),
        _metric("boolean", {"type": "boolean"}, _AXIS_NAME, _AXIS_NAME),
    ]
}
_LARGE_METRIC: Schema = {
    "anyOf": [
        _metric(
            "linear_graph",
            _array(_exactly(NUMBER, 2), min_items=1, max_items=_MAX_POINTS),
            _AXIS_NAME,
            _AXIS_NAME,
        ),
        _metric(
            "bar_chart",
            _array(NUMBER, min_items=1, max_items=_MAX_BARS),
            _array(_AXIS_NAME, max_items=_MAX_BARS),
            _AXIS_NAME,
        ),
        _metric(
            "matrix",
            _array(
                _array(NUMBER, min_items=1, max_items=_MAX_MATRIX_SIDE),
                min_items=1,
                max_items=_MAX_MATRIX_SIDE,
            ),
            _AXIS_NAMES,
            _AXIS_NAMES,
        ),
    ]
}
_METRIC_GROUP = _object(
    {
        "name": NAME,
        "metric_data": {
            "anyOf": [
                _array(_SIMPLE_METRIC, max_items=_MAX_SIMPLE_METRICS),
                _array({"anyOf": [_SIMPLE_METRIC, _LARGE_METRIC]}, max_items=_MAX_METRICS),
            ]
        },
    },
    required=["name", "metric_data"],
)
MODEL_CARD_METRICS = _object(
    {"metric_groups": _array(_METRIC_GROUP, min_items=1, max_items=_MAX_GROUPS)},
    required=["metric_groups"],
    title="Model card metrics",
    description="Metric groups already in the model card's shape: "
    '{"metric_groups": [{"name": ..., "metric_data": [{"name": ..., "type": ..., "value": ...,'
    ' "notes"?, "x_axis_name"?, "y_axis_name"?}]}]}. A metric is a number, string (at most '
    "63 characters) or boolean, a linear_graph of [x, y] points, a bar_chart of numbers (with "
    "its bars' names as x_axis_name) or a matrix of rows of numbers. A group holds at most "
    f"{_MAX_SIMPLE_METRICS} metrics when all are numbers, strings or booleans, else at most "
    f"{_MAX_METRICS}; a report at most {_MAX_GROUPS} groups.",
)


# clarify_bias: analysis.json of a bias job.

_MAX_FACETS = 3
_MAX_FACET_VALUES = 4
_MAX_BIAS_METRICS = 25
_BIAS_SECTIONS = ("pre_training_bias_metrics", "post_training_bias_metrics")

_BIAS_METRIC = _object(
    {"name": NAME, "value": MAYBE_NUMBER, "description": _STORABLE},
    required=["name", "value"],
)
_FACET_VALUE = _object(
    {
        "value_or_threshold": LABEL_OR_LABELS,
        "metrics": _array(_BIAS_METRIC, max_items=_MAX_BIAS_METRICS),
    },
    required=["value_or_threshold", "metrics"],
)
_BIAS_SECTION = _object(
    {
        "label": LABEL_OR_LABELS,
        "label_value_or_threshold": LABEL_OR_LABELS,
        "facets": _object(
            propertyNames=NAME,
            additionalProperties=_array(_FACET_VALUE, min_items=1, max_items=_MAX_FACET_VALUES),
            minProperties=1,
            maxProperties=_MAX_FACETS,
        ),
    },
    required=["label", "label_value_or_threshold", "facets"],
)
CLARIFY_BIAS = _object(
    {**dict.fromkeys(_BIAS_SECTIONS, _BIAS_SECTION), "explanations": FREE},
    additionalProperties=NOT_AN_OBJECT,
    anyOf=[{"required": [section]} for section in _BIAS_SECTIONS],
    title="SageMaker Clarify bias analysis",
    description="The analysis.json of a Clarify bias job: pre_training_bias_metrics and/or "
    'post_training_bias_metrics, each {"label", "label_value_or_threshold", "facets": {facet: '
    '[{"value_or_threshold", "metrics": [{"name", "value"}]}]}}. Each facet value becomes a '
    'metric group of number metrics; a value that is null, "NaN" or "±Infinity" is left out. '
    "An explanations section is skipped; other top-level members may not be objects.",
)


# clarify_explainability: the explanations of analysis.json.

_MAX_SHAP_LABELS = 2
_MAX_SHAP_FEATURES = 100
_MAX_TEXT_FEATURES = 2
_MAX_TOKENS = 20
_MAX_PDP_ENTRIES = 8
_MAX_PDP_VALUES = 15  # Clarify's default grid_resolution
_MAX_PDP_LABELS = 1  # one more doubles the branches a generator must fold

_SCALAR = {"anyOf": [NUMBER, VALUE_TEXT, {"type": "boolean"}, {"type": "null"}]}


def _scalars(max_properties: int) -> Schema:
    return _object(propertyNames=NAME, additionalProperties=_SCALAR, maxProperties=max_properties)


_KERNEL_SHAP = _object(
    propertyNames=NAME,
    additionalProperties=_object(
        {
            "global_shap_values": _scalars(_MAX_SHAP_FEATURES),
            "global_top_shap_text": _object(
                propertyNames=NAME,
                additionalProperties=_scalars(_MAX_TOKENS),
                maxProperties=_MAX_TEXT_FEATURES,
            ),
        },
        required=["global_shap_values"],
    ),
    minProperties=1,
    maxProperties=_MAX_SHAP_LABELS,
)


def _lengths(count: int) -> Schema:
    return {"minItems": count, "maxItems": count}


# The arrays of a plot line up: one number per feature value, one prediction array per label.
_PLOT_LENGTHS: list[Schema] = [
    {
        "properties": {
            "feature_values": _lengths(values),
            "data_distribution": _lengths(values),
            "model_predictions": {**_lengths(labels), "items": _lengths(values)},
            "label_headers": _lengths(labels),
        }
    }
    for values in range(1, _MAX_PDP_VALUES + 1)
    for labels in range(1, _MAX_PDP_LABELS + 1)
]


def _plot(data_type: str, feature_value: Schema) -> Schema:
    return _object(
        {
            "data_type": {"const": data_type},
            "feature_name": LABEL,
            "feature_values": _array(feature_value, min_items=1, max_items=_MAX_PDP_VALUES),
            "data_distribution": _array(NUMBER, min_items=1, max_items=_MAX_PDP_VALUES),
            "model_predictions": _array(
                _array(NUMBER, min_items=1, max_items=_MAX_PDP_VALUES),
                min_items=1,
                max_items=_MAX_PDP_LABELS,
            ),
            "label_headers": _array(NAME, min_items=1, max_items=_MAX_PDP_LABELS),
        },
        required=[
            "data_type",
            "feature_name",
            "feature_values",
            "data_distribution",
            "model_predictions",
            "label_headers",
        ],
        absent=["error"],
        anyOf=_PLOT_LENGTHS,
    )


_PDP_ENTRY: Schema = {
    "anyOf": [
        _object({"data_type": {"type": "string"}}, required=["data_type", "error"]),
        _object(
            {"data_type": {"type": "string", "not": {"enum": ["numerical", "categorical"]}}},
            required=["data_type"],
        ),
        _plot("numerical", NUMBER),
        _plot("categorical", LABEL),
    ]
}
CLARIFY_EXPLAINABILITY = _object(
    {
        "explanations": _object(
            {
                "kernel_shap": _KERNEL_SHAP,
                "pdp": _array(_PDP_ENTRY, max_items=_MAX_PDP_ENTRIES),
            },
            anyOf=[{"required": ["kernel_shap"]}, {"required": ["pdp"]}],
        )
    },
    required=["explanations"],
    title="SageMaker Clarify explainability analysis",
    description="The analysis.json of a Clarify explainability job; its explanations hold "
    'kernel_shap and/or pdp. kernel_shap: {label: {"global_shap_values": {feature: value}, '
    '"global_top_shap_text"?: {feature: {token: value}}}}, each value a number, string, '
    'boolean or null (left out). pdp: [{"feature_name", "data_type": "numerical" or '
    '"categorical", "feature_values", "data_distribution" (one number per feature value), '
    '"label_headers", "model_predictions" (one array per label header, one number per '
    'feature value)}]; an entry with "error" or another data_type is skipped.',
)


# Model Monitor model-quality statistics.

_MAX_MONITOR_METRICS = 64
_MAX_CURVE_POINTS = 100
_MAX_CLASSES = 20
_CURVES = {
    "receiver_operating_characteristic_curve": ("false_positive_rates", "true_positive_rates"),
    "precision_recall_curve": ("recalls", "precisions"),
}

_VALUE_AND_DEVIATION = _object(
    {"value": MAYBE_NUMBER, "standard_deviation": MAYBE_NUMBER}, required=["value"]
)


def _curve(x_key: str, y_key: str) -> Schema:
    axis = _array(NUMBER, min_items=1, max_items=_MAX_CURVE_POINTS)
    return _object(
        {x_key: axis, y_key: axis},
        required=[x_key, y_key],
        anyOf=[
            {"properties": {x_key: _lengths(n), y_key: _lengths(n)}}
            for n in range(1, _MAX_CURVE_POINTS + 1)
        ],
    )


def _confusion_matrix() -> Schema:
    def square(classes: int) -> Schema:
        labels = [str(label) for label in range(classes)]
        row = _object(
            propertyNames={"enum": labels},
            required=labels,
            additionalProperties=NUMBER,
        )
        return _object(propertyNames={"enum": labels}, required=labels, additionalProperties=row)

    return {"anyOf": [square(classes) for classes in range(1, _MAX_CLASSES + 1)]}


def _monitor_section(*, classification: bool) -> Schema:
    special: dict[str, Schema] = {}
    if classification:
        special["confusion_matrix"] = _confusion_matrix()
        special.update({name: _curve(*keys) for name, keys in _CURVES.items()})
    return _object(
        special,
        propertyNames=NAME,
        additionalProperties=_VALUE_AND_DEVIATION,
        maxProperties=_MAX_MONITOR_METRICS,
    )


_REGRESSION = _ref("ModelMonitorRegressionMetrics")
_CLASSIFICATION = _ref("ModelMonitorClassificationMetrics")
_MONITOR_SHAPE = (
    'Each metric is {"value": number, "standard_deviation"?: number}; a value or deviation '
    'that is null, "NaN" or "±Infinity" is left out.'
)
_CLASSIFICATION_SHAPE = (
    " confusion_matrix has rows keyed by actual label, each with counts keyed by predicted "
    'label, the labels being "0" to "n-1"; receiver_operating_characteristic_curve holds '
    "false_positive_rates and true_positive_rates, precision_recall_curve recalls and "
    "precisions, two arrays of the same length."
)


def _monitor(section: str, schema: Schema, title: str, shape: str) -> Schema:
    return _object(
        {section: schema},
        required=[section],
        title=f"SageMaker Model Monitor {title} statistics",
        description=f"A model-quality statistics.json with its {section}. {shape}",
    )


MODEL_MONITOR_REGRESSION = _monitor("regression_metrics", _REGRESSION, "regression", _MONITOR_SHAPE)
MODEL_MONITOR_BINARY = _monitor(
    "binary_classification_metrics",
    _CLASSIFICATION,
    "binary classification",
    _MONITOR_SHAPE + _CLASSIFICATION_SHAPE,
)
MODEL_MONITOR_MULTICLASS = _monitor(
    "multiclass_classification_metrics",
    _CLASSIFICATION,
    "multiclass classification",
    _MONITOR_SHAPE + _CLASSIFICATION_SHAPE,
)
MODEL_MONITOR: Schema = {
    "type": "object",
    "propertyNames": _STORABLE,
    "anyOf": [
        _object({"regression_metrics": _REGRESSION}, required=["regression_metrics"]),
        _object(
            {
                "binary_classification_metrics": _CLASSIFICATION,
                "multiclass_classification_metrics": _CLASSIFICATION,
            },
            absent=["regression_metrics"],
            anyOf=[
                {"required": ["binary_classification_metrics"]},
                {"required": ["multiclass_classification_metrics"]},
            ],
        ),
    ],
    "title": "SageMaker Model Monitor model-quality statistics",
    "description": "A model-quality statistics.json with regression_metrics (taken first when "
    "present), binary_classification_metrics or multiclass_classification_metrics. "
    + _MONITOR_SHAPE
    + _CLASSIFICATION_SHAPE,
}

REPORT_DEFINITIONS: Mapping[str, Schema] = {
    "ReportFreeValue": {
        "description": "A value a report parser skips: any JSON of storable text and exact "
        "numbers, nested at most three levels deep.",
        **_FREE_INLINE,
    },
    "ModelMonitorRegressionMetrics": _monitor_section(classification=False),
    "ModelMonitorClassificationMetrics": _monitor_section(classification=True),
}

REPORT_SCHEMAS: Mapping[ReportKind, Schema] = {
    ReportKind.MODEL_CARD_METRICS: MODEL_CARD_METRICS,
    ReportKind.CLARIFY_BIAS: CLARIFY_BIAS,
    ReportKind.CLARIFY_EXPLAINABILITY: CLARIFY_EXPLAINABILITY,
    ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION: MODEL_MONITOR_BINARY,
    ReportKind.MODEL_MONITOR_MULTICLASS_CLASSIFICATION: MODEL_MONITOR_MULTICLASS,
    ReportKind.MODEL_MONITOR_REGRESSION: MODEL_MONITOR_REGRESSION,
    ReportKind.MODEL_MONITOR: MODEL_MONITOR,
}


def standalone(kind: ReportKind) -> Schema:
    """The schema of ``kind`` with the definitions it refers to, for a validator or generator."""
    return {**REPORT_SCHEMAS[kind], "$defs": dict(REPORT_DEFINITIONS)}
