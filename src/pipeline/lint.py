"""The copy lint: named faults a marketer would not run, each with the offending text.

One module used by every provider (to refuse and regenerate), the scorer (a fault is never
recommended over a clean variant) and the reviewer page (faults shown beside the variant).
Pure and fast: the brand-derived vocabulary is built once per profile and cached.

Codes: ui_label, heading_as_copy, legal_text, glued_tokens, separator_strip, headline_repeats_body,
wrong_language, mixed_language, names_nothing, broken_casing, unfinished_sentence, placeholder.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from .lint_words import (
    CAMEL_NAMES,
    DANGLING,
    FUNCTION_WORDS,
    GENERIC_HEADINGS,
    LEGAL,
    PLACEHOLDERS,
    STOCK,
    SUPPORTED_LANGUAGES,
    UI_PHRASES,
    UI_WORDS,
)
from .models import BrandProfile, CopyVariant, LintFault

__all__ = ["LANGUAGE_NAMES", "lint_copy", "lint_variant"]

LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+")
_TERMINAL = re.compile(r"[.!?][\"'”»)\]]*$")
_ATTRIBUTION = re.compile(r"[”“\"»][.!?]?\s*[—–-]\s*\S")
_ALL_FUNCTION = frozenset().union(*FUNCTION_WORDS.values())
_TITLE_END = re.compile(r"(?:^|[\s“\"«(‘'])(?:Dr|Mr|Mrs|Ms|Mme|St|Mt|Prof|Sr|Sra|Jr|Nr|Str)\.$")
_ABBREV_END = re.compile(r"(?:^|[\s“\"«(‘'])(?:Co|Inc|Ltd|Corp|Bros|LLC|etc|approx|vs|[A-Z])\.$")
_BULLET = re.compile(r"[✓✔✗☑→➜►▶]")


# One scan for the three phrase lists (a named group says which matched): three scans cost 3x.
_PHRASES = re.compile(
    r"(?<![\w])(?:(?P<ui>"
    + "|".join(re.escape(p) for p in UI_PHRASES)
    + r")|(?P<legal>"
    + "|".join(LEGAL)
    + r")|(?P<placeholder>"
    + "|".join(PLACEHOLDERS)
    + r"))(?![\w])",
    re.IGNORECASE,
)
_PHRASE_MESSAGES = {
    "ui": ("ui_label", "is a button or interface label, not ad copy"),
    "legal": ("legal_text", "is legal, privacy or cookie text"),
    "placeholder": ("placeholder", "is a placeholder or internal item"),
}
_GENERIC_HEADING = re.compile(r"(?:" + "|".join(GENERIC_HEADINGS) + r")", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s[|•·¦‖]\s|^\s*[|•·]|[|•·]\s*$")
_CURRENCY_GLUE = re.compile(r"(?<![^\W\d_])([^\W\d_]++)([$€£¥]\d[\d.,]*)")
_DIGIT_GLUE = re.compile(r"\d[%]?[A-Z][a-z]+")
_DOT_GLUE = re.compile(r"(?<![^\W\d_])[^\W\d_]{2,}+[.!?,;:][A-Z][a-z]+")
_CAMEL = re.compile(r"(?<![^\W\d_])(?=[^\W\d_]*?[a-z]{2}[A-Z][a-z]{2})[^\W\d_]++")
_PAIR = re.compile(r"(?<![\w.@/])([a-zà-ÿ][\w'’-]*) ([A-ZÀ-Þ][\w'’-]*)")


_ALNUM = re.compile(r"[^\W_]+")


def _norm(text: str) -> str:
    return " ".join(_ALNUM.findall(text.lower()))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _sentences(text: str) -> list[str]:
    """Sentences, not split after a title ("Dr. Sam") or a company suffix that goes on ("Crumb & Co. began")."""
    out: list[str] = []
    for part in (p.strip() for p in _SENTENCE_END.split(text.strip())):
        if not part:
            continue
        if out and (_TITLE_END.search(out[-1]) or (_ABBREV_END.search(out[-1]) and part[0].islower())):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def _stem(word: str) -> str:
    return word[:5] if len(word) >= 6 else word.rstrip("s")


@dataclass(frozen=True)
class _Context:
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


_CACHE: OrderedDict[tuple[object, ...], _Context] = OrderedDict()


def _context(brand: BrandProfile) -> _Context:
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


def _content(words: list[str]) -> set[str]:
    return {_stem(w.lower()) for w in words if len(w) >= 3 and w.lower() not in _ALL_FUNCTION and w.lower() not in STOCK}


def _build(brand: BrandProfile) -> _Context:
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
    material_stems = set().union(*(_content(_words(t)) for t in material)) if material else set()
    heading_stems = set().union(*(_content(_words(t)) for t in brand.headings)) if brand.headings else set()
    material_norms = {_norm(t) for t in material if t}
    # A heading is plain (a label, not material) when nothing in it but the brand's name is site material.
    name_stems = _content(_words(brand.name))
    plain_headings = {
        _norm(h)
        for h in brand.headings
        if _norm(h) not in material_norms
        and not re.search(r"\d", h)
        and not ((_content(_words(h)) - name_stems) & material_stems)
    }
    # A word is a proper noun when the site's prose capitalises it mid-sentence and never lowercases it.
    # Only a word standing alone counts ("in Huila, Colombia"): a run of capitals ("New Patient
    # Special", "Licensed & Insured") is a title-cased label whose words are common nouns.
    capital: set[str] = set()
    lower: set[str] = set()
    for text in prose + [t.author for t in brand.testimonials] + [t.place for t in brand.testimonials]:
        for sentence in _sentences(text):
            # Bullets, dashes and quote marks before the first word do not make it mid-sentence.
            tokens = [t for t in sentence.split() if _words(t) or any(c.isdigit() for c in t)]
            for i, token in enumerate(tokens):
                word = _words(token)
                if not word:
                    continue
                if word[0].islower():
                    lower.add(word[0])
                    continue
                before = tokens[i - 1] if i > 0 else ""
                after = tokens[i + 1] if i + 1 < len(tokens) else ""
                in_run = (before[:1].isupper() and before[-1:].isalnum()) or before == "&"
                in_run = in_run or (after[:1].isupper() and token[-1:].isalnum()) or after == "&"
                if i > 0 and not in_run and word[0][1:].islower() and len(word[0]) > 2 and before[-1:] not in ".!?:":
                    capital.add(word[0])
    name_words = {w.lower() for w in _words(brand.name)} if len(_words(brand.name)) > 1 else set()
    proper = {
        w.lower(): w
        for w in capital
        if not {w.lower(), w.lower() + "s", w.lower().rstrip("s")} & lower
        and w.lower() not in _ALL_FUNCTION
        and w.lower() not in name_words
    }
    pairs: set[tuple[str, str]] = set()
    for text in everything:
        for a, b in re.findall(r"\b([A-ZÀ-Þ][a-zà-ÿ'’-]+) ([A-ZÀ-Þ][\w'’-]*)", text or ""):
            pairs.add((a.lower(), b))
    # Title-cased names the site writes as one (headings, features, buttons): "Weekend Backpacks".
    titled = {
        t.strip(" .!?:")
        for t in [*brand.headings, *brand.features, *brand.ctas, *(f.subject for f in brand.facts)]
        if 2 <= len(t.split()) <= 5
        and sum(w[:1].isupper() for w in t.split()) >= 2
        and all(w[:1].isupper() for w in t.split() if len(w) >= 4)
    }
    glued_evidence = [f.evidence for f in brand.facts]
    camel_ok = {m.lower() for t in [brand.name, *brand.headings, *brand.ctas] for m in _CAMEL.findall(t or "")}
    camel_ok |= {m.lower() for m in _CAMEL.findall(" ".join(glued_evidence)) if sum(m in e for e in glued_evidence) >= 2}
    return _Context(
        language=(brand.language or "en").split("-")[0].lower(),
        name_words=frozenset(w.lower() for w in _words(brand.name)),
        name_words_cased=frozenset(_words(brand.name)),
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
            for w in _words(t or "")
        ),
        content_stems=frozenset(material_stems | heading_stems | {_stem(w.lower()) for w in _words(brand.name)}),
        material_stems=frozenset(material_stems),
        plain_headings=frozenset(plain_headings),
        proper=proper,
        title_pairs=frozenset(pairs),
        camel_ok=frozenset(camel_ok | CAMEL_NAMES),
        site_ctas=tuple(sorted({c.strip() for c in [*brand.ctas, brand.primary_cta] if len(c.split()) >= 2})),
        titled=tuple(sorted(titled)),
        site_cta_norms=frozenset(_norm(c) for c in [*brand.ctas, brand.primary_cta] if c.strip()),
    )


def _fault(code: str, message: str, text: str, field: str) -> LintFault:
    return LintFault(code=code, message=message, text=text, field=field)


def _surface(field: str, text: str, ctx: _Context) -> list[LintFault]:
    """Faults visible in the characters: UI strings, legal text, placeholders, glue, separator strips."""
    out: list[LintFault] = []
    for m in _PHRASES.finditer(text.strip()):
        code, what = _PHRASE_MESSAGES[m.lastgroup or "ui"]
        out.append(_fault(code, f"'{m.group(0)}' {what}", m.group(0), field))
    whole = _norm(text)
    if whole in UI_WORDS or any(_norm(s) in UI_WORDS for s in _sentences(text) if field != "cta"):
        out.append(_fault("ui_label", f"'{text.strip()}' is an interface word, not ad copy", text.strip(), field))
    for m in _CURRENCY_GLUE.finditer(text):
        if not (m.group(1).isupper() and len(m.group(1)) <= 3):
            out.append(_fault("glued_tokens", f"'{m.group(0)}': a word glued to a price", m.group(0), field))
    for pattern, what in ((_DIGIT_GLUE, "a number glued to a word"), (_DOT_GLUE, "two sentences glued together")):
        for m in pattern.finditer(text):
            if m.group(0).lower() not in ctx.camel_ok:
                out.append(_fault("glued_tokens", f"'{m.group(0)}': {what}", m.group(0), field))
    for m in _CAMEL.finditer(text):
        if m.group(0).lower() not in ctx.camel_ok and m.group(0).lower() not in ctx.name_words:
            out.append(_fault("glued_tokens", f"'{m.group(0)}': two words glued together", m.group(0), field))
    if _SEPARATOR.search(text) or _BULLET.search(text):
        out.append(
            _fault(
                "separator_strip",
                f"'{text.strip()}' is a strip of items joined by separators or bullets, not a sentence",
                text.strip(),
                field,
            )
        )
    if field != "cta":
        for sentence in _sentences(text):
            if _norm(sentence) in ctx.site_cta_norms:
                out.append(_fault("ui_label", f"'{sentence}' is one of the site's buttons, not ad copy", sentence, field))
        for label in ctx.site_ctas:
            # The site's own button text inside copy, as the button writes it: "$22 drop-in Book a class".
            at = text.find(label)
            if at > 0 and not re.search(r"[.!?:]\s*$", text[:at]):
                out.append(_fault("ui_label", f"'{label}' is the site's button text, not ad copy", label, field))
    return out


def _structure(field: str, text: str, ctx: _Context) -> list[LintFault]:
    """Headings as copy, unfinished sentences, sentences naming nothing, broken casing."""
    out: list[LintFault] = []
    sentences = _sentences(text)
    for sentence in [text.strip(), *sentences] if len(sentences) > 1 else [text.strip()]:
        core = sentence.strip(" .!?¿¡:;\"'“”«»")
        if _GENERIC_HEADING.fullmatch(core) or _norm(core) in ctx.plain_headings:
            out.append(_fault("heading_as_copy", f"'{core}' is a section heading or form title, not copy", core, field))
    for sentence in sentences:
        words = _norm(sentence).split()
        for heading in ctx.plain_headings:
            hw = heading.split()
            if len(hw) >= 2 and f" {heading} " in f" {' '.join(words)} ":
                rest = [w for w in words if w not in hw]
                if rest and all(w in STOCK or w in _ALL_FUNCTION for w in rest):
                    out.append(_fault("heading_as_copy", f"'{sentence}' wraps a section heading in stock words", sentence, field))
        first = sentence.lstrip(" \"'“‘«(¿¡").split(" ", 1)[0]
        lead = _words(first)[:1]
        if first[:1].islower() and first == first.lower() and lead and lead[0] not in ctx.name_words_cased:
            out.append(_fault("broken_casing", f"'{sentence}' starts in lowercase", first, field))
    lowered = text.lower()
    for phrase in ctx.titled:
        at = lowered.find(phrase.lower())
        if at >= 0:
            found = text[at : at + len(phrase)]
            tail = found.split()[1:]
            if found != phrase and found[0].islower() and any(w[:1].isupper() for w in tail):
                out.append(
                    _fault("broken_casing", f"'{found}': casing changed mid-phrase (the site writes '{phrase}')", found, field)
                )
    for sentence in sentences:
        last = re.findall(r"[^\W_]+", sentence)
        if last and last[-1].lower() in DANGLING and not _ATTRIBUTION.search(sentence):
            out.append(_fault("unfinished_sentence", f"'{sentence}' stops half way", sentence, field))
        elif sentence.rstrip().endswith(("…", "...", ",", ":", ";", "—", "–", "-")):
            out.append(_fault("unfinished_sentence", f"'{sentence}' stops half way", sentence, field))
    # A link description may be a phrase; the body must end as a sentence.
    if field == "body" and sentences and not _TERMINAL.search(text.strip()):
        attributed = _ATTRIBUTION.search(sentences[-1]) or re.match(r"[—–-]\s*\S", sentences[-1])
        if not attributed and not any(f.code == "unfinished_sentence" for f in out):
            out.append(_fault("unfinished_sentence", f"'{sentences[-1]}' does not end as a sentence", sentences[-1], field))
    for sentence in sentences:
        if re.search(r"\d", sentence) or re.match(r"[—–-]\s*\S", sentence):  # numbers and attributions name
            continue
        if not (_content(_words(sentence)) & ctx.content_stems) and not ({w.lower() for w in _words(sentence)} & ctx.name_words):
            out.append(_fault("names_nothing", f"'{sentence}' names nothing of this brand", sentence, field))
    in_pairs: set[str] = set()
    for a, b in _PAIR.findall(text):
        if (a.lower(), b) in ctx.title_pairs and a.lower() not in _ALL_FUNCTION:
            in_pairs.add(a)
            out.append(
                _fault(
                    "broken_casing",
                    f"'{a} {b}': casing changed mid-phrase (the site writes '{a[0].upper() + a[1:]} {b}')",
                    f"{a} {b}",
                    field,
                )
            )
    for m in re.finditer(r"(?<![\w.@/])[^\W\d_]+(?![\w]*\.[a-z])", text):
        word = m.group(0)
        cased = ctx.proper.get(word.lower())
        if cased and word.islower() and word != cased and word not in in_pairs:
            out.append(_fault("broken_casing", f"'{word}' is written '{cased}' on the site", word, field))
    return out


def _language(field: str, text: str, ctx: _Context) -> list[LintFault]:
    target = ctx.language
    if target not in SUPPORTED_LANGUAGES:
        return []
    out: list[LintFault] = []
    units = [text.strip()] if field == "cta" else _sentences(text)
    has_own = False
    for unit in units:
        words = [w.lower() for w in _words(unit)]
        own = sum(w in FUNCTION_WORDS[target] for w in words)
        for lang, vocab in FUNCTION_WORDS.items():
            if lang == target:
                continue
            foreign = [
                w
                for w in words
                if w in vocab and w not in ctx.site_vocab and w not in ctx.name_words and w not in FUNCTION_WORDS[target]
            ]
            need = 1 if lang == "en" else 2
            if len(foreign) < need:
                continue
            code = "mixed_language" if own else "wrong_language"
            msg = f"'{unit}': {LANGUAGE_NAMES[lang]} words ({', '.join(dict.fromkeys(foreign))}) in a {LANGUAGE_NAMES[target]} ad"
            out.append(_fault(code, msg, unit, field))
        has_own = has_own or bool(own)
    if has_own and any(f.code == "wrong_language" for f in out) and len(units) > 1:
        out.append(
            _fault("mixed_language", f"'{text.strip()}' mixes languages in one {LANGUAGE_NAMES[target]} ad", text.strip(), field)
        )
    return out


def _repeats(headline: str, body: str) -> list[LintFault]:
    h = _norm(headline)
    sentences = _sentences(body)
    if not h or not sentences:
        return []
    first = _norm(sentences[0])
    hw = h.split()
    # Equal to the first clause, or the body opens with it, or it is half of any body sentence.
    repeated = (
        h == first
        or (len(hw) >= 2 and first.startswith(h + " "))
        or any(f" {h} " in f" {_norm(x)} " and len(hw) >= 0.5 * len(_norm(x).split()) for x in sentences)
    )
    if not repeated:
        return []
    return [
        _fault(
            "headline_repeats_body",
            f"the headline '{headline.strip()}' repeats the body ('{sentences[0]}') instead of adding to it",
            headline.strip(),
            "headline",
        )
    ]


def lint_copy(headline: str, body: str, cta: str, brand: BrandProfile, description: str = "") -> list[LintFault]:
    """Every fault in one variant's copy; an empty list means a marketer could run it as written."""
    ctx = _context(brand)
    faults: list[LintFault] = []
    for field, text in (("headline", headline), ("body", body), ("description", description), ("cta", cta)):
        if not text or not text.strip():
            continue
        faults += _surface(field, text, ctx)
        if field != "cta":
            faults += _structure(field, text, ctx)
        faults += _language(field, text, ctx)
    faults += _repeats(headline, body)
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for f in faults:
        if (f.code, f.field, f.text) not in seen:
            seen.add((f.code, f.field, f.text))
            unique.append(f)
    return unique


def lint_variant(variant: CopyVariant, brand: BrandProfile) -> list[LintFault]:
    return lint_copy(variant.headline, variant.body, variant.cta, brand, variant.description)
