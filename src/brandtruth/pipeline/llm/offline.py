"""The offline copywriter: deterministic, grounded by construction, no network, no keys.

It writes like a careful copywriter with only the brand's own words: each variant leads with the
brand's strongest line for its angle (hero line, quantified proof, offer with its terms, product
with its price, a customer's words, its story) and supports it with one or two of the site's own
sentences. Added words are only the per-language connectives and CTAs of `phrases.py`. A draft is
emitted only when the truth check backs every checkable thing in it, the copy lint finds no fault
and it is distinct from the variants already written; otherwise the next material is tried.
Revisions read the feedback (`feedback.py`) for the material, angle and tone asked for.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict

from ..generate.distinct import similarity, too_similar
from ..lint import lint_copy
from ..models import BrandProfile, Usage
from ..truth import check_copy
from .angles import ORDER, Angles, Built
from .base import CopyProvider, CopyRequest, Draft, DraftClaim, ProviderResult, Slot
from .feedback import Wish, norm, read
from .material import Material, gather
from .phrases import CTA_LIMITS, intent_of_cta, intent_of_type, phrases_for, pick_cta, standard_cta
from .wording import bare

MAX_SAME_ANGLE_FIRST = 2  # variants of one angle before the brand's own ad is tried

# (brand fingerprint, copy) -> whether it passed the truth check and the lint.
_VERDICTS: OrderedDict[tuple[object, ...], bool] = OrderedDict()


_MATERIAL: OrderedDict[tuple[object, ...], Material] = OrderedDict()


def fingerprint(b: BrandProfile) -> tuple[object, ...]:
    return (
        b.url,
        b.name,
        b.language,
        b.business_type,
        b.primary_cta,
        hash(tuple((f.id, f.kind, f.region, f.subject, f.value, f.evidence, f.text, f.disputed) for f in b.facts)),
        hash(
            (
                b.tagline,
                b.description,
                *b.headings,
                *b.ctas,
                *b.value_props,
                *b.features,
                *b.offers,
                *(f"{t.quote}|{t.author}|{t.place}" for t in b.testimonials),
            )
        ),
    )


def material(b: BrandProfile) -> Material:
    """The brand's material, gathered once per profile (a run's attempts and revisions reuse it)."""
    key = fingerprint(b)
    if key not in _MATERIAL:
        _MATERIAL[key] = gather(b)
        if len(_MATERIAL) > 32:
            _MATERIAL.popitem(last=False)
    return _MATERIAL[key]


def pack(sentences: list[str], limit: int, most: int = 2) -> str:
    """Up to `most` sentences in priority order, each kept only if the whole still fits."""
    out: list[str] = []
    for s in dict.fromkeys(x for x in sentences if x):
        if len(out) < most and len(" ".join([*out, s])) <= limit:
            out.append(s)
    return " ".join(out)


def choose_cta(req: CopyRequest, tones: list[str] | None = None) -> str:
    """The site's own primary action where it fits, else the standard one for the business and language."""
    b = req.brand
    limit = CTA_LIMITS.get(req.platform, 25)
    cta = pick_cta("", b.primary_cta, b.ctas, b.business_type, b.language, limit)
    if tones and "urgent" in tones and (b.language or "en").startswith("en"):
        return standard_cta(intent_of_cta(cta) or intent_of_type(b.business_type), "en")  # "Book Now": urgent
    return cta


class Writer:
    """Drafts for one request: the plan of angles per slot, then the first clean candidate."""

    def __init__(self, req: CopyRequest, mat: Material):
        self.req, self.mat, self.lim = req, mat, req.limits
        self.angles = Angles(mat, req.limits)
        self.cache: dict[str, list[Built]] = {}
        self._ctas: dict[tuple[str, ...], str] = {}
        self.fingerprint = fingerprint(req.brand)
        # Body sentences the other variants already carry (kept ones too, on a revision).
        self.used: set[str] = {x for b in req.avoid_bodies for x in re.split(r"(?<=[.!?])\s+", b) if x}
        self.angles_taken: Counter[str] = Counter()  # how many variants took each angle
        # A list of products or services already carried by a variant of this run (kept ones too).
        ph = phrases_for(mat.language)
        services = ph.offers.split("{x}")[0].format(name=mat.name) if ph else ""  # "Summit Roofing offers "
        self.listed = any(
            sum((p.subject or p.text) in b for p in mat.products) >= 2 or (services and services in b) for b in req.avoid_bodies
        )
        # What every ad may say again: the brand's name, and the product a product page is headed by.
        heading = norm(req.brand.tagline or "")
        self.everywhere = {norm(mat.name)} | {heading for p in mat.products if heading and norm(p.subject) == heading}
        # A brand with few sentences of its own gives each variant one, so every variant has its own.
        self.lean = len(mat.sentences()) < 3 * max(1, len(req.slots))

    def material_in(self, copy: str) -> set[str]:
        """The products (by name) and customer quotes a piece of copy carries."""
        low = copy.lower()
        # By whole words: a plan called "Pro" is not in "Sproutly" or "non-profits". Not the product a product page
        # is headed by ("The Everyday Tote"): every ad of that page is about it.
        keys = {
            f"p:{p.subject.lower()}"
            for p in self.mat.products
            if p.subject and norm(p.subject) not in self.everywhere and _says(low, p.subject.lower())
        }
        keys |= {f"q:{q.author.lower()}" for q in self.mat.quotes if bare(q.snip.text).lower()[:40] in low}
        return keys

    def candidates(self, angle: str) -> list[Built]:
        if angle not in self.cache:
            self.cache[angle] = list(self.angles.by_name(angle))
        return self.cache[angle]

    def wished_angles(self, wish: Wish) -> list[str]:
        """The angles a revision's feedback asks for, by name or by tone, most wanted first."""
        first = [wish.angle] if wish.angle else []
        if "urgent" in wish.tones:
            first += ["offer", "product"]
        if "friendlier" in wish.tones:
            first += ["testimonial", "story"]
        if "formal" in wish.tones:
            first += ["social_proof", "story"]
        return list(dict.fromkeys(first))

    def plan(self, number: int, wish: Wish | None) -> list[str]:
        rotated = list(ORDER[number % len(ORDER) :] + ORDER[: number % len(ORDER)])
        if wish is None:
            return [*rotated, "brand"]
        first = self.wished_angles(wish)
        if wish.terms:
            first += ["offer", "product", "social_proof", "testimonial"]
        return list(dict.fromkeys([*first, *rotated, "question", "brand"]))

    def draft(self, slot: Slot, built: Built, tones: list[str], reuse: bool = False, named: bool = False) -> Draft | None:
        """`named`: the candidate carries what the feedback names ("Lead with the free trial"), which comes
        before being shorter: a longer ad that follows it says so in its note, none says nothing."""
        body_limit = self.lim.body if "shorter" not in tones else min(self.lim.body, 90)
        before = slot.previous.body if slot.previous else ""  # a revision says something new
        # A revision of a variant that listed products or services says something else.
        relisted = bool(before) and sum((p.subject or p.text) in before for p in self.mat.products) >= 2
        allowed = [b for b in built.body if b not in before and not ((self.listed or relisted) and b == built.listing)]
        fresh = [b for b in allowed if b not in self.used] + ([b for b in allowed if b in self.used] if reuse else [])
        structural = built.body[:1] if built.angle == "testimonial" else []  # the quote is the body
        most = 1 if {"shorter", "urgent"} & set(tones) or self.lean else 2
        body = pack([*structural, *fresh], body_limit, most)
        if not body:
            return None
        if (
            "shorter" in tones
            and not named
            and slot.previous
            and len(built.headline + body) >= len(slot.previous.headline + slot.previous.body)
        ):
            return None
        if "formal" in tones and ("!" in built.headline + body or re.search(r"\b(I|I'm|my)\b", body)):
            return None
        description = self.description(built, body)
        cta = self.cta(tones)
        used = [
            s
            for s in built.cites
            if s.text == built.lead
            or bare(s.prose) in body
            or (s.subject and s.fact_ids and f"{s.subject}" in body and built.angle == "product")  # "… $22 each"
            or any(bare(s.text).lower() in x.lower() for x in (built.headline, body))
        ]
        claims = [DraftClaim(text=bare(s.text), fact_ids=list(s.fact_ids)) for s in used if s.fact_ids]
        ids = [fid for c in claims for fid in c.fact_ids]
        if not self.clean(built.headline, body, description, cta, tuple(ids)):
            # The description is one line for every draft: a fault in it alone must not cost the run all its ads.
            plain = self.mat.name if len(self.mat.name) <= self.lim.description else ""
            if description == plain or not self.clean(built.headline, body, plain, cta, tuple(ids)):
                return None
            description = plain
        return Draft(
            id=slot.id, angle=built.angle, headline=built.headline, body=body, description=description, cta=cta, claims=claims
        )

    def cta(self, tones: list[str]) -> str:
        """choose_cta, once per tone set: it reads only the brand and the platform, and a run asks it for
        every draft it tries (hundreds for ten variants)."""
        key = tuple(sorted(tones))
        if key not in self._ctas:
            self._ctas[key] = choose_cta(self.req, tones)
        return self._ctas[key]

    def clean(self, headline: str, body: str, description: str, cta: str, ids: tuple[str, ...]) -> bool:
        """Truth-checked and lint-clean; remembered across a run's attempts, which retry the same copy."""
        b = self.req.brand
        key = (self.fingerprint, headline, body, description, cta, ids)
        if key not in _VERDICTS:
            report = check_copy([headline, body, description], [], list(ids), b.facts, self.mat.name)
            _VERDICTS[key] = report.verdict == "supported" and not lint_copy(headline, body, cta, b, description)
            if len(_VERDICTS) > 4096:
                _VERDICTS.popitem(last=False)
        return _VERDICTS[key]

    def description(self, built: Built, body: str) -> str:
        m = self.mat
        seen = norm(f"{built.headline} {body}")
        for snip in (*m.hero, *m.values, *m.features, *m.proof):
            text = bare(snip.text)
            if (
                len(text) <= self.lim.description
                and norm(text) not in seen
                and norm(built.headline) not in norm(text)
                and similarity(text, built.headline) < 0.5
            ):
                return text
        return m.name if len(m.name) <= self.lim.description else ""


def _says(text: str, words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def _echoes(draft: Draft, taken: list[tuple[str, str, str]], everywhere: set[str]) -> bool:
    """One variant's headline is another's body ("Free forever for up to 3 projects" twice in a run); the
    brand's name alone as a headline is said everywhere, and so is a product page's product."""
    head, body = norm(draft.headline), norm(draft.body)
    head = "" if head in everywhere else head
    for id_, h, b in taken:
        if id_ == "previous" or norm(h) in everywhere:
            continue
        if (norm(h) and norm(h) in body) or (head and head in norm(b)):
            return True
    return False


def _matches(built: Built, wish: Wish, lead: bool = False) -> bool:
    """Whether a candidate says every term the feedback names; `lead`: one of them in its headline too."""
    copy = norm(f"{built.headline} {' '.join(built.body)}")
    said = all(norm(t).lstrip("$€£") in copy for t in wish.terms)
    return said and (not lead or any(norm(t).lstrip("$€£") in norm(built.headline) for t in wish.terms))


class OfflineProvider(CopyProvider):
    name = "offline"
    model = "brandtruth-offline-2"

    async def write(self, req: CopyRequest) -> ProviderResult:
        writer = Writer(req, material(req.brand))
        taken = [(f"avoid{i}", h, b) for i, (h, b) in enumerate(zip(req.avoid_headlines, req.avoid_bodies, strict=False))]
        leads: set[str] = set()
        drafts: list[Draft] = []
        for i, slot in enumerate(req.slots):
            draft = self._draft(writer, slot, i, taken, leads, req.feedback)
            if draft is not None:
                drafts.append(draft)
                taken.append((draft.id, draft.headline, draft.body))
        return ProviderResult(drafts=drafts, usage=Usage(provider=self.name, model=self.model))

    @staticmethod
    def _draft(
        writer: Writer, slot: Slot, index: int, taken: list[tuple[str, str, str]], leads: set[str], feedback: str
    ) -> Draft | None:
        wish = read(feedback, writer.req.brand) if slot.previous and feedback else None
        if slot.previous:
            taken = [*taken, ("previous", slot.previous.headline, slot.previous.body)]
        number = int(re.sub(r"\D", "", slot.id) or index + 1) - 1
        # Retries skip the candidates an earlier attempt was refused for.
        skip = writer.req.attempt - 1
        plan = writer.plan(number, wish)
        if wish is None:  # an angle no variant has taken yet comes before a second of the same
            # ... and the brand's own ad before a third of one angle (five ways to sell, not four proofs and a name).
            plan.sort(key=lambda a: (writer.angles_taken[a] >= MAX_SAME_ANGLE_FIRST, a == "brand", a in writer.angles_taken))
        # First with sentences no other variant carries; then sharing one, if that is all there is. Material
        # the feedback names comes first; when other variants already hold all of it, the angle and tone
        # asked for still apply (generate's note then says what could not be followed).
        named = ["mention", ""] if wish and wish.terms else [""]
        if wish and wish.terms and re.search(r"\blead", wish.text, re.I):
            named.insert(0, "lead")  # "Lead with the free trial": an ad headed by it before one that names it
        others = {k for id_, h, b in taken if id_ != "previous" for k in writer.material_in(f"{h} {b}")}
        # An angle the feedback asks for (or its tone implies: urgent -> offer, product) beats fresh
        # material: it is tried with shared material before any angle nobody asked for.
        wished = writer.wished_angles(wish) if wish else []
        order = [(m, a, r) for m in named for a in wished for r in (False, True)]
        # An angle no variant has taken yet, even with material another variant shares, before a second
        # (or third) of one taken: five variants are five ways to sell, not three prices and two others.
        fresh = [a for a in plan if a not in wished and a not in writer.angles_taken and a != "brand"]
        again = [a for a in plan if a not in wished and a not in fresh]
        order += [(m, a, r) for m in named for group in (fresh, again) for r in (False, True) for a in group]
        for must, angle, reuse in order:
            for built in writer.candidates(angle):
                if built.lead in leads or (must and wish is not None and not _matches(built, wish, must == "lead")):
                    continue
                draft = writer.draft(slot, built, wish.tones if wish else [], reuse, named=bool(must))
                if draft is None or too_similar(draft.headline, draft.body, taken, writer.mat.name):
                    continue
                # A product or quote another variant of the run carries, only once nothing else is left.
                if not (must or reuse) and (
                    writer.material_in(f"{draft.headline} {draft.body}") & others or _echoes(draft, taken, writer.everywhere)
                ):
                    continue
                if skip:
                    skip -= 1
                    continue
                leads.add(built.lead)
                writer.angles_taken[built.angle] += 1
                writer.used.update(s for s in built.body if s in draft.body)
                writer.listed = writer.listed or bool(built.listing and built.listing in draft.body)
                return draft
        return None
