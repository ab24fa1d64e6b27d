"""A call to action that fits the ad it is on.

A site's main button often names one thing it sells: a bakery's "Commander un gâteau", a shop's "Shop
sofas". On an ad for the bakery's bread that button reads as a mistake, so such a CTA stays only on an
ad that mentions its thing, or when that thing is what the site is about (a yoga studio's "Book a
class": most of what the site says is about its classes). Elsewhere the ad gets the standard CTA for
the same intent, in the site's language ("Commander").
"""

from __future__ import annotations

import re

from ..extract.pieces import DONATION
from ..llm.phrases import cta_subject, intent_of_cta, intent_of_type, mentions, phrases_for, standard_cta
from ..models import BrandProfile

# A thing the CTA names is what the site is about when at least this share of its facts mention it.
CORE_SHARE = 0.4
# The intents whose CTA names what is bought, booked or given. A reading one ("Read the quickstart",
# "See the menu") leads to what the site says, which any of its ads may point to.
TRANSACTIONS = frozenset({"order", "shop", "book", "quote", "donate"})
# A button that claims a deal ("Claim Offer", "Redeem Now", "Get the Deal"), and copy that states one (a price,
# money off, something free: not the verb "we offer").
CLAIMS_OFFER = re.compile(
    r"\bclaim (?:your |the |this |my )?(?:offer|deal|discount|coupon|gift|reward|spot|free)|\bredeem\b|\bunlock\b|"
    r"\bgrab (?:the |this |your )?deal|\b(?:get|see|view|shop) (?:the |this |our )?(?:offer|deal|discount|special)s?\b|"
    r"^(?:special )?(?:offers?|deals?|promos?|coupons?)$|\b(?:voir l'offre|profitez de l'offre|oferta|promoción)\b",
    re.I,
)
OFFER_IN_COPY = re.compile(
    r"\b(?:deal|discount|coupon|promo|free|save|gratuit\w*|offert\w*|kostenlos|gratis|rabatt|descuento)\b|"
    r"(?<![\w-])off\b|\d\s?% (?:off|de réduction|rabatt|de descuento)|[$€£]\s?\d|\d\s?[€$£]",
    re.I,
)


def fitting_cta(cta: str, copy: str, brand: BrandProfile) -> str:
    """`cta`, or the standard CTA of its intent when it sells something neither the ad's copy nor most
    of the site speaks of. A language we have no words for keeps the site's own CTA."""
    intent = intent_of_cta(cta)
    if phrases_for(brand.language) is None:
        return cta
    if CLAIMS_OFFER.search(cta) and not OFFER_IN_COPY.search(copy):
        # "Claim Offer" under an ad for teeth whitening promises a deal the ad never states.
        return standard_cta(intent or intent_of_type(brand.business_type), brand.language)
    if intent not in TRANSACTIONS:
        return cta
    subject = cta_subject(cta, brand.name)
    if not subject or mentions(copy, subject):
        return cta
    facts = [f for f in brand.facts if not f.disputed]
    if facts and sum(mentions(f.evidence, subject) for f in facts) >= CORE_SHARE * len(facts):
        return cta
    return standard_cta(intent, brand.language)


def gift_cta(cta: str, fact_ids: list[str], brand: BrandProfile, limit: int) -> str:
    """An ad about what a gift does ("$25 vaccinates one puppy") asks for the gift: the site's own donate button
    ("Donate Today"), not its main one ("Meet Our Pets"), when the site has one that fits."""
    if intent_of_cta(cta) == "donate" or not {f.id for f in brand.facts if f.subject == DONATION} & set(fact_ids):
        return cta
    donate = [c for c in (brand.primary_cta, *brand.ctas) if c and len(c) <= limit and intent_of_cta(c) == "donate"]
    return donate[0] if donate else cta
