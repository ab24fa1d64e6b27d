"""The brand's name, reconciled across every page crawled.

Each page votes with what it says its owner is called: og:site_name, application-name, the JSON-LD /
microdata organisation, the header logo's alt text or its link's label (a description glued on after
a comma or dash is cut: "Boulangerie LB, boulangerie artisanale" -> "Boulangerie LB"), the part of
<title> that repeats across pages, and the copyright line. What repeats wins, because a brand's name
is on every page while a page's own title ("About Us") is on one. Generic words ("Home",
"Boulangerie", "Startseite") are never a name, and neither is a title part seen on one page only
while some other candidate repeats.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import urlsplit

from .page import ParsedPage, clean

TITLE_SPLIT = re.compile(r"\s+[|–—\-:·•»/]\s+|\s*[|·•»]\s*")
DESCRIPTION_CUT = re.compile(r"\s*(?:,|\s[–—-]\s|\s\|\s|:\s|\s·\s)\s*")
LEGAL = re.compile(
    r"[,\s]+(Inc|Ltd|LLC|LLP|PLC|Corp|Co\.?\s?KG|GmbH|AG|KG|e\.K|ApS|A/S|AB|AS|Oy|BV|B\.V|NV|SA|S\.A|SAS|SARL|SL|S\.L"
    r"|SRL|S\.r\.l|SpA|Pty|Ltda|Limited|Incorporated|PLLC|P\.C|P\.A|L\.P|(?<=,\s)(?-i:PC|PA|LP|APC))\.?$",
    re.I,
)
LOGO_WORDS = re.compile(r"\b(logo|logotype|home ?page|home|go to|back to|return to|startseite|accueil|inicio)\b", re.I)
ORG_TYPES = {
    "Organization", "Corporation", "LocalBusiness", "NGO", "Brand", "WebSite", "Store", "OnlineStore",
    "ProfessionalService", "HomeAndConstructionBusiness", "Plumber", "Electrician", "RoofingContractor",
    "Restaurant", "Bakery", "CafeOrCoffeeShop", "Dentist", "MedicalBusiness", "HealthAndBeautyBusiness",
    "SportsActivityLocation", "ExerciseGym", "FoodEstablishment", "SoftwareApplication", "NonprofitOrganization",
}  # fmt: skip
# Words that name a kind of page or business, not one business (en, fr, de, es).
GENERIC = {
    "home", "homepage", "about", "about us", "contact", "contact us", "welcome", "menu", "shop", "store", "blog",
    "news", "services", "our services", "products", "pricing", "faq", "team", "our team", "careers", "login",
    "accueil", "à propos", "a propos", "nous contacter", "boutique", "nos produits", "startseite", "über uns",
    "kontakt", "leistungen", "inicio", "nosotros", "contacto", "tienda", "servicios", "bakery", "boulangerie",
    "pâtisserie", "bäckerei", "panadería", "restaurant", "café", "cafe", "plumbing", "plumber", "roofing",
    "dentist", "dental", "yoga", "food bank", "hardware", "schreinerei", "software", "app", "untitled", "index",
}  # fmt: skip
SOURCE_WEIGHTS = {"og": 4.0, "app": 3.0, "org": 4.0, "logo": 3.0, "title": 2.0, "copyright": 2.0}
# The holder named after the year ("© 2025 Fiamma Pizzeria LLC"): a name starts with a letter, never the year
# itself ("© 2025 · Aviso legal" names nobody).
COPYRIGHT = re.compile(
    r"(?:©|\(c\)|&copy;|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?)?\s*(?:(?-i:by)\s+)?([^\W\d_][^|·•\n]{1,80})", re.I
)  # "© 2026 by IronOak CrossFit" (a site builder's wording) names IronOak CrossFit
# A title part that is a place ("Boulder, CO", "Springfield, IL", "Cornwall, UK"), never whose the site is.
PLACE = re.compile(
    r"^(?:[\w'’.-]+\s){0,3}[\w'’.-]+,\s*(?-i:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|"
    r"MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|AB|BC|MB|NB|NL|NS|ON|PE|QC|SK|UK|USA|NZ|"
    r"NSW|VIC|QLD|TAS|SA|ACT|NT|IE)$"
)  # not "Mark Chen, CPA", "Ana Ruiz, DDS": a person's letters


def _items(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [i for n in node for i in _items(n)]
    if isinstance(node, dict):
        return [node] + _items(node.get("@graph", []))
    return []


def _type(item: dict[str, Any]) -> set[str]:
    t = item.get("@type") or item.get("type") or []
    return {str(x).rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])}


def _key(name: str) -> str:
    return re.sub(r"[\s.,;:!]+$", "", name.casefold())


def tidy(name: str | None, cut_description: bool = False) -> str:
    """A candidate as a name: one line, no legal suffix, no "logo"/"home", description cut if asked."""
    name = clean(name).strip(" -|·•–—\"'")
    if cut_description:
        name = LOGO_WORDS.sub("", name).strip(" -|·•–—,")
        name = DESCRIPTION_CUT.split(name, maxsplit=1)[0]
    name = LEGAL.sub("", name).strip(" ,-")
    return clean(name)


def generic(name: str) -> bool:
    return _key(name) in GENERIC or not re.search(r"\w", name)


def _page_candidates(page: ParsedPage) -> list[tuple[str, str]]:
    """(source, name) pairs one page offers, each source at most once per name."""
    found: list[tuple[str, str]] = []
    found.append(("og", tidy(page.opengraph.get("og:site_name") or page.meta.get("og:site_name"))))
    found.append(("app", tidy(page.meta.get("application-name"))))
    for item in _items(page.jsonld) + _items(page.microdata):
        props = item.get("properties", item)
        if _type(item) & ORG_TYPES and isinstance(props.get("name"), str):
            found.append(("org", tidy(props["name"], cut_description=True)))
    for img in [i for i in page.images if not i.others][:8]:  # a customer's logo names the customer
        if "logo" in f"{img.hints} {img.alt}".lower() or img.in_header:
            found.append(("logo", tidy(img.alt, cut_description=True)))
    for el in [e for e in page.styled.elements if e.role == "logo" and e.text][:3]:
        found.append(("logo", tidy(el.text, cut_description=True)))  # a text wordmark in the header
    for block in page.blocks:
        if "©" in block.text or "copyright" in block.text.lower() or "(c)" in block.text.lower():
            m = COPYRIGHT.search(block.text)
            if m:
                text = re.split(r"\.\s|\.$|,|\s[–—-]\s|\s+All rights|\s+Tous droits|\s+Alle Rechte|\s+Todos los", m.group(1))[0]
                found.append(("copyright", tidy(text)))
    return [(s, n) for s, n in dict.fromkeys(found) if n and len(n) <= 60 and len(n.split()) <= 6 and not generic(n)]


def _title_parts(pages: list[ParsedPage]) -> Counter[str]:
    """Title parts by the number of pages whose title has them (one count per page)."""
    parts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for page in pages:
        seen = set()
        for part in TITLE_SPLIT.split(page.title):
            name = tidy(part)
            if name and not generic(name) and not PLACE.match(name) and len(name.split()) <= 6 and _key(name) not in seen:
                seen.add(_key(name))
                spelled.setdefault(_key(name), name)
                parts[spelled[_key(name)]] += 1
    return parts


def _better_spelling(name: str, weight: float, kept: str, kept_weight: float) -> bool:
    """Whether `name` spells a name better than `kept`: mixed case over a logo's capitals of two words or more
    or over a wordmark set in lower case ("tally" where the title says "Tally"; not where og:site_name writes it
    so too), else the heavier source."""

    def styled_caps(n: str) -> bool:
        return (n.isupper() and len(n.split()) >= 2) or (n.islower() and n == kept and kept_weight <= SOURCE_WEIGHTS["logo"])

    def mixed(n: str) -> bool:
        return any(c.isupper() for c in n) and any(c.islower() for c in n)

    if styled_caps(kept) and mixed(name):
        return True
    if styled_caps(name) and mixed(kept):
        return False
    return weight > kept_weight


def name_candidates(pages: list[ParsedPage]) -> dict[str, float]:
    """Weighted votes per name: each source's weight once per page it appears on."""
    votes: defaultdict[str, float] = defaultdict(float)
    spelled: dict[str, tuple[float, str]] = {}  # key -> (best source weight, spelling from that source)

    def vote(name: str, weight: float) -> None:
        key = _key(name)
        # A logo set in capitals ("ARDENT PARTNERS") is styling: the spelling another source gives in mixed case
        # ("Ardent Partners", the title) wins over it, whatever the weights. Not one in lower case ("ardent
        # partners", a footer), and an acronym or one-word wordmark ("UNICEF") stays as set.
        if key not in spelled or _better_spelling(name, weight, spelled[key][1], spelled[key][0]):
            spelled[key] = (weight, name)
        votes[key] += weight

    for page in pages:
        for source, name in _page_candidates(page):
            vote(name, SOURCE_WEIGHTS[source])
    titled = _title_parts(pages)
    several = len(pages) > 1
    for name, count in titled.items():
        if count >= 2 or not several:  # a part on one page of many is that page's own title
            vote(name, SOURCE_WEIGHTS["title"] * count)
    return {spelled[key][1]: total for key, total in votes.items()}


def brand_name(pages: list[ParsedPage]) -> str:
    votes = name_candidates(pages)
    if votes:
        best = max(votes.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
        return _unstyled(best, list(votes))
    return _from_title_or_host(pages)


def _unstyled(best: str, names: list[str]) -> str:
    """A logo set in capitals with a descriptor after the name ("DANA WHITFIELD REAL ESTATE"): the name as another
    source writes it in mixed case ("Dana Whitfield", the title), when that is how the logo begins."""
    key = _key(best)
    mixed = [n for n in names if not n.isupper() and any(c.isupper() for c in n) and len(n.split()) >= 2]
    # The capitals may run into a descriptor in Title Case ("HARTLEY & MOSS Injury Attorneys"): the name is the part
    # in capitals, as long as another source spells it.
    return next((n for n in mixed if key.startswith(_key(n) + " ") and best[: len(n)].isupper()), best)


def _from_title_or_host(pages: list[ParsedPage]) -> str:
    home = pages[0]
    first = next((tidy(p) for p in TITLE_SPLIT.split(home.title) if tidy(p) and not generic(tidy(p))), "")
    if first:
        return first
    host = urlsplit(home.url).hostname or ""
    return host.removeprefix("www.").split(".")[0].replace("-", " ").title() or "Brand"
