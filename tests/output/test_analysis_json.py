"""analysis.json: schema validation and the offset invariant for every layer of every fixture."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.core.article import Article
from marsad.output.json import document_json
from marsad.run.pipeline import Pipeline

SCHEMA = json.loads(
    resources.files("marsad.output").joinpath("marsad-1.schema.json").read_text("utf-8")
)


def spans_of(obj, doc_text, docs, path="$"):
    """Yield (path, start, end, text, doc text) for every span object in ``obj``."""
    if isinstance(obj, dict):
        if "start" in obj and "end" in obj and isinstance(obj["start"], int):
            text = docs.get(obj.get("doc"), doc_text)
            yield path, obj["start"], obj["end"], obj.get("text"), text
        for k, v in obj.items():
            if k == "doc" or k == "text":
                continue
            yield from spans_of(v, docs.get(obj.get("doc"), doc_text), docs, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from spans_of(v, doc_text, docs, f"{path}[{i}]")


def check_spans(data):
    docs = {d["id"]: d["text"] for d in data["documents"]}
    n = 0
    for d in data["documents"]:
        for p, s, e, t, text in spans_of(
            {k: d[k] for k in ("blocks", "sentences")}, d["text"], docs
        ):
            assert 0 <= s <= e <= len(text), (d["id"], p)
            if t is not None:
                assert text[s:e] == t, (d["id"], p)
            n += 1
        blocks = d["blocks"]
        for a, b in zip(blocks, blocks[1:], strict=False):
            assert a["end"] <= b["start"], "blocks overlap"
    for key in ("entities", "quotes", "dates", "quantities", "stories"):
        for p, s, e, t, text in spans_of(data[key], None, docs, key):
            assert text is not None, f"{p}: span without a document"
            assert 0 <= s <= e <= len(text), p
            if t is not None:
                assert text[s:e] == t, p
            n += 1
    return n


def test_sample_validates_against_schema(sample_analysis):
    data = sample_analysis.to_json()
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "marsad/1"
    assert len(data["documents"]) == 11 and data["errors"] == []
    assert check_spans(data) > 100


def test_every_document_has_layers(sample_analysis):
    for d in sample_analysis.to_json()["documents"]:
        assert d["blocks"] and d["sentences"] and d["language"] == "ar"
        assert any(b["kind"] == "body" for b in d["blocks"])
        assert d["title"], d["id"]


TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            list('ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة ٠١٢٣٤٥٦٧٨٩.،:؟!«»"\n|-ـ')
            + ["\u064e", "\u0651", "\u200f", "\ufefb"]
        ),
        st.characters(),
    ),
    min_size=1,
    max_size=300,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_pipeline_spans_on_random_text(text):
    if not text.strip():
        return
    art = Pipeline()(Article(text=text, id="x"))
    data = {
        "documents": [document_json(art)],
        "entities": [],
        "quotes": [],
        "dates": [],
        "quantities": [],
        "stories": [],
    }
    from marsad.output.json import layer_items

    for key, rows in layer_items(art).items():
        data[key] = rows
    check_spans(data)
    for s, e in zip(art.tokens.starts, art.tokens.ends, strict=True):
        assert 0 <= s < e <= len(text)
