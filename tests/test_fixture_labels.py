"""The labels of the fixture sites are themselves checked: every labelled string is on its site, as
bench/extract_eval.py reads pages (blocks joined by single spaces). No network, no extractor."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.support.sites import SITES_DIR

_PATH = Path(__file__).resolve().parent.parent / "bench" / "extract_eval.py"
_spec = importlib.util.spec_from_file_location("extract_eval", _PATH)
assert _spec and _spec.loader
extract_eval = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("extract_eval", extract_eval)
_spec.loader.exec_module(extract_eval)


def test_every_label_is_verbatim_on_its_site(capsys) -> None:
    sites = sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.json").is_file())
    assert len(sites) >= 17
    assert extract_eval.check_labels(sites) == 0, capsys.readouterr().out


def test_visible_text_joins_blocks_with_spaces_and_inline_text_as_written() -> None:
    vt = extract_eval.visible_text
    card = '<div class="card"><h3>Drain Clear</h3><span class="price">$129–$249</span><p>Single fixture</p></div>'
    assert vt(card) == "Drain Clear $129–$249 Single fixture"
    assert vt("<p>Call <a href='#'>now</a>, <b>to</b>day<br>or later</p>") == "Call now, today or later"
    assert vt('<p>1&nbsp;000 clients</p><p class="x">12,50\u202f€</p>') == "1 000 clients 12,50 €"
    hidden = '<span class="visually-hidden">Regular price</span><span>$7.75</span><div hidden>x</div><noscript>JS!</noscript>'
    assert vt(hidden) == "$7.75"


def test_a_glued_card_or_a_button_label_counts_as_a_not_fact() -> None:
    from brandtruth.pipeline.models import Fact

    def fact(evidence: str, subject: str = "") -> Fact:
        return Fact(id="f", text=evidence, evidence=evidence, source_url="u", subject=subject)

    bad = ["Add to Cart", "Drain Clear$129", "Your information will be processed in line with GDPR"]
    assert extract_eval.is_not_fact(fact("Country Sourdough $7.75 Add to Cart"), bad) == "Add to Cart"
    assert extract_eval.is_not_fact(fact("Drain Clear$129–$249Single fixture"), bad) == "Drain Clear$129"
    assert extract_eval.is_not_fact(fact("Your information will be processed"), bad)
    assert not extract_eval.is_not_fact(fact("$129–$249", subject="Drain Clear"), bad)
    assert not extract_eval.is_not_fact(fact("Drain Clear $129–$249 Single fixture"), bad)
    assert extract_eval.matches("1000+ Projects Completed", "1000+ projects completed")
    assert not extract_eval.matches("98% Customer Satisfaction", "98%")
