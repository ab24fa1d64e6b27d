"""Brand profiles built from a fixture site's labels (expected.json): what a right extraction gives.

The copy tests use them to judge the writer on each site's real material (typed facts, prices with
their product, stats with their label, testimonials whole) independently of the extractor's progress.
"""

from __future__ import annotations

import json
import re

from brandtruth.pipeline.models import BrandProfile, Fact, Testimonial
from tests.support.sites import SITES_DIR

# The label's kind of site -> the business type extraction names.
_TYPES = {
    "local-service": "service",
    "dtc-shop": "shop",
    "shop": "shop",
    "food": "bakery",
    "saas": "saas",
    "software": "desktop software",
    "developer-tool": "saas",
    "nonprofit": "nonprofit",
    "legacy-latin1": "shop",
}


def labelled_sites() -> list[str]:
    return sorted(p.parent.name for p in SITES_DIR.glob("*/expected.json"))


def _typed(fid: str, label: dict[str, str], prices: dict[str, str], url: str) -> Fact:
    evidence, kind = label["evidence"], label["kind"]
    subject = value = ""
    product = next((p for p in prices if evidence.startswith(p)), "")
    if kind == "price" and product:
        subject, value = product, prices[product]
    elif kind in ("stat", "customers"):
        stat = re.match(r"([\d.,  ]+\s?[+%]?)\s+(.+)", evidence)
        if stat and len(stat.group(2).split()) <= 4:
            value, subject = stat.group(1).strip(), stat.group(2).strip()
    return Fact(
        id=fid,
        kind=kind,
        text=evidence.rstrip("."),
        evidence=evidence,
        source_url=url + label.get("page", ""),
        region="pricing" if kind == "price" else "stat" if value else "section",
        subject=subject,
        value=value,
    )


def labelled_brand(site: str) -> BrandProfile:
    labels = json.loads((SITES_DIR / site / "expected.json").read_text(encoding="utf-8"))
    url = f"https://{site}.example/"
    prices = {p["product"]: p["price"] for p in labels.get("price_facts", [])}
    facts = [_typed(f"f{i}", label, prices, url) for i, label in enumerate(labels.get("facts", []), 1)]
    disputed = {e for c in labels.get("contradictions", []) for e in (c if isinstance(c, list) else [])}
    facts = [f.model_copy(update={"disputed": f.evidence in disputed}) for f in facts]
    testimonials = [
        Testimonial(quote=t["quote"], author=t.get("author", ""), place=t.get("place", ""), rating=str(t.get("rating", "")))
        for t in labels.get("testimonials", [])
    ]
    facts += [
        Fact(
            id=f"t{i}", kind="testimonial", text=t.quote, evidence=t.quote, source_url=url, region="testimonial", subject=t.author
        )
        for i, t in enumerate(testimonials, 1)
    ]
    return BrandProfile(
        url=url,
        name=labels["name"],
        language=labels.get("language", "en"),
        business_type=_TYPES.get(labels.get("kind", ""), ""),
        primary_cta=labels.get("primary_cta") or "",
        ctas=[labels["primary_cta"]] if labels.get("primary_cta") else [],
        facts=facts,
        testimonials=testimonials,
        headings=list(labels.get("not_facts", [])),
    )
