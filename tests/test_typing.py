"""`mypy --strict` holds for the pipeline and the engines: [tool.mypy] in pyproject.toml says what a plain
`mypy` checks and how strictly, and this runs it, so a new strict error fails the suite."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_plain_mypy_checks_pipeline_and_engines_strictly() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["strict"] is True
    assert {"src/brandtruth/pipeline", "src/brandtruth/engines"} <= set(config["files"])


def test_pipeline_and_engines_have_no_strict_type_errors() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, f"mypy --strict found errors:\n{done.stdout}{done.stderr}"
    assert done.stdout.startswith("Success: no issues found")
