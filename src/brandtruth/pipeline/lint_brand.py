"""The brand side of the copy lint: the site's words, names, headings and buttons, built once per profile.

pipeline/lint.py checks copy against this context; building it is the costly part (every fact, heading
and quote is read), so it is cached per profile and each variant's check stays well under a millisecond.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from .lint_words import CAMEL_NAMES, FUNCTION_WORDS, STOCK
from .models import BrandProfile

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# After a stop and its closing quotes or brackets, which stay with the sentence ('“... dread.” — Greg').
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”»)\]])|(?<=[.!?…][\"'”»)\]]{2}))\s+")
TERMINAL = re.compile(r"[.!?][\"'”»)\]]*$")
ATTRIBUTION = re.compile(r"[”“\"»][.!?]?\s*[—–-]\s*\S")
_TITLE_END = re.compile(r"(?:^|[\s“\"«(‘'])(?:Dr|Mr|Mrs|Ms|Mme|St|Mt|Prof|Sr|Sra|Jr|Nr|Str)\.$")
_ABBREV_END = re.compile(r"(?:^|[\s“\"«(‘'])(?:Co|Inc|Ltd|Corp|Bros|LLC|etc|approx|vs|[A-Z])\.$")
CAMEL = re.compile(r"(?<![^\W\d_])(?=[^\W\d_]*?[a-z]{2}[A-Z][a-z]{2})[^\W\d_]++")
ALL_FUNCTION = frozenset().union(*FUNCTION_WORDS.values())

_ALNUM = re.compile(r"[^\W_]+")


def norm(text: str) -> str:
    return " ".join(_ALNUM.findall(text.lower()))


# Words a Title Case name keeps in lower case between its capitals ("Pie of the Day", "Fruits de la Mer").
TITLE_SMALL_WORDS = frozenset("of the and a an for in on at to de la le du des der die das von y el del".split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Sentences, not split after a title ("Dr. Sam") or a company suffix that goes on ("Crumb & Co. began")."""
    out: list[str] = []
    for part in (p.strip() for p in _SENTENCE_END.split(text.strip())):
        if not part:
            continue
        ranked = bool(out) and out[-1].endswith(("No.", "no.", "Nr.", "N°.")) and part[:1].isdigit()  # "the No. 1 plumber"
        if out and (ranked or _TITLE_END.search(out[-1]) or (_ABBREV_END.search(out[-1]) and part[0].islower())):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def _stem(word: str) -> str:
    return word[:5] if len(word) >= 6 else word.rstrip("s")


@dataclass(frozen=True)
class BrandContext:
    language: str
    name_words: frozenset[str]
    name_words_cased: frozenset[str]
    site_vocab: frozenset[str]
    content_stems: frozenset[str]
    material_stems: frozenset[str]
    plain_headings: frozenset[str]
    proper: dict[str, str]
    title_pairs: frozenset[tuple[str, str]]
    camel_ok: frozenset[str]
    site_ctas: tuple[str, ...]
    site_cta_norms: frozenset[str]
    titled: tuple[str, ...]


_CACHE: OrderedDict[tuple[object, ...], BrandContext] = OrderedDict()


def brand_context(brand: BrandProfile) -> BrandContext:
    key = (
        id(brand),
        brand.url,
        brand.name,
        brand.language,
        len(brand.facts),
        len(brand.headings),
        len(brand.testimonials),
        len(brand.value_props),
        len(brand.offers),
    )
    ctx = _CACHE.get(key)
    if ctx is None:
        ctx = _CACHE[key] = _build(brand)
        if len(_CACHE) > 64:
            _CACHE.popitem(last=False)
    return ctx


def content_stems(words: list[str]) -> set[str]:
    return {_stem(w.lower()) for w in words if len(w) >= 3 and w.lower() not in ALL_FUNCTION and w.lower() not in STOCK}


def _build(brand: BrandProfile) -> BrandContext:
    prose = [
        brand.description,
        brand.tagline,
        *brand.value_props,
        *brand.features,
        *brand.offers,
        *(f.evidence for f in brand.facts),
        *(f.text for f in brand.facts),
        *(t.quote for t in brand.testimonials),
    ]
    material = [
        *prose,
        brand.name,
        *(f.subject for f in brand.facts),
        *(f.value for f in brand.facts),
        *(t.author for t in brand.testimonials),
        *(t.place for t in brand.testimonials),
    ]
    everything = [*material, brand.title, *brand.headings, *brand.ctas, brand.primary_cta]
    material_stems = set().union(*(content_stems(words(t)) for t in material)) if material else set()
    heading_stems = set().union(*(content_stems(words(t)) for t in brand.headings)) if brand.headings else set()
    material_norms = {norm(t) for t in material if t}
    # A heading is plain (a label, not material) when nothing in it but the brand's name is site material.
    name_stems = content_stems(words(brand.name))
    plain_headings = {
        norm(h)
        for h in brand.headings
        if norm(h) not in material_norms
        and not re.search(r"\d", h)
        and not ((content_stems(words(h)) - name_stems) & material_stems)
    }
    # A word is a proper noun when the site's prose capitalises it mid-sentence and never lowercases it.
    # Only a word standing alone counts ("in Huila, Colombia"): a run of capitals ("New Patient
    # Special", "Licensed & Insured") is a title-cased label whose words are common nouns.
    capital: set[str] = set()
    lower: set[str] = set()
    for text in prose + [t.author for t in brand.testimonials] + [t.place for t in brand.testimonials]:
        for sentence in sentences(text):
            # Bullets, dashes and quote marks before the first word do not make it mid-sentence.
            tokens = [t for t in sentence.split() if words(t) or any(c.isdigit() for c in t)]
            for i, token in enumerate(tokens):
                word = words(token)
                if not word:
                    continue
                lower.update(w for w in word[1:] if w[:1].islower())  # "All-day": the site writes "day" in lower case
                if word[0].islower():
                    lower.add(word[0])
                    continue
                # A run of capitals, past the small words a title keeps lower case: "Pie of the Day", "Best of Show".
                back = i - 1
                while back > 0 and tokens[back].lower() in TITLE_SMALL_WORDS:
                    back -= 1
                before = tokens[back] if i > 0 else ""
                after = tokens[i + 1] if i + 1 < len(tokens) else ""
                in_run = (before[:1].isupper() and before[-1:].isalnum()) or before == "&"
                in_run = in_run or (after[:1].isupper() and token[-1:].isalnum()) or after == "&"
                if i > 0 and not in_run and word[0][1:].islower() and len(word[0]) > 2 and before[-1:] not in ".!?:":
                    capital.add(word[0])
    name_words = {w.lower() for w in words(brand.name)} if len(words(brand.name)) > 1 else set()
    proper = {
        w.lower(): w
        for w in capital
        if not {w.lower(), w.lower() + "s", w.lower().rstrip("s")} & lower
        and w.lower() not in ALL_FUNCTION
        and w.lower() not in name_words
    }
    pairs: set[tuple[str, str]] = set()
    written_lower: set[tuple[str, str]] = set()
    for text in everything:
        for a, b in re.findall(r"\b([A-ZÀ-Þ][a-zà-ÿ'’-]+) ([A-ZÀ-Þ][\w'’-]*)", text or ""):
            pairs.add((a.lower(), b))
        written_lower.update(re.findall(r"\b([a-zà-ÿ][a-zà-ÿ'’-]+) ([A-ZÀ-Þ][\w'’-]*)", text or ""))
    # A pair the site also writes lower-case first is a sentence's opening, not a title: "Familiengeführtes
    # Landhaus mit 14 Zimmern" beside "Unser familiengeführtes Landhaus liegt ...".
    pairs -= written_lower
    # Title-cased names the site writes as one (headings, features, buttons): "Weekend Backpacks".
    titled = {
        t.strip(" .!?:")
        for t in [*brand.headings, *brand.features, *brand.ctas, *(f.subject for f in brand.facts)]
        if 2 <= len(t.split()) <= 5
        and sum(w[:1].isupper() for w in t.split()) >= 2
        and all(w[:1].isupper() for w in t.split() if len(w) >= 4)
    }
    glued_evidence = [f.evidence for f in brand.facts]
    # Names as the site writes them: its own, its headings and buttons, and what its facts are about ("Curly Cut
    # (DevaCut)", a product's trademark), when that is a name of several words: a subject that is one glued run
    # ("CountrySourdough") is spans run together.
    named = [brand.name, *brand.headings, *brand.ctas, *(f.subject for f in brand.facts if len(f.subject.split()) >= 2)]
    camel_ok = {m.lower() for t in named for m in CAMEL.findall(t or "")}
    camel_ok |= {m.lower() for m in CAMEL.findall(" ".join(glued_evidence)) if sum(m in e for e in glued_evidence) >= 2}
    return BrandContext(
        language=(brand.language or "en").split("-")[0].lower(),
        name_words=frozenset(w.lower() for w in words(brand.name)),
        name_words_cased=frozenset(words(brand.name)),
        # Words a foreign-language check forgives: names, products, authors and places as the site
        # writes them ("The Barn Café", "Click & Collect"), not the whole site, which may carry a
        # section in another language.
        site_vocab=frozenset(
            w.lower()
            for t in [
                brand.name,
                *brand.features,
                *titled,
                *(f.subject for f in brand.facts),
                *(x for q in brand.testimonials for x in (q.author, q.place)),
            ]
            for w in words(t or "")
        ),
        content_stems=frozenset(material_stems | heading_stems | {_stem(w.lower()) for w in words(brand.name)}),
        material_stems=frozenset(material_stems),
        plain_headings=frozenset(plain_headings),
        proper=proper,
        title_pairs=frozenset(pairs),
        camel_ok=frozenset(camel_ok | CAMEL_NAMES),
        site_ctas=tuple(sorted({c.strip() for c in [*brand.ctas, brand.primary_cta] if len(c.split()) >= 2})),
        titled=tuple(sorted(titled)),
        site_cta_norms=frozenset(norm(c) for c in [*brand.ctas, brand.primary_cta] if c.strip()),
    )
