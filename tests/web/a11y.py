"""axe-core (shipped in the pinned axe-playwright-python package) run in the browser on a page state."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE = Axe()


def assert_accessible(page: Page, state: str) -> None:
    """Zero axe-core violations on the page as it is now; the report names each rule and node."""
    results = AXE.run(page)
    if results.violations_count:
        lines = [f"axe-core: {results.violations_count} violation(s) on {state}:"]
        for v in results.response["violations"]:
            targets = [", ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"][:5]]
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']} -> {targets}")
            lines.extend(f"      {n.get('failureSummary', '')[:300]}" for n in v["nodes"][:2])
        raise AssertionError("\n".join(lines))
