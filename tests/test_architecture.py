"""Import rules of the house (ARCHITECTURE.md), checked by walking the imports of src/brandtruth.

The two engines are siblings that know nothing of each other or of HTTP; the pipeline core knows
nothing of the API, the engines, the settings or the metrics (steps.py at the top binds those to the
steps, and knows nothing of the API or the engines). Every import counts: module level,
inside functions, under TYPE_CHECKING, relative or absolute.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "brandtruth"

# part -> the parts it must not import
RULES: dict[str, tuple[str, ...]] = {
    "brandtruth.engines.temporal": ("brandtruth.engines.local", "brandtruth.api"),
    "brandtruth.engines.local": ("brandtruth.engines.temporal", "brandtruth.api"),
    "brandtruth.engines": ("brandtruth.api",),
    "brandtruth.pipeline": ("brandtruth.api", "brandtruth.engines", "brandtruth.config", "brandtruth.metrics"),
    "brandtruth.steps": ("brandtruth.api", "brandtruth.engines"),
}

# Imports that break a rule, listed rather than hidden (module, forbidden part). None today: the
# pipeline's settings (provider keys, fetch policy, artifact store) and step metrics are bound in
# brandtruth/steps.py. Keep it empty; an entry that is no longer needed fails the test too.
ALLOWED: set[tuple[str, str]] = set()


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path) -> set[str]:
    """Every module (and `from x import name` as x.name) a file imports, relative imports resolved."""
    mod = module_name(path, root)
    package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - (node.level - 1)] + ([node.module] if node.module else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return found


def _within(name: str, part: str) -> bool:
    return name == part or name.startswith(part + ".")


def violations(root: Path) -> set[tuple[str, str]]:
    found = set()
    for path in sorted(root.rglob("*.py")):
        mod = module_name(path, root)
        for part, forbidden in RULES.items():
            if not _within(mod, part):
                continue
            for name in imported(path, root):
                for bad in forbidden:
                    if _within(name, bad) and not _within(mod, bad):
                        found.add((mod, bad))
    return found


def test_the_parts_import_only_what_the_house_allows() -> None:
    assert PACKAGE.is_dir(), PACKAGE
    found = violations(PACKAGE)
    assert not found - ALLOWED, f"imports that break ARCHITECTURE.md's rules: {sorted(found - ALLOWED)}"


def test_allowed_exceptions_are_still_needed() -> None:
    stale = ALLOWED - violations(PACKAGE)
    assert not stale, f"these exceptions are gone from the code: remove them from ALLOWED: {sorted(stale)}"


@pytest.mark.parametrize(
    ("where", "source", "bad"),
    [
        ("engines/temporal/x.py", "from brandtruth.engines.local.engine import LocalEngine\n", "brandtruth.engines.local"),
        ("engines/temporal/x.py", "from ..local import store\n", "brandtruth.engines.local"),
        ("engines/temporal/x.py", "def f():\n    from brandtruth.api import service\n", "brandtruth.api"),
        ("engines/local/x.py", "import brandtruth.engines.temporal.client\n", "brandtruth.engines.temporal"),
        ("engines/local/x.py", "from brandtruth.api.service import RunService\n", "brandtruth.api"),
        ("pipeline/x.py", "from brandtruth import config\n", "brandtruth.config"),
        ("pipeline/llm/x.py", "from ...metrics import STEP_SECONDS\n", "brandtruth.metrics"),
        ("pipeline/x.py", "from brandtruth.engines.base import EngineError\n", "brandtruth.engines"),
        ("pipeline/x.py", "from brandtruth.api.app import create_app\n", "brandtruth.api"),
        ("pipeline/llm/x.py", "from brandtruth.config import Settings\n", "brandtruth.config"),
        ("pipeline/x.py", "def f():\n    from brandtruth import metrics\n", "brandtruth.metrics"),
        ("steps.py", "from brandtruth.engines.base import EngineError\n", "brandtruth.engines"),
        ("steps.py", "from .api import service\n", "brandtruth.api"),
    ],
)
def test_the_walker_catches_a_forbidden_import(tmp_path: Path, where: str, source: str, bad: str) -> None:
    root = tmp_path / "brandtruth"
    target = root / where
    for d in [root, *(p for p in target.parents if root in p.parents)]:
        d.mkdir(parents=True, exist_ok=True)
        (d / "__init__.py").touch()
    target.write_text(source)
    assert (module_name(target, root), bad) in violations(root)


def test_the_walker_allows_what_the_rules_allow(tmp_path: Path) -> None:
    root = tmp_path / "brandtruth"
    (root / "engines" / "temporal").mkdir(parents=True)
    (root / "engines" / "temporal" / "x.py").write_text(
        "from brandtruth.engines.base import EngineError\nfrom brandtruth.steps import Steps\nfrom . import y\n"
    )
    (root / "steps.py").write_text("from brandtruth.config import Settings\nfrom .metrics import STEP_SECONDS\n")
    (root / "api").mkdir()
    (root / "api" / "x.py").write_text("from brandtruth.engines.local.engine import LocalEngine\n")
    assert violations(root) == set()
