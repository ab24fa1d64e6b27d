"""Match step: choose a hero image for every (variant, format), or decide on a brand background.

Relevance is BM25 between the copy and each image's words (alt text, file name, nearby text).
An image is eligible for a format only if its best crop needs at most 1.5x upscaling; among the
eligible, the score adds aspect fit and spreads images across variants. The logo is never a hero.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from PIL import Image
from rank_bm25 import BM25Plus

from .artifacts import ArtifactStore
from .compose.crop import max_crop, upscale_factor
from .compose.layout import layout_for_image
from .extract.lexicon import INTERNAL
from .models import BrandProfile, CopyVariant, ImageAsset, ImageMatch, MatchInput, MatchOutput

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an and are as at be by for from has have in is it its of on or our that the this to was were will "
    "with you your we us no not can could should would do does did so if but than then there their they only "
    "all any more most get go just also into out up about over new now here what which who why how see "
    "img image photo jpg jpeg png webp gif svg hero banner large small thumb min".split()
)
W_RELEVANCE, W_ASPECT, W_SHARPNESS, SPREAD_PENALTY, SAME_VARIANT_BONUS = 0.55, 0.2, 0.15, 0.3, 0.08
FULL_BLEED_BONUS = 0.15  # a photo that fills the frame beats one that only fits an inset card


def tokens(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text.lower().replace("_", " ").replace("-", " ")):
        if word in _STOP or len(word) < 2 or word.isdigit():
            continue
        out.append(word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word)
    return out


def file_words(url: str) -> str:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name.rsplit(".", 1)[0]


def image_text(img: ImageAsset) -> str:
    return f"{img.alt} {file_words(img.url)} {img.nearby_text}"


def is_logo(img: ImageAsset, brand: BrandProfile) -> bool:
    if img.role == "logo":
        return True
    logo = brand.logo
    if logo and ((logo.key and logo.key == img.key) or logo.url == img.url):
        return True
    return "logo" in tokens(f"{file_words(img.url)} {img.alt}")


@dataclass
class Candidate:
    asset: ImageAsset
    size: tuple[int, int]
    words: list[str]


def _size(img: ImageAsset, store: ArtifactStore) -> tuple[int, int] | None:
    """Pixel size: from the stored bytes (header only) when present, which is what compose will use."""
    if not img.key or not store.exists(img.key):
        return None
    try:
        with Image.open(io.BytesIO(store.get(img.key))) as im:
            w, h = im.size
            if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # EXIF rotation swaps the sides
                w, h = h, w
            return (w, h)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def candidates(brand: BrandProfile, store: ArtifactStore) -> list[Candidate]:
    out, seen = [], set()
    for img in brand.images:
        if is_logo(img, brand) or img.key in seen or INTERNAL.search(f"{img.alt} {file_words(img.url)}".replace("-", " ")):
            continue  # the logo, or a test product's placeholder ("TEST ITEM - staff only do not purchase")
        size = _size(img, store)
        if size is None:
            continue
        seen.add(img.key)
        out.append(Candidate(img, size, tokens(image_text(img)) or ["_"]))
    return out


def copy_text(v: CopyVariant) -> str:
    return f"{v.headline} {v.headline} {v.body} {v.angle} {v.description}"


def relevance(query: list[str], cands: list[Candidate]) -> list[float]:
    """BM25+ scores normalised to 0..1 (1 = the best image for this copy); all 0 when nothing overlaps."""
    if not cands or not query:
        return [0.0] * len(cands)
    bm25 = BM25Plus([c.words for c in cands], delta=0.0)
    raw = [float(s) for s in bm25.get_scores(query)]
    top = max(raw)
    return [s / top if top > 0 else 0.0 for s in raw]


def aspect_fit(size: tuple[int, int], target: tuple[int, int]) -> float:
    """Share of the image the crop keeps: 1.0 for a perfect aspect match."""
    cw, ch = max_crop(size, target)
    return (cw * ch) / (size[0] * size[1])


def _reason(c: Candidate, query: set[str], fmt: str, card: bool, target: tuple[int, int]) -> str:
    shared = [w for w in dict.fromkeys(c.words) if w in query][:3]
    label = (c.asset.alt or file_words(c.asset.url))[:60]
    why = f"shares '{', '.join(shared)}' with the copy" if shared else "closest brand image (no shared words)"
    f = upscale_factor(c.size, target)
    res = "no upscaling" if f <= 1.0 else f"{f:.2f}x upscale"
    how = "an inset card" if card else fmt
    return f"'{label}': {why}; {c.size[0]}x{c.size[1]} crops to {how} with {res}."


def match_images(inp: MatchInput, store: ArtifactStore) -> MatchOutput:
    cands = candidates(inp.brand, store)
    used: dict[str, set[str]] = {}  # image key -> variant ids already using it
    matches: list[ImageMatch] = []
    for variant in inp.variants:
        query = tokens(copy_text(variant))
        rel = relevance(query, cands)
        mine: set[str] = set()
        for fmt in inp.formats:
            best, best_score, best_lay = None, float("-inf"), None
            for c, r in zip(cands, rel, strict=True):
                lay = layout_for_image(fmt, c.size)  # the same decision compose makes
                if not lay.has_hero:
                    continue  # would need more than 1.5x upscaling even as an inset card
                target = lay.hero_size
                key = c.asset.key or ""
                others = len(used.get(key, set()) - {variant.id})
                score = (
                    W_RELEVANCE * r
                    + W_ASPECT * aspect_fit(c.size, target)
                    + W_SHARPNESS * min(1.0, 1.0 / upscale_factor(c.size, target))
                    + (0.0 if lay.card else FULL_BLEED_BONUS)
                    - SPREAD_PENALTY * others
                    + (SAME_VARIANT_BONUS if key in mine else 0.0)
                )
                if score > best_score:
                    best, best_score, best_lay = c, score, lay
            if best is None or best_lay is None:
                why = "no brand images" if not cands else f"no image is large enough for {fmt} without upscaling"
                matches.append(
                    ImageMatch(variant_id=variant.id, format=fmt, background=True, reason=f"Brand-colour background: {why}.")
                )
                continue
            key = best.asset.key or ""
            used.setdefault(key, set()).add(variant.id)
            mine.add(key)
            reason = _reason(best, set(query), fmt, best_lay.card, best_lay.hero_size)
            matches.append(ImageMatch(variant_id=variant.id, format=fmt, image=best.asset, reason=reason))
    return MatchOutput(matches=matches)
