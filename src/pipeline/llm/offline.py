"""The offline copywriter: deterministic per run, grounded by construction, no network.

Every sentence it writes is either the site's own wording (value propositions, features, facts,
testimonials) or connective phrasing that asserts nothing checkable ("See how it works."). Each
angle leads with different material, so variants differ in substance, not just in word order.
Headlines are chosen to fit the platform's limit rather than cut to it.
"""

from __future__ import annotations

import random
import re

from ..generate.distinct import too_similar
from ..models import Usage
from .base import ANGLES, CopyProvider, CopyRequest, Draft, DraftClaim, PlatformLimits, ProviderResult, Slot
from .material import Material, Snippet, bare, gather, headline_forms, lower_first, sentence

_VERBS = set(
    "get save make build grow send track find keep cut stop start plan book enjoy feel take turn bring create manage "
    "run sell ship learn discover meet protect organize organise simplify automate hire write design cook eat sleep "
    "travel explore shop love own spend work launch join reach connect power transform streamline boost see".split()
)
# Words that make a phrase a clause ("every dollar goes further"), so it reads as "What if …?".
_FINITE = set(
    "is are was were can will goes gets makes keeps helps works takes lets gives runs turns brings saves pays stays "
    "lasts comes does feels looks stays".split()
)
_CLOSERS = {
    "benefit": ("See how it works.", "See what it can do for you.", "Take a closer look."),
    "social_proof": ("See why.", "Find out why.", "See what the fuss is about."),
    "feature": ("Everything you need, in one place.", "Explore what's inside.", "Take the tour."),
    "offer": ("Don't miss it.", "Take a look.", "See the details."),
    "question": ("Here's how.", "We can help.", "Let us show you."),
    "testimonial": ("Read more stories.", "Hear it from our customers.", "See what people are saying."),
    "story": ("Get to know us.", "Discover our story.", "Come and say hello."),
}
_FEEDBACK_ANGLES = (
    (r"question", "question"), (r"proof|social|trust|review|number|stat", "social_proof"),
    (r"offer|price|deal|discount|trial|promo", "offer"), (r"feature|detail|spec", "feature"),
    (r"quote|testimonial|customer voice", "testimonial"), (r"benefit|outcome|value", "benefit"),
    (r"story|about|mission|brand", "story"),
)

Built = tuple[str, list[str], str, list[Snippet]]  # headline, body sentences by priority, cta, cited material


class Writer:
    """Builds one draft for one angle; `k` picks the k-th piece of material, so repeats still differ."""

    def __init__(self, mat: Material, rng: random.Random, primary_cta: str, lim: PlatformLimits):
        self.mat, self.rng, self.primary_cta, self.lim = mat, rng, primary_cta, lim

    def headline(self, snip: Snippet, count: bool = False) -> str | None:
        return next((f for f in headline_forms(snip.text, count) if len(f) <= self.lim.headline), None)

    def pick(self, items: list[Snippet], k: int) -> Snippet | None:
        """The k-th item (cyclically) that can be headlined within the limit, if any can."""
        fitting = [s for s in items if self.headline(s)]
        return fitting[k % len(fitting)] if fitting else None

    def lead_body(self, lead: Snippet, headline: str) -> list[str]:
        """The whole sentence in the body when the headline only carries part of it."""
        return [sentence(lead.text)] if headline != bare(lead.text) else []

    def pool(self) -> list[Snippet]:
        extra = [s for s in (self.mat.tagline, self.mat.description) if s]
        return self.mat.value_props + self.mat.headings + self.mat.features + extra

    def support(self, lead: Snippet | None, k: int, n: int = 2) -> list[Snippet]:
        pool = [s for s in self.pool() if lead is None or s.text != lead.text]
        start = (k * 2 + 1) % len(pool) if pool else 0
        return [pool[(start + i) % len(pool)] for i in range(min(n, len(pool)))]

    def closer(self, angle: str) -> str:
        return self.rng.choice(_CLOSERS[angle])

    def benefit(self, k: int) -> Built | None:
        lead = self.pick(self.mat.value_props or self.pool(), k)
        if lead is None:
            return None
        rest = self.support(lead, k)
        proof = self.mat.proof[k % len(self.mat.proof)] if self.mat.proof else None
        head = self.headline(lead) or ""
        body = [*self.lead_body(lead, head), sentence(rest[0].text) if rest else "", sentence(proof.text) if proof else "",
                self.closer("benefit")]
        return head, body, self.primary_cta, [lead, *rest[:1], *([proof] if proof else [])]

    def social_proof(self, k: int) -> Built | None:
        fitting = [p for p in self.mat.proof if self.headline(p, count=True)]
        lead = fitting[k % len(fitting)] if fitting else None
        if lead is None:
            return None
        others = [p for p in self.mat.proof if p.text != lead.text][:1]
        quote = self.mat.quotes[k % len(self.mat.quotes)] if self.mat.quotes else None
        quoted = [self.quote(*quote)] if quote else []
        head = self.headline(lead, count=True) or ""
        body = [*self.lead_body(lead, head), *(sentence(p.text) for p in others), *quoted, self.closer("social_proof")]
        return head, body, self.primary_cta, [lead, *others, *([quote[0]] if quote else [])]

    def quote(self, snip: Snippet, author: str) -> str:
        """A verbatim quote: whole if it fits the body, else its first sentence."""
        text = bare(snip.text)
        if len(text) + len(author) + 6 > self.lim.body:
            text = re.split(r"(?<=[.!?])\s+", text)[0].rstrip(".!?")
        return f"“{text}.”" + (f" — {author.rstrip('.')}." if author else "")

    def feature(self, k: int) -> Built | None:
        feats = self.mat.features or self.mat.headings
        lead = self.pick(feats, k)
        if lead is None:
            return None
        others = [f for f in feats if f.text != lead.text]
        others = others[k % len(others):] + others[: k % len(others)] if others else []
        short = [bare(f.text) for f in others if len(f.text) <= 40][:3]
        if len(short) >= 2:
            listed = [short[0], *(lower_first(s, self.mat.name) for s in short[1:])]
            body = [f"{', '.join(listed[:-1])} and {listed[-1]}.", self.closer("feature")]
        else:
            body = [*(sentence(f.text) for f in others[:2]), self.closer("feature")]
        headline = self.headline(lead) or ""
        body = [*self.lead_body(lead, headline), *body]
        if len(headline) < 16 and len(f"{self.mat.name}: {headline}") <= self.lim.headline:
            headline = f"{self.mat.name}: {headline}"
        return headline, body, "Learn More", [lead, *others[:3]]

    def offer(self, k: int) -> Built | None:
        lead = self.pick(self.mat.offers, k)
        if lead is None:
            return None
        rest = self.support(None, k, 1)
        cta = self.primary_cta if self.primary_cta != "Learn More" else "Get Started"
        others = [o for o in self.mat.offers if o.text != lead.text][:1]
        head = self.headline(lead) or ""
        body = [*self.lead_body(lead, head), *(sentence(o.text) for o in others), *(sentence(s.text) for s in rest),
                self.closer("offer")]
        return head, body, cta, [lead, *others, *rest]

    def question(self, k: int) -> Built | None:
        asks: list[tuple[str, Snippet]] = []
        for s in self.mat.value_props + self.mat.headings:
            if re.match(r"(we|our|i|us|you|your)\b", s.text, re.I):
                continue
            phrase = lower_first(bare(s.text), self.mat.name)
            words = phrase.lower().split()
            if words[0] in _VERBS:
                asks.append((f"Ready to {phrase}?", s))
            elif any(w in _FINITE for w in words[1:]):
                asks.append((f"What if {phrase}?", s))
            elif not re.search(r"\d", phrase) and not re.match(r"\w+(ed|ing)\b", phrase):
                asks.append((f"Looking for {phrase}?", s))
        asks += [(f"Need {lower_first(bare(f.text), self.mat.name)}?", f) for f in self.mat.features
                 if not re.search(r"\d", f.text) and not any(w in _FINITE for w in f.text.lower().split())]
        asks = [a for a in asks if len(a[0]) <= self.lim.headline]
        if not asks:
            return None
        headline, lead = asks[k % len(asks)]
        rest = self.support(lead, k + 1, 1)
        desc = self.mat.description
        intro = "" if desc and desc.text.lower().startswith(self.mat.name.lower()) else f"Meet {self.mat.name.rstrip('.')}."
        body = [intro, sentence(desc.text) if desc else "", *(sentence(s.text) for s in rest),
                self.closer("question")]
        return headline, body, self.primary_cta, [lead, *([desc] if desc else []), *rest]

    def testimonial(self, k: int) -> Built | None:
        fitting = [q for q in self.mat.quotes if len(self.first_sentence(q[0])) + 2 <= self.lim.headline]
        if not fitting:
            return None
        quote, author = fitting[k % len(fitting)]
        rest = self.support(None, k, 1)
        body = [self.quote(quote, author), *(sentence(s.text) for s in rest), self.closer("testimonial")]
        return f"“{self.first_sentence(quote)}”", body, "Learn More", [quote, *rest]

    @staticmethod
    def first_sentence(snip: Snippet) -> str:
        return re.split(r"(?<=[.!?])\s+", bare(snip.text))[0].rstrip(".!?")

    def story(self, k: int) -> Built | None:
        lead = self.pick([s for s in (self.mat.tagline, *self.mat.headings) if s], k)
        if lead is None:
            return None
        body_src = [s for s in (self.mat.description, *self.support(lead, k + 2)) if s and s.text != lead.text][:2]
        head = self.headline(lead) or ""
        body = [*self.lead_body(lead, head), *(sentence(s.text) for s in body_src), self.closer("story")]
        return head, body, "Learn More", [lead, *body_src]


def _angle_order(mat: Material, feedback: str, lim: PlatformLimits) -> tuple[list[str], list[str]]:
    """Angles this brand has material for, and those of them a reviewer's feedback asks for."""
    probe = Writer(mat, random.Random(0), "Learn More", lim)
    available = [a for a in ANGLES if getattr(probe, a)(0) is not None]
    wanted = [angle for pattern, angle in _FEEDBACK_ANGLES if re.search(pattern, feedback, re.I) and angle in available]
    return available, wanted


def _plan(order: list[str], wanted: list[str], number: int, shift: int, rounds: int = 4) -> list[tuple[str, int]]:
    """(angle, material index) pairs to try: requested angles first, then v1, v2… rotate through angles."""
    n = len(order)
    first = [(a, shift + r) for a in wanted for r in range(4)]
    rotated = order[number % n:] + order[: number % n]
    return first + [(a, number // n + shift + r) for r in range(rounds) for a in rotated]


def pack(sentences: list[str], limit: int) -> str:
    """Sentences in priority order, each kept only if the whole still fits (order preserved)."""
    out: list[str] = []
    for s in dict.fromkeys(x for x in sentences if x):
        if len(" ".join([*out, s])) <= limit:
            out.append(s)
    return " ".join(out)


class OfflineProvider(CopyProvider):
    name = "offline"
    model = "brandtruth-offline-1"

    async def write(self, req: CopyRequest) -> ProviderResult:
        from ..generate.platforms import normalize_cta  # generate imports this module

        mat = gather(req.brand)
        cta = normalize_cta(mat.ctas[0]) if mat.ctas else "Learn More"
        taken = [(f"avoid{i}", h, b) for i, (h, b) in enumerate(zip(req.avoid_headlines, req.avoid_bodies, strict=False))]
        taken += [(f"avoid-h{i}", h, "") for i, h in enumerate(req.avoid_headlines[len(req.avoid_bodies):])]
        drafts: list[Draft] = []
        for i, slot in enumerate(req.slots):
            draft = self._draft(req, mat, cta, slot, i, taken)
            if draft is not None:
                drafts.append(draft)
                taken.append((draft.id, draft.headline, draft.body))
        return ProviderResult(drafts=drafts, usage=Usage(provider=self.name, model=self.model))

    def _draft(self, req: CopyRequest, mat: Material, cta: str, slot: Slot, index: int,
               taken: list[tuple[str, str, str]]) -> Draft | None:
        rng = random.Random(f"{req.run_id}:{slot.id}:{slot.revision}:{req.attempt}")
        writer = Writer(mat, rng, cta, req.limits)
        order, wanted = _angle_order(mat, req.feedback if slot.previous else "", req.limits)
        if not order:
            return None
        if slot.previous:
            taken = [*taken, ("previous", slot.previous.headline, slot.previous.body)]
        number = int(re.sub(r"\D", "", slot.id) or index + 1) - 1
        # Retries and revisions move on to the next piece of material for the same angle.
        shift = req.attempt - 1 + slot.revision - 1
        for angle, k in _plan(order, wanted, number, shift, rounds=8):
            built = getattr(writer, angle)(k)
            if built is None:
                continue
            draft = self._assemble(slot.id, angle, built, mat, req.limits)
            if not too_similar(draft.headline, draft.body, taken):
                return draft
        return None

    @staticmethod
    def _assemble(vid: str, angle: str, built: Built, mat: Material, lim: PlatformLimits) -> Draft:
        headline, body, cta, cites = built
        text = pack(body, lim.body) or pack([sentence(s.text) for s in cites[1:]], lim.body)
        candidates = [s for s in (mat.tagline, *mat.value_props, *mat.features) if s]
        description = next((bare(s.text) for s in candidates if len(bare(s.text)) <= lim.description
                            and bare(s.text).lower() not in (headline.lower().strip("“”?"), text.lower())), mat.name)
        used = [s for s in cites if s and (s.text in text or bare(s.text) in headline or bare(s.text) == description)]
        claims = [DraftClaim(text=bare(s.text), fact_ids=list(s.fact_ids)) for s in used if s.fact_ids]
        return Draft(id=vid, angle=angle, headline=headline, body=text, description=description, cta=cta, claims=claims)
