"""A piece of site material the offline writer may use, and the check that makes it usable: the truth
checker finds every checkable thing in it backed by a fact, whose ids it carries."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Fact
from ..truth import check_copy
from .wording import clean


@dataclass(frozen=True)
class Snippet:
    text: str
    fact_ids: tuple[str, ...] = ()
    subject: str = ""  # what a price prices, a stat counts
    full: str = ""  # the site's whole sentence a short fact text comes from, for bodies
    detail: str = ""  # what the site says of a product beside its price ("three corn tortillas, braised beef")
    title: str = ""  # the heading of the card it was read from ("Your data stays put"), which names its point
    kind: str = ""  # the kind of fact it says ("award"), where the words alone may not tell ("Gold Medal – GABF 2024")

    @property
    def prose(self) -> str:
        """The snippet as body text: the whole sentence when there is one."""
        return self.full or self.text


@dataclass(frozen=True)
class Quote:
    snip: Snippet
    author: str
    place: str = ""


def ground(text: str, facts: list[Fact], brand_name: str) -> Snippet | None:
    text = clean(text)
    if not text:
        return None
    report = check_copy([text], [], [], facts, brand_name)
    if report.verdict != "supported":
        return None
    return Snippet(text, tuple(dict.fromkeys(s.fact_id for s in report.supported)))
