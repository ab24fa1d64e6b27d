"""Fixture sites whose labels a step cannot meet yet.

A site's expected.json may say `"pending": {"extract": "issue 14: ...", "copy": "issue 15: ..."}`. Tests that
run every fixture site mark that site's case as a non-strict xfail naming the issue: it still runs, a failure
reads as the known gap instead of hiding other regressions, and it shows as XPASS once the issue lands (then
delete the key from expected.json so the case guards the fix).
"""

from __future__ import annotations

import json

import pytest

from tests.support.sites import SITES_DIR


def pending(site: str, step: str) -> str:
    labels = SITES_DIR / site / "expected.json"
    if not labels.is_file():
        return ""
    return str(json.loads(labels.read_text(encoding="utf-8")).get("pending", {}).get(step, ""))


def site_params(sites: list[str], step: str) -> list[object]:
    """`sites` as pytest params, each pending one an xfail(strict=False) with its issue as the reason."""
    return [
        pytest.param(site, id=site, marks=pytest.mark.xfail(reason=why, strict=False)) if (why := pending(site, step)) else site
        for site in sites
    ]
