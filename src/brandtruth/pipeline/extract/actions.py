"""What the site asks a visitor to do, and what kind of business it is.

The primary CTA is the site's own main action: the button in its hero or header, repeated across
pages ("Get a Free Estimate", "Commander un gâteau"), never a navigation item, a cookie button or a
generic "Learn more" while a better one exists. The business type (shop, service, software, food,
nonprofit) comes from JSON-LD first, then from what the pages ask for and sell.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .page import ParsedPage

REGION_WEIGHT = {"hero": 7, "header": 4, "section": 2, "main": 2, "card": 1, "form": 1, "nav": 1, "aside": 1,
                 "footer": 0}  # fmt: skip
GENERIC = re.compile(
    r"^(learn more|read more|more|see more|(load|show) (more|less)|see all|view (all|more|details)|details|submit|send|"
    r"menu|search|log ?in|sign ?in|"
    r"cart|close|ok|accept( all)?|decline|reject|subscribe|next|previous|back|skip to content|go|"
    r"en savoir plus|plus|voir plus|envoyer|mehr( erfahren)?|weiterlesen|senden|absenden|leer más|ver más|enviar|"
    r"saber más|\(?\+?[\d ()./-]{7,}\)?|"
    # A review widget's, a share bar's and a quantity stepper's buttons ("−", "+"): they work the page.
    r"(write|leave) a review|was this (review )?helpful\??|helpful|report|share|tweet|pin it|ask a question|"
    r"(load|show) more reviews|écrire un avis|partager|bewertung schreiben|teilen|escribir una reseña|compartir|"
    r"[\W_]+)$",
    re.I,
)
PER_ITEM = re.compile(
    r"\b(add to (cart|basket|bag|wishlist)|ajouter au panier|in den warenkorb|añadir al carrito|buy (it )?now|"
    r"(select|choose) options|view product|quick (view|shop|add)|sold out|options wählen|choisir des options|"
    r"seleccionar opciones)\b",
    re.I,
)
MAX_ACTIONS = 400
# A link to the site's own cart or checkout: it sells online (a Shopify collection whose cards have no buttons).
CART_URL = re.compile(
    r"^https?://[^/]+/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:cart|basket|checkout|warenkorb|panier|carrito)/?(?:[?#]|$)", re.I
)
# Buying on the site itself (a shop that only has a counter gets "Get Directions", not "Shop Now").
ONLINE = re.compile(r"\b(shop (now|online)|buy (now|online)|order online|checkout|view cart|boutique en ligne|onlineshop|"
                    r"tienda online|comprar ahora|jetzt kaufen)\b", re.I)  # fmt: skip

# schema.org types -> business type
JSONLD_TYPES = {
    "food": {"Bakery", "Restaurant", "FoodEstablishment", "CafeOrCoffeeShop", "BarOrPub", "IceCreamShop", "Winery",
             "Brewery", "FastFoodRestaurant"},
    "nonprofit": {"NGO", "NonprofitOrganization", "NonProfit", "Charity", "FundingScheme"},
    "software": {"SoftwareApplication", "WebApplication", "MobileApplication", "SoftwareSourceCode"},
    "shop": {"Store", "OnlineStore", "ClothingStore", "HardwareStore", "GroceryStore", "Product", "ShoppingCenter",
             "HomeGoodsStore", "BookStore"},
    "service": {"Plumber", "Electrician", "RoofingContractor", "HomeAndConstructionBusiness", "ProfessionalService",
                "Dentist", "MedicalBusiness", "MedicalClinic", "HealthAndBeautyBusiness", "SportsActivityLocation",
                "ExerciseGym", "HealthClub", "LegalService", "AutoRepair", "GeneralContractor", "HVACBusiness",
                "Locksmith", "MovingCompany", "HousePainter", "EmergencyService", "ChildCare", "DaySpa",
                "LocalBusiness", "Physician", "YogaStudio"},
}  # fmt: skip
SIGNALS: dict[str, re.Pattern[str]] = {
    "shop": re.compile(
        r"\b(add to (cart|basket|bag)|ajouter au panier|in den warenkorb|añadir al carrito|comprar ahora|"
        r"shop now|buy now|free shipping|checkout|acheter|jetzt kaufen|tienda)\b",
        re.I,
    ),
    "software": re.compile(
        r"\b(free trial|download for (mac|windows|linux)|per user|/mo\b|sign up free|api|sdk|"
        r"integrations?|open[- ]source|self-host\w*|dashboard|saas|app store|changelog)\b",
        re.I,
    ),
    "nonprofit": re.compile(
        r"\b(donate|donation|volunteer|501\(c\)\(3\)|nonprofit|non-profit|charity|faire un don|"
        r"spenden|donar|bénévole|ehrenamt\w*|voluntari\w*)\b",
        re.I,
    ),
    # A shop that says what it is: "the best hardware store in Milwaukee", "we stock over 18,000 items".
    "store": re.compile(
        r"\b((hardware|grocery|book|gift|bike|tool|garden|pet|wine|toy|furniture|antique|farm|general|corner|"
        r"paint|music|record|thrift|convenience) (store|shop)|we (stock|carry|sell)|in stock|"
        r"quincaillerie|magasin|Eisenwarenhandlung|Fachgeschäft|Ladengeschäft|ferreter[ií]a|tienda física)\b",
        re.I,
    ),
    "food": re.compile(
        r"\b(bakery|boulangerie|pâtisserie|bäckerei|konditorei|panader[ií]a|restaurant|café|cafe|"
        r"coffee|(?:our|the|see|view) menu|la carte|speisekarte|bread|pain|brot|sourdough|levain|croissants?|pastr(y|ies)|"
        r"cakes?|gâteaux?|kuchen|pizza|brunch|olive oil|aceite)\b",
        re.I,
    ),
    "service": re.compile(
        r"\b(book (a|an|your)|appointment|estimate|quote|repairs?|installation|plumb\w*|roof\w*|"
        r"dentist\w*|dental|clinic|classes|studio|consultation|devis|rendez-vous|termin|beratung|"
        r"presupuesto|cita|handwerk\w*|schreinerei)\b|"
        # German compounds: "Fahrradwerkstatt", "Reparaturen", "Heizungsmontage".
        r"(?:reparatur|montage|werkstatt)\w*",
        re.I,
    ),
}


def primary_cta(pages: list[ParsedPage]) -> str:
    """The site's own main action, or "" when it has none."""
    ranked = ranked_actions(pages)
    return ranked[0] if ranked else ""


def ranked_actions(pages: list[ParsedPage]) -> list[str]:
    """The site's buttons, its main action first: hero and header buttons, repeated across pages and
    specific, before generic labels ("Learn more", "Submit") and a product card's "Add to Cart";
    cookie and modal buttons left out."""
    score: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for rank, page in enumerate(pages):
        for text, region in page.actions[:MAX_ACTIONS]:
            if region in ("cookie", "modal") or not 1 <= len(text.split()) <= 6:
                continue
            key = text.casefold()
            spelled.setdefault(key, text)
            seen[key] += 1
            weight = REGION_WEIGHT.get(region, 1) + (2 if rank == 0 else 0)
            score[key] = max(score[key], weight)
    headed = {text.casefold() for page in pages for _tag, text in page.headings}
    for key in score:
        # Seen on many pages, specific ("Download Quillpad" over "Download"), or a page built around it.
        score[key] += min(3, seen[key] - 1) + min(2, len(key.split()) - 1) + (1 if key in headed else 0)
        if GENERIC.match(key):
            score[key] -= 8
        elif PER_ITEM.search(key):
            score[key] -= 4  # a product card's button, not the site's own action
    return [spelled[k] for k in sorted(score, key=lambda k: (-score[k], -seen[k]))]


def business_type(pages: list[ParsedPage]) -> str:
    """shop, store (a shop that sells at its counter, not online), service, software, food or nonprofit
    ("" when nothing says)."""
    for page in pages[:3]:
        for item in _items(page.jsonld):
            types = _types(item)
            for kind, names in JSONLD_TYPES.items():
                if types & names and kind != "service":
                    return kind
            if types & JSONLD_TYPES["service"]:
                return "service"
    votes: Counter[str] = Counter()
    carts = online = 0
    for page in pages:
        actions = " ".join(text for text, region in page.actions[:MAX_ACTIONS] if region not in ("nav", "cookie"))
        carts += len(PER_ITEM.findall(actions))
        online += len(ONLINE.findall(actions)) + sum(1 for url, _text in page.links[:MAX_ACTIONS] if CART_URL.search(url))
        # Not a shop's filter form ("In stock (14)"), which is no shop's own word for itself.
        text = " ".join(b.text for b in page.blocks[:400] if b.region not in ("cookie", "footer", "form"))
        for kind, pattern in SIGNALS.items():
            votes[kind] += 3 * len(pattern.findall(actions)) + len(pattern.findall(text[:20_000]))
        votes["shop"] += 2 * sum(1 for c in page.cards if c.kind == "price" and c.region == "pricing")
    if votes["nonprofit"] >= 4:
        return "nonprofit"
    if carts:
        return "shop"  # products with an add-to-cart button: a shop, whatever it sells
    if votes["food"] >= 4 and votes["food"] >= votes["software"]:
        return "food"
    # A shop that calls itself one sells in person, with or without a repair desk: "store", never "service".
    store = votes.pop("store", 0)
    votes["shop"] += 3 * store
    if store and votes["shop"] >= votes["service"] and not votes["software"] > votes["shop"]:
        return "shop" if online else "store"
    kind, count = max(votes.items(), key=lambda kv: kv[1], default=("", 0))
    return kind if count >= 3 else ""


def _items(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [i for n in node[:50] for i in _items(n)]
    if isinstance(node, dict):
        return [node, *_items(node.get("@graph", []))]
    return []


def _types(item: dict[str, Any]) -> set[str]:
    t = item.get("@type") or item.get("type") or []
    return {str(x).rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])}
