"""Durable payloads keep decoding: a RunState and a local-engine row written before the models split
(tests/fixtures/runstate_*_v1.json, captured from a real local-engine run: a revision, a rejected
fire-and-forget approval, an approval, an export), and unknown fields are ignored everywhere."""

from __future__ import annotations

import inspect
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from brandtruth.engines.local.store import LocalRunStore
from brandtruth.pipeline import models
from brandtruth.pipeline.models import (
    BatchInput,
    Durable,
    PipelineInput,
    RunOptions,
    RunState,
    RunStatus,
    StartRequest,
)
from brandtruth.pipeline.models import durable as durable_models

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
STATE_V1 = FIXTURES / "runstate_local_completed_v1.json"
ROW_V1 = FIXTURES / "runstate_local_row_v1.json"


def test_a_run_state_written_before_the_split_decodes() -> None:
    raw = json.loads(STATE_V1.read_text())
    assert "request" in raw and set(raw["request"]) == set(StartRequest.model_fields)  # the old embedded API body
    state = RunState.model_validate_json(STATE_V1.read_text())
    assert state.status is RunStatus.COMPLETED and state.engine == "local"
    assert isinstance(state.request, RunOptions)
    assert state.request.url.endswith("/northwind-analytics/") and state.request.formats == ["square", "landscape"]
    assert [v.id for v in state.variants] == ["v1", "v2"] and state.revision_round == 1
    assert {(c.variant_id, c.format) for c in state.creatives} == {(v, f) for v in ("v1", "v2") for f in ("square", "landscape")}
    assert [d.kind for d in state.decisions] == ["revise", "approve"] and state.decision is not None
    assert state.export is not None and state.export.key
    types = [e.type for e in state.events]
    assert types[0] == "run_started" and types[-1] == "completed"
    assert {"revision_requested", "approval_rejected", "approved", "exported"} <= set(types)
    assert [e.id for e in state.events] == list(range(1, len(types) + 1))
    # And what it decodes to encodes back to the same record: nothing lost or renamed on the way
    # (fields added since have their defaults beside it).
    assert_keeps(json.loads(state.model_dump_json()), raw)


def assert_keeps(new: Any, old: Any, where: str = "state") -> None:
    """`new` holds everything `old` held, unchanged; it may have more fields (added with defaults)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            assert key in new, f"{where}.{key} was lost"
            assert_keeps(new[key], value, f"{where}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), where
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            assert_keeps(a, b, f"{where}[{i}]")
    else:
        assert new == old, f"{where}: {old!r} became {new!r}"


def test_a_stored_local_engine_row_from_before_the_split_loads(tmp_path: Path) -> None:
    row = json.loads(ROW_V1.read_text())
    store = LocalRunStore(tmp_path / "runs.sqlite3")
    store.close()
    db = sqlite3.connect(tmp_path / "runs.sqlite3")
    run_id = row["input_json"]["workflow_id"]
    db.execute(
        "INSERT INTO runs (workflow_id, status, url, created_at, updated_at, input_json, state_json) VALUES (?,?,?,?,?,?,?)",
        (
            run_id,
            "completed",
            row["input_json"]["request"]["url"],
            "",
            "",
            json.dumps(row["input_json"]),
            json.dumps(row["state_json"]),
        ),
    )
    db.commit()
    db.close()
    store = LocalRunStore(tmp_path / "runs.sqlite3")
    try:
        loaded = store.load(run_id)
    finally:
        store.close()
    assert loaded is not None
    inp, state = loaded
    assert isinstance(inp.request, RunOptions) and inp.request == state.request
    assert inp.request.num_variants == 2 and inp.provider == "offline"
    assert state.status is RunStatus.COMPLETED and len(state.creatives) == 4


def test_the_api_body_is_converted_and_never_stored() -> None:
    req = StartRequest(url="https://example.com", num_variants=2, formats=["story", "story", "square"])
    opts = req.options()
    assert type(opts) is RunOptions and opts.model_dump() == req.model_dump()
    inp = PipelineInput(workflow_id="pipeline-x", request=opts)
    assert type(inp.request) is RunOptions
    # Neither durable model has a field typed with an API body (those forbid unknown fields).
    api_bodies = {c for c in _models_of(models.api) if issubclass(c, BaseModel)}
    for model in durable_classes():
        for name, field in model.model_fields.items():
            assert not any(body in api_bodies for body in _classes_in(field.annotation)), f"{model.__name__}.{name}"


def _models_of(module: Any) -> list[type]:
    return [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]


def durable_classes() -> list[type[Durable]]:
    return [c for _, c in inspect.getmembers(models, inspect.isclass) if issubclass(c, Durable) and c is not Durable]


def _classes_in(annotation: Any) -> list[type]:
    found = [annotation] if isinstance(annotation, type) else []
    for arg in getattr(annotation, "__args__", ()) or ():
        found += _classes_in(arg)
    return found


def test_every_stored_model_is_durable() -> None:
    stored = {c for c in _models_of(durable_models) if issubclass(c, BaseModel)}
    assert stored and all(issubclass(c, Durable) for c in stored)
    assert RunState in stored and BatchInput in stored


@pytest.mark.parametrize("model", durable_classes(), ids=lambda c: c.__name__)
def test_unknown_fields_are_ignored(model: type[Durable]) -> None:
    assert model.model_config.get("extra") == "ignore"


def test_unknown_and_removed_fields_in_a_recorded_run_are_ignored() -> None:
    raw = json.loads(STATE_V1.read_text())
    raw["a_field_from_a_later_version"] = {"x": 1}
    raw["request"]["a_removed_api_option"] = True  # e.g. an option the API no longer takes
    raw["variants"][0]["sentiment"] = "warm"
    raw["events"][0]["trace_id"] = "abc"
    raw["brand"]["facts"][0]["confidence"] = 0.9
    state = RunState.model_validate(raw)
    assert state.request.url == raw["request"]["url"] and not hasattr(state.request, "a_removed_api_option")
    assert state.variants[0].id == "v1" and state.events[0].type == "run_started"
    assert "a_field_from_a_later_version" not in state.model_dump()
    inp = json.loads(ROW_V1.read_text())["input_json"]
    inp["request"]["a_removed_api_option"] = True
    inp["retired_setting"] = 5
    assert PipelineInput.model_validate(inp).request.num_variants == 2
