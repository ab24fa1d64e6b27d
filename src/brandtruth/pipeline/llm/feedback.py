"""Reading a reviewer's feedback: the material it names, the angle it asks for, the tone it wants.

"lead with the $25 off offer" names "$25" and asks for the offer angle; "shorter and more urgent"
asks for tones. `follows` says whether a revised variant visibly does what was asked, and
`missing_material` which named things the site never states (so no copy can lead with them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import BrandProfile, CopyVariant

_ANGLES: tuple[tuple[str, str], ...] = (
    (r"\bquestion\b", "question"),
    (r"\b(quote|testimonial|review(er)?s? say|customer voice|témoignage|avis|kundenstimme|testimonio)\b", "testimonial"),
    (
        r"\b(offer|deal|discount|promo\w*|sale|% off|\boff\b|coupon|free trial|offre|remise|angebot|rabatt|oferta|"
        r"descuento)\b",
        "offer",
    ),
    (r"\b(price|prices|pricing|product|menu|prix|produit|preis|produkt|precio|producto)\b", "product"),
    (r"\b(proof|social|trust|numbers?|stats?|results?|reviews|rating|award|credib\w*|preuve|chiffres|zahlen)\b", "social_proof"),
    (r"\b(story|about|mission|history|founder|heritage|histoire|geschichte|historia)\b", "story"),
    (r"\b(feature|features|service|services|detail|spec\w*)\b", "feature"),
    (r"\b(benefit|outcome|value|promise|tagline|hero)\b", "benefit"),
)
_TONES: tuple[tuple[str, str], ...] = (
    (r"\b(short(er|en)?|concise|brief|punch(y|ier)|tight(er)?|less text|fewer words|plus court|kürzer|más corto)\b", "shorter"),
    (r"\b(urgen\w*|hurry|now|asap|sooner|fomo|time[- ]limited|pressing|dringend|urgente)\b", "urgent"),
    (r"\b(friendl\w*|warm(er)?|casual|approachable|human|personal|chaleureu\w*|freundlich\w*|cercan\w*)\b", "friendlier"),
    (r"\b(formal|professional|serious|corporate|polished|sober|formel|förmlich\w*|seriös|profesional)\b", "formal"),
)
_NUMBER = re.compile(r"[$€£]\s?\d[\d,.]*|\d[\d,.]*\s?(?:%|€|\$|£)|\b\d[\d,.]*\+?")
_ASKED = re.compile(
    r"\b(?:lead with|open with|start with|mention|feature|highlight|focus on|use)\s+(?:the |our |a |an )?"
    r"(.+?)(?=\s+(?:offer|deal|instead|first|please|up front|in the headline)\b|[,.;!?]|$)",
    re.I,
)
_QUOTED = re.compile(r"[\"“«„']([^\"”»“']{3,60})[\"”»“']")


# "round 2", "option 3", "v2", "#4": a number that counts drafts or choices, not material of the site.
_ENUMERATOR = re.compile(r"(?:\b(?:round|rounds|version|option|take|draft|try|attempt|variant|number|no\.?)|\bv|#)\s*$", re.I)


def _counts_drafts(text: str, m: re.Match[str]) -> bool:
    return m.group(0)[:1].isdigit() and bool(_ENUMERATOR.search(text[: m.start()]))


@dataclass
class Wish:
    """What the feedback asks for."""

    text: str
    angle: str | None = None
    terms: list[str] = field(default_factory=list)  # material it names, as written in the feedback
    tones: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.angle or self.terms or self.tones)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w$€£%+.,' ]", " ", text.lower())).strip()


def _site_phrases(brand: BrandProfile) -> list[str]:
    """Names a reviewer may use for the site's material: products, quote authors, offers, features."""
    names = [f.subject for f in brand.facts if f.subject and not f.disputed]
    names += [t.author.split(",")[0] for t in brand.testimonials if t.author]
    return [n for n in dict.fromkeys(n.strip() for n in names + brand.features + brand.offers) if len(n) >= 3]


def read(feedback: str, brand: BrandProfile | None = None) -> Wish:
    wish = Wish(text=feedback or "")
    text = feedback or ""
    for pattern, angle in _ANGLES:
        if re.search(pattern, text, re.I):
            wish.angle = angle
            break
    wish.tones = [tone for pattern, tone in _TONES if re.search(pattern, text, re.I)]
    terms = [m.group(0).strip().rstrip(".,") for m in _NUMBER.finditer(text) if not _counts_drafts(text, m)]
    terms += [m.group(1).strip() for m in _QUOTED.finditer(text)]
    if brand is not None:
        site = site_text(brand)
        for m in _ASKED.finditer(text):  # "lead with the free trial": a phrase of the site's own
            phrase = norm(m.group(1))
            if len(phrase) >= 4 and phrase in site:
                terms.append(m.group(1).strip())
        low = norm(text)
        terms += [n for n in _site_phrases(brand) if norm(n) and re.search(rf"\b{re.escape(norm(n))}\b", low)]
    terms = list(dict.fromkeys(t for t in terms if t))
    # "$25" inside "$25 off": the longer phrase says it all.
    wish.terms = [t for t in terms if not any(t != o and norm(t) in norm(o) for o in terms)]
    return wish


def site_text(brand: BrandProfile) -> str:
    parts = [brand.tagline, brand.description, *brand.value_props, *brand.features, *brand.offers]
    parts += [f"{f.text} {f.evidence} {f.subject} {f.value}" for f in brand.facts if not f.disputed]
    parts += [f"{t.quote} {t.author} {t.place}" for t in brand.testimonials]
    return norm(" ".join(p for p in parts if p))


def _has(term: str, text: str) -> bool:
    t = norm(term)
    digits = re.sub(r"[^\d.]", "", t).rstrip(".")
    if digits and re.fullmatch(r"[$€£]?\s?[\d.,]+\+?\s?[%€$£]?", t):
        # "$25" is a price: 25 elsewhere ("25-year warranty") is not it; likewise "25%" and "25 €".
        unit = re.search(r"[$€£%]", t)
        number = rf"(?<![\d.,]){re.escape(digits)}(?![\d])"
        if unit and unit.group(0) in "$£":
            number = rf"\{unit.group(0)}\s?" + number if unit.group(0) == "$" else "£\\s?" + number
        elif unit:
            number += rf"\s?{re.escape(unit.group(0))}"
        return bool(re.search(number, text.replace(",", "")))
    return t in text


def missing_material(wish: Wish, brand: BrandProfile) -> list[str]:
    text = site_text(brand)
    return [t for t in wish.terms if not _has(t, text)]


def follows(wish: Wish, new: CopyVariant, old: CopyVariant | None) -> list[str]:
    """What the revised variant fails to do of what was asked; empty when it visibly follows."""
    copy = norm(f"{new.headline} {new.body}")
    gaps = [f'does not mention "{t}"' for t in wish.terms if not _has(t, copy)]
    lead = norm(new.headline)
    if wish.terms and not gaps and not any(_has(t, lead) for t in wish.terms) and re.search(r"\blead", wish.text, re.I):
        gaps.append(f'does not lead with "{wish.terms[0]}"')
    if wish.angle and new.angle != wish.angle and not wish.terms:
        gaps.append(f"is a {new.angle or 'different'} variant, not {wish.angle}")
    if old is not None and "shorter" in wish.tones and len(new.headline + new.body) >= len(old.headline + old.body):
        gaps.append("is not shorter than the previous version")
    if old is not None and new.headline == old.headline and new.body == old.body:
        gaps.append("is unchanged")
    return gaps


def describe(wish: Wish, new: CopyVariant, old: CopyVariant | None) -> str:
    """A one-line note saying how the revision followed the feedback."""
    done: list[str] = []
    lead = norm(new.headline)
    if wish.terms:
        leads = [t for t in wish.terms if _has(t, lead)]
        said = [t for t in wish.terms if t not in leads and _has(t, norm(new.body))]
        done += ["leads with " + ", ".join(f'"{t}"' for t in leads)] if leads else []
        done += ["mentions " + ", ".join(f'"{t}"' for t in said)] if said else []
    if wish.angle and not wish.terms:
        done.append(f"{wish.angle.replace('_', ' ')} angle")
    if "shorter" in wish.tones and old is not None and len(new.headline + new.body) < len(old.headline + old.body):
        done.append(f"shorter ({len(new.headline + new.body)} characters, was {len(old.headline + old.body)})")
    for tone in ("urgent", "friendlier", "formal"):
        if tone in wish.tones:
            done.append(
                {
                    "urgent": f"more urgent (CTA “{new.cta}”, one point)",
                    "friendlier": "friendlier (a customer's words, no hard sell)",
                    "formal": "more formal (no exclamation marks or first-person quotes)",
                }[tone]
            )
    return "Revised as asked: " + "; ".join(done) + "." if done else ""
