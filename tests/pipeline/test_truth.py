"""The truth checker: unit cases, and the corpus of sample copies with planted unsupported claims."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandtruth.pipeline.models import Claim, CopyVariant, Fact
from brandtruth.pipeline.truth import check_copy, check_variant, find_checkables

CORPUS = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "truth_corpus.json").read_text())

FACTS = [
    Fact(
        id="f1",
        text="12,000 freelancers",
        evidence="Ledgerly is used by more than 12,000 freelancers in 40 countries.",
        source_url="https://ledgerly.example/",
    ),
    Fact(
        id="f2",
        text="$12/month",
        evidence="The Pro plan costs $12 per month, billed monthly.",
        source_url="https://ledgerly.example/pricing",
    ),
]


def flagged(headline: str, body: str = "", cites: list[str] | None = None) -> list[str]:
    return check_copy([headline, body], [], cites or [], FACTS, "Ledgerly").unsupported


def backs(evidence: str, copy: str) -> bool:
    """Whether one site sentence, cited, supports everything checkable in `copy`."""
    facts = [Fact(id="f1", text="claim", evidence=evidence, source_url="https://shop.example/")]
    return check_copy([copy], [], ["f1"], facts, "Shop").verdict == "supported"


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("Save 20% today", {"percent"}),
        ("Only $9.99/mo", {"price"}),
        ("Trusted by 10k+ teams", {"number"}),
        ("ISO 27001 and SOC 2 certified", {"certification", "number"}),
        ("Money-back guarantee", {"guarantee"}),
        ("Award-winning support", {"award"}),
        ("The #1 CRM", {"superlative"}),
        ("Loved by millions", {"count"}),
        ("Free shipping", {"offer"}),
        ("Send invoices in a minute", set()),
        ("Feel free to ask", set()),
        ("Do your best work", set()),
        ("Hassle-free setup", set()),
        ("Make the most of it", set()),
    ],
)
def test_finds_what_needs_evidence(text: str, kinds: set[str]) -> None:
    assert {c.kind for c in find_checkables(text)} == kinds


def test_supported_number_links_to_its_fact_and_evidence() -> None:
    report = check_copy(["Used by 12,000+ freelancers"], [], ["f1"], FACTS, "Ledgerly")
    assert report.verdict == "supported"
    [claim] = report.supported
    assert claim.fact_id == "f1" and "12,000 freelancers" in claim.evidence and claim.source_url.endswith("example/")


def test_invented_number_is_unsupported_with_a_reason() -> None:
    [reason] = flagged("Used by 50,000 freelancers", cites=["f1"])
    assert "50,000" in reason and "not stated" in reason


def test_same_number_counting_something_else_is_unsupported() -> None:
    assert flagged("12,000 invoices a day") and not flagged("12,000 freelancers")


def test_price_needs_the_same_currency() -> None:
    assert not flagged("Pro for $12 a month") and flagged("Pro for €12 a month")


def test_statement_found_only_in_an_uncited_fact_is_supported_and_linked() -> None:
    report = check_copy(["Freelancers in 40 countries"], [], [], FACTS, "Ledgerly")
    assert report.verdict == "supported" and report.supported[0].fact_id == "f1"


def test_claim_citing_an_unknown_fact_is_unsupported() -> None:
    v = CopyVariant(
        id="v1",
        headline="Invoicing made simple",
        body="Send invoices fast.",
        cta="Learn More",
        claims=[Claim(text="simple", fact_ids=["f99"])],
    )
    report = check_variant(v, FACTS, "Ledgerly")
    assert report.verdict == "unsupported" and "f99" in report.unsupported[0]


def test_brand_name_digits_are_not_claims() -> None:
    facts = [Fact(id="f1", text="x", evidence="Your first class is free.", source_url="u")]
    assert check_copy(["Studio 54 Yoga: first class free"], [], ["f1"], facts, "Studio 54 Yoga").verdict == "supported"


def test_corpus_flags_every_planted_claim_and_raises_no_false_alarm() -> None:
    planted_total = detected = flagged_total = true_flags = 0
    misses: list[str] = []
    false_alarms: list[str] = []
    for case in CORPUS["cases"]:
        brand = CORPUS["brands"][case["brand"]]
        facts = [Fact(**f) for f in brand["facts"]]
        report = check_copy([case["headline"], case["body"]], [], case["cites"], facts, brand["name"])
        planted = [p.lower() for p in case["planted"]]
        planted_total += len(planted)
        for p in planted:
            if any(p in msg.lower() for msg in report.unsupported):
                detected += 1
            else:
                misses.append(f"{case['headline']!r}: {p}")
        for msg in report.unsupported:
            flagged_total += 1
            if any(p in msg.lower() for p in planted):
                true_flags += 1
            else:
                false_alarms.append(f"{case['headline']!r}: {msg}")
    precision = true_flags / flagged_total if flagged_total else 1.0
    recall = detected / planted_total if planted_total else 1.0
    print(
        f"\ntruth corpus: {len(CORPUS['cases'])} copies, {planted_total} planted claims; "
        f"precision {precision:.3f} ({true_flags}/{flagged_total}), recall {recall:.3f} ({detected}/{planted_total})"
    )
    assert not misses, misses
    assert not false_alarms, false_alarms
    assert planted_total >= 30 and sum(1 for c in CORPUS["cases"] if not c["planted"]) >= 25


@pytest.mark.parametrize(
    "copy, evidence, supported",
    [
        ("Take 50% off everything", "Save up to 50% off selected lines this week.", False),
        ("Up to 50% off selected lines", "Save up to 50% off selected lines this week.", True),
        ("Up to 50% off", "Everything is 50% off this week.", True),
        ("Join 10,000+ customers", "Nearly 10,000 customers trust us with their books.", False),
        ("Join almost 10,000 customers", "Nearly 10,000 customers trust us with their books.", True),
        ("Set up in 5 minutes", "Most teams are set up in under 5 minutes.", True),
        ("Save up to $40 a year", "Members save $40 a year on average.", True),
    ],
)
def test_a_ceiling_on_the_site_stays_a_ceiling_in_the_copy(copy: str, evidence: str, supported: bool) -> None:
    """Regression: "up to 50% off" on the site passed as "50% off" in the copy (an overclaim)."""
    assert backs(evidence, copy) is supported


@pytest.mark.parametrize(
    "copy, evidence, supported",
    [
        ("Trusted by ten thousand teams", "More than 10,000 teams use it every day.", True),
        ("Trusted by ten thousand teams", "More than 5,000 teams use it every day.", False),
        ("Trusted by 12,000 freelancers", "Twelve thousand freelancers send their invoices with us.", True),
        ("Save forty percent today", "Save 40% on every annual plan.", True),
        ("Loved by tens of thousands of users", "Over 40,000 users rely on it.", True),
    ],
)
def test_numbers_written_in_words_are_checked_like_digits(copy: str, evidence: str, supported: bool) -> None:
    """Regression: "ten thousand teams" had nothing checkable in it, so any such number passed."""
    assert backs(evidence, copy) is supported
