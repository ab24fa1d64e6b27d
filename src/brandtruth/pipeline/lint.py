"""The copy lint: named faults a marketer would not run, each with the offending text.

One module used by every provider (to refuse and regenerate), the scorer (a fault is never
recommended over a clean variant) and the reviewer page (faults shown beside the variant).
Pure and fast: the brand-derived vocabulary is built once per profile and cached.

Codes: ui_label, heading_as_copy, legal_text, glued_tokens, separator_strip, headline_repeats_body,
wrong_language, mixed_language, names_nothing, broken_casing, unfinished_sentence, placeholder,
answer_out_of_context, headline_punctuation.
"""

from __future__ import annotations

import re

from .extract.lexicon import INTERNAL
from .lint_brand import ALL_FUNCTION as _ALL_FUNCTION
from .lint_brand import ATTRIBUTION as _ATTRIBUTION
from .lint_brand import CAMEL as _CAMEL
from .lint_brand import TERMINAL as _TERMINAL
from .lint_brand import BrandContext as _Context
from .lint_brand import brand_context as _context
from .lint_brand import content_stems as _content
from .lint_brand import norm as _norm
from .lint_brand import sentences as _sentences
from .lint_brand import words as _words
from .lint_words import (
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

LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "nl": "Dutch", "pt": "Portuguese"
}  # fmt: skip

_BULLET = re.compile(r"[✓✔✗☑→➜►▶]")


# One scan for the three phrase lists (a named group says which matched): three scans cost 3x.
_PHRASES = re.compile(
    r"(?<![\w])(?:(?P<ui>"
    + "|".join(re.escape(p) for p in UI_PHRASES)
    + r")|(?P<legal>"
    + "|".join(LEGAL)
    + r")|(?P<placeholder>"
    + "|".join([*PLACEHOLDERS, INTERNAL.pattern])
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
_PAIR = re.compile(r"(?<![\w.@/])([a-zà-ÿ][\w'’-]*) ([A-ZÀ-Þ][\w'’-]*)")


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


# "Yes, on jobs over $1,000 ...", "No. Evening visits ...": an FAQ answer leans on its question.
_ANSWER_WORD = re.compile(r"(yes|no|yep|nope|oui|non|ja|nein|sí)\s*[.!,;:—–-](?!\s*\d)", re.I)


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
    for phrase in ctx.titled:
        # As whole words: "Men's Haircut" is not in "Women's Haircut".
        m = re.search(rf"(?<![\w'’-]){re.escape(phrase)}(?!\w)", text, re.I)
        if m:
            found = m.group()
            tail = found.split()[1:]
            if found != phrase and found[0].islower() and any(w[:1].isupper() for w in tail):
                out.append(
                    _fault("broken_casing", f"'{found}': casing changed mid-phrase (the site writes '{phrase}')", found, field)
                )
    for sentence in sentences:
        if _ANSWER_WORD.match(sentence.lstrip(" \"'“‘«(¿¡")):
            out.append(_fault("answer_out_of_context", f"'{sentence}' answers a question the ad does not ask", sentence, field))
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
    # "Track your hours. Send the invoice": a full stop inside asks for one at the end ("Hail damage? Free
    # inspection", a question and its answer, reads as written).
    if any(x.rstrip('”"»’').endswith((".", "!")) for x in _sentences(headline.strip())[:-1]) and not _TERMINAL.search(
        headline.strip()
    ):
        faults.append(
            _fault("headline_punctuation", f"'{headline.strip()}' stops one sentence but not the last", headline, "headline")
        )
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for f in faults:
        if (f.code, f.field, f.text) not in seen:
            seen.add((f.code, f.field, f.text))
            unique.append(f)
    return unique


def lint_variant(variant: CopyVariant, brand: BrandProfile) -> list[LintFault]:
    return lint_copy(variant.headline, variant.body, variant.cta, brand, variant.description)
