"""Whatever JSON the content holds, every text format renders it and its charts are XML."""

from __future__ import annotations

import json
from typing import Any

from huggingface_hub import ModelCard
from hypothesis import given, settings
from hypothesis import strategies as st

from cardinal.documents import render
from cardinal.domain.document_formats import DocumentFormat
from tests.unit.documents.cards import build_document
from tests.unit.documents.reading import front_matter, svgs

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_METRIC = st.fixed_dictionaries(
    {
        "name": st.text(min_size=1, max_size=20),
        "type": st.sampled_from(
            ["number", "string", "boolean", "bar_chart", "linear_graph", "matrix", "x"]
        ),
        "value": _JSON,
    },
    optional={"x_axis_name": _JSON, "y_axis_name": _JSON, "notes": _JSON},
)
_CONTENT = st.fixed_dictionaries(
    {},
    optional={
        "model_overview": st.dictionaries(
            st.sampled_from(["model_description", "model_artifact", "odd"]), _JSON
        ),
        "training_details": st.dictionaries(
            st.sampled_from(["objective_function", "training_job_details", "odd"]), _JSON
        ),
        "evaluation_details": st.lists(
            st.fixed_dictionaries(
                {"name": _JSON},
                optional={
                    "metric_groups": st.lists(
                        st.fixed_dictionaries(
                            {"name": _JSON, "metric_data": st.lists(_METRIC, max_size=4) | _JSON}
                        ),
                        max_size=3,
                    ),
                    "metadata": _JSON,
                },
            ),
            max_size=2,
        ),
        "additional_information": _JSON,
        "surprise": _JSON,
    },
)


@settings(max_examples=150, derandomize=True, database=None, deadline=None)
@given(_CONTENT)
def test_any_content_renders_in_every_text_format(content: dict[str, Any]) -> None:
    document = build_document(content)
    page = render(document, DocumentFormat.HTML).decode()
    svgs(page)  # every chart parses as XML
    assert render(document, DocumentFormat.MARKDOWN)
    assert json.loads(render(document, DocumentFormat.JSON))["content"] == json.loads(
        json.dumps(content, sort_keys=True)
    )
    card = render(document, DocumentFormat.HUGGING_FACE).decode()
    front_matter(card)
    ModelCard(card)
