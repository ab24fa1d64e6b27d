"""The artifact store: safe keys, atomic writes, retention."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from brandtruth.pipeline.artifacts import InvalidKeyError, LocalArtifactStore, remove_runs_older_than


@pytest.mark.parametrize("key", ["../etc/passwd", "run/../../x", "/abs/path", "run\\x", "run", "run/.hidden", "a//b"])
def test_keys_that_could_escape_the_store_are_refused(tmp_path: Path, key: str) -> None:
    store = LocalArtifactStore(tmp_path)
    with pytest.raises(InvalidKeyError):
        store.put(key, b"x")
    assert not store.exists(key)


def test_put_overwrites_atomically_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    store.put("pipeline-1/creatives/a.png", b"first")
    store.put("pipeline-1/creatives/a.png", b"second")
    assert store.get("pipeline-1/creatives/a.png") == b"second"
    assert [p.name for p in (tmp_path / "pipeline-1" / "creatives").iterdir()] == ["a.png"]


def test_retention_removes_only_old_runs_and_keeps_live_ones(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    for run in ("pipeline-old", "pipeline-live", "pipeline-new"):
        store.put(f"{run}/creatives/a.png", b"x")
    week_ago = time.time() - 7 * 86400
    for run in ("pipeline-old", "pipeline-live"):
        path = store.path(f"{run}/creatives/a.png")
        os.utime(path, (week_ago, week_ago))
    removed = remove_runs_older_than(store, 3 * 86400, keep={"pipeline-live"})
    assert removed == ["pipeline-old"]
    assert not store.exists("pipeline-old/creatives/a.png")
    assert store.exists("pipeline-live/creatives/a.png") and store.exists("pipeline-new/creatives/a.png")
