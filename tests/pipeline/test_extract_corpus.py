"""Every fixture site, read from its files: facts are verbatim, never boilerplate, prices name products.

The extract step's contract over the whole labelled corpus, without a server (the pages' static HTML):
each fact's evidence is in its page's visible text with blocks spaced (the eval's own reader,
bench/extract_eval.py), no fact is one of the site's labelled not-facts (headings, form titles,
GDPR/cookie text, buttons, staff test items), and every price fact names what it prices.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from brandtruth.pipeline.extract import brand as kit
from brandtruth.pipeline.extract.facts import extract_facts
from brandtruth.pipeline.extract.page import ParsedPage, parse_page
from tests.support.sites import SITES_DIR

_PATH = Path(__file__).resolve().parents[2] / "bench" / "extract_eval.py"
_spec = importlib.util.spec_from_file_location("extract_eval", _PATH)
assert _spec and _spec.loader
extract_eval = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("extract_eval", extract_eval)
_spec.loader.exec_module(extract_eval)

SITES = sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.json").is_file())
MAX_PAGES = 12


def read_site(site: str) -> tuple[list[ParsedPage], dict[str, str]]:
    root = SITES_DIR / site
    files = sorted(root.rglob("*.html"), key=lambda f: (f != root / "index.html", str(f)))[:MAX_PAGES]
    pages, texts = [], {}
    for file in files:
        data = file.read_bytes()
        url = f"http://sites.test/{site}/{file.relative_to(root).as_posix()}"
        pages.append(parse_page(extract_eval.decode(data), url))
        texts[url] = extract_eval.visible_text(extract_eval.decode(data))
    return pages, texts


@pytest.mark.parametrize("site", SITES)
def test_facts_are_verbatim_never_boilerplate_and_prices_name_products(site: str) -> None:
    expected = json.loads((SITES_DIR / site / "expected.json").read_text(encoding="utf-8"))
    pages, texts = read_site(site)
    facts = extract_facts(pages)

    assert [f for f in facts if f.evidence not in texts[f.source_url]] == []
    assert [(f.evidence, bad) for f in facts if (bad := extract_eval.is_not_fact(f, expected.get("not_facts", [])))] == []
    assert [f.evidence for f in facts if extract_eval.is_price(f) and not f.subject] == []


BUSINESS = {"local-service": "service", "food": "food", "shop": "shop", "dtc-shop": "shop", "saas": "software",
            "software": "software", "developer-tool": "software", "nonprofit": "nonprofit"}  # fmt: skip


@pytest.mark.parametrize("site", SITES)
def test_primary_cta_and_business_type_match_the_labels(site: str) -> None:
    expected = json.loads((SITES_DIR / site / "expected.json").read_text(encoding="utf-8"))
    pages, _texts = read_site(site)

    if expected.get("primary_cta"):
        assert kit.primary_cta(pages) == expected["primary_cta"]
    if expected.get("kind") in BUSINESS:
        assert kit.business_type(pages) == BUSINESS[expected["kind"]]


@pytest.mark.parametrize(
    "site", [s for s in SITES if json.loads((SITES_DIR / s / "expected.json").read_text()).get("testimonials")]
)
def test_testimonials_match_the_labels_whole_with_author_and_place(site: str) -> None:
    expected = json.loads((SITES_DIR / site / "expected.json").read_text(encoding="utf-8"))
    pages, _texts = read_site(site)

    got = {t.quote: (t.author, t.place) for t in kit.testimonials(pages)}
    want = {t["quote"]: (t["author"], t.get("place", "")) for t in expected["testimonials"]}
    assert {q: got.get(q) for q in want} == want
