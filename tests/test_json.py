"""The JSON builder: the fixed shape, decimals as strings, and an exact round trip."""
from __future__ import annotations

import json
from decimal import Decimal

from sopimus import ast as A
from sopimus.builders.json import dumps, loads


def test_round_trip_gives_an_equal_ast(project) -> None:
    for doc in project.documents:
        again = loads(dumps(doc))
        assert again == doc
        assert [n.source for n in again.walk()] == [n.source for n in doc.walk()]


def test_fixed_shape(project) -> None:
    doc = project.get("keha-tem-substanssi-2026-2029")
    data = json.loads(dumps(doc))
    for key in ("schema", "id", "language", "title", "period", "parties", "signatories", "body"):
        assert key in data
    assert data["schema"] == "sopimus/1"

    def nodes(value):
        if isinstance(value, dict):
            if "type" in value:
                yield value
            for v in value.values():
                yield from nodes(v)
        elif isinstance(value, list):
            for v in value:
                yield from nodes(v)

    all_nodes = list(nodes(data))
    assert all("source" in n and {"file", "line"} <= set(n["source"]) for n in all_nodes)
    indicators = [n for n in all_nodes if n["type"] == "indicator"]
    assert indicators and all("unit" in n and "targets" in n for n in indicators)
    goals = [n for n in all_nodes if n["type"] == "goal"]
    assert goals and all(n["id"] for n in goals)
    lausunnot = [n for n in indicators if n["targets"] and n["unit"] == "pv"]
    assert lausunnot[0]["targets"][0] == {"year": 2026, "op": "<", "value": "30.0"}


def test_no_floats_anywhere(project) -> None:
    def walk(value):
        if isinstance(value, float):
            raise AssertionError(f"float in JSON: {value}")
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    for doc in project.documents:
        walk(json.loads(dumps(doc)))


def test_decimal_precision_survives() -> None:
    ind = A.Indicator(id="x", name="X", unit="pv", targets=[A.TargetLevel(2026, "<", Decimal("30.0"))])
    doc = A.Document(id="d", body=[ind])
    assert '"value": "30.0"' in dumps(doc).decode()
    assert loads(dumps(doc)).body[0].targets[0].value.as_tuple() == Decimal("30.0").as_tuple()
