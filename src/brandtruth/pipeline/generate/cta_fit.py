"""A call to action that fits the ad it is on.

A site's main button often names one thing it sells: a bakery's "Commander un gâteau", a shop's "Shop
sofas". On an ad for the bakery's bread that button reads as a mistake, so such a CTA stays only on an
ad that mentions its thing, or when that thing is what the site is about (a yoga studio's "Book a
class": most of what the site says is about its classes). Elsewhere the ad gets the standard CTA for
the same intent, in the site's language ("Commander").
"""

from __future__ import annotations

from ..llm.phrases import cta_subject, intent_of_cta, mentions, phrases_for, standard_cta
from ..models import BrandProfile

# A thing the CTA names is what the site is about when at least this share of its facts mention it.
CORE_SHARE = 0.4
# The intents whose CTA names what is bought, booked or given. A reading one ("Read the quickstart",
# "See the menu") leads to what the site says, which any of its ads may point to.
TRANSACTIONS = frozenset({"order", "shop", "book", "quote", "donate"})


def fitting_cta(cta: str, copy: str, brand: BrandProfile) -> str:
    """`cta`, or the standard CTA of its intent when it sells something neither the ad's copy nor most
    of the site speaks of. A language we have no words for keeps the site's own CTA."""
    intent = intent_of_cta(cta)
    if phrases_for(brand.language) is None or intent not in TRANSACTIONS:
        return cta
    subject = cta_subject(cta, brand.name)
    if not subject or mentions(copy, subject):
        return cta
    facts = [f for f in brand.facts if not f.disputed]
    if facts and sum(mentions(f.evidence, subject) for f in facts) >= CORE_SHARE * len(facts):
        return cta
    return standard_cta(intent, brand.language)
