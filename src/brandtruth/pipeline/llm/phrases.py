"""The few words the offline writer adds to a brand's own, per language: CTAs and connectives.

Everything else in offline copy is the site's own text. These phrases assert nothing checkable;
they only join typed material ("Drain Clear from $129", "— Linda K., Sellwood"). A language
without an entry here gets no added words at all: only the site's own sentences and CTAs.
"""

from __future__ import annotations

import re
import unicodedata

from ..lint_words import UI_PHRASES, UI_WORDS
from .languages import ENGLISH_CTAS, PHRASES, SUPPORTED, Phrases

__all__ = ["PHRASES", "SUPPORTED", "Phrases"]

# Business type (as extraction names it, or words in it) -> the standard CTA's intent.
_TYPE_INTENT: tuple[tuple[str, str], ...] = (
    (r"non-?profit|charity|food ?bank|foundation|ngo|association|verein|asociaci", "donate"),
    (r"^store$", "visit"),  # a shop that sells at its counter only
    (r"shop|store|e-?commerce|retail|boutique|market", "shop"),
    (r"bakery|boulangerie|b[äa]ckerei|panader|restaurant|caf[eé]|food|catering|pizz|deli|traiteur", "order"),
    (
        r"roof|plumb|electric|contractor|construction|renovat|landscap|hvac|repair|carpent|schreiner|joiner|trade|"
        r"handwerk|builder|install",
        "quote",
    ),
    (r"saas|platform|web ?app|subscription", "start"),
    (r"software|desktop|mobile ?app|\bapp\b|tool|plugin|extension", "download"),
    (
        r"service|clinic|dental|dentist|health|yoga|fitness|gym|studio|salon|spa|therap|hotel|travel|class|school|"
        r"restaurant|b&b|rental|medical|vet",
        "book",
    ),
)
_CTA_INTENT: tuple[tuple[str, str], ...] = (
    (r"\b(donat\w*|give|don|spend\w*|donar|dona|doneer|doar)\b", "donate"),
    (r"\b(quote|estimate|devis|angebot|presupuesto|preventivo|offerte|orçamento)\b", "quote"),
    (r"\b(order|commander|bestell\w*|pedir|pedido|ordina\w*|encomend\w*)\b", "order"),
    (r"\b(shop|buy|cart|purchase|store|acheter|kaufen|comprar|acquist\w*|compra|koop|kopen|winkel\w*)\b", "shop"),
    (
        r"\b(book|schedule|reserve|appointment|table|réserv\w*|buch\w*|termin|reserv\w*|cita|prenot\w*|boek\w*|afspraak|"
        r"agend\w*|marcar)\b",
        "book",
    ),
    (r"\b(download|install|télécharg\w*|herunterladen|descarg\w*|scarica|downloaden|baixar|transferir)\b", "download"),
    (r"\b(directions|visit (us|the store|our (shop|store))|itinéraire|route|cómo llegar|indicazioni|como chegar)\b", "visit"),
    (
        r"\b(start|try|get started|begin|free trial|commencer|essai|starten|testen|empezar|prueba|inizia|prova|aan de slag|"
        r"probeer|começar|experimente)\b",
        "start",
    ),
    (
        r"\b(sign ?up|join|register|subscribe|create (an )?account|enrol|enroll|inscri\w*|registr\w*|iscriviti|aanmelden|"
        r"inscrever\w*)\b",
        "signup",
    ),
    (
        r"\b(contact|call|talk|get in touch|email|message|appel\w*|kontakt\w*|contact\w*|llam\w*|chiama\w*|bel|"
        r"fale conosco|ligue)\b",
        "contact",
    ),
    (
        r"\b(learn|discover|explore|see|read|more|find out|savoir|découvr\w*|erfahren|información|descubr\w*|scopri|"
        r"ontdek|bekijk|informatie|saiba|conheça)\b",
        "learn",
    ),
)
# Besides its verb, the words a CTA may hold without naming a particular thing it sells: "Get a Free
# Quote", "Book Your Table Today", "Demander un devis", "Jetzt Termin vereinbaren". Any other word names
# what the button is for ("Commander un gâteau": a cake), which only an ad about that thing may carry.
_CTA_GENERIC = frozenset(
    """
    a an the your our my us me it its this all more now today online here free and or for with to of in on up
    get go find see request claim make take let lets try call visit tell ask
    quote estimate appointment consultation demo trial callback tour directions table reservation offer deal
    discount details info information touch started account newsletter location hours store day waitlist list
    community club inspection assessment evaluation checkup survey audit sales team expert specialist back service services
    mac macos windows linux ios android iphone ipad desktop mobile app
    shop collection collections range catalog catalogue products everything site website line lineup
    new arrivals bestsellers best sellers latest
    un une le la les l votre vos notre nos mon ma nous en ligne ici gratuit gratuite gratuitement maintenant
    aujourd hui de du des à au aux pour avec et ou plus demander faire obtenir trouver voir
    devis rendez vous essai démo appel visite itinéraire offre infos renseignements
    ein eine einen einem einer ihr ihre ihren ihrem unser unsere unseren jetzt heute hier kostenlos gratis uns
    der die das den dem des zum zur für mit und oder mehr anfordern vereinbaren aufnehmen planen sichern
    angebot termin tisch beratung probe anruf besuch route infos informationen
    boutique sortiment kollektion produkte neuheiten tienda colección productos novedades
    el la los las lo un una unos unas su sus tu tus nuestro nuestra nuestros ahora hoy línea aquí gratis
    nosotros de del al para con y o más pedir solicitar obtener hacer ver
    presupuesto cita mesa prueba llamada visita pide pida solicita solicite reserva llama llame contacta descubre
    il lo gli i le un una uno il tuo tua tuoi nostro nostra nostri ora oggi qui gratis gratuito gratuita di del della
    da per con e o più richiedi prenota ordina scopri contattaci preventivo appuntamento tavolo prova chiamata visita
    de het een je jouw uw onze ons nu vandaag hier gratis voor met en of meer vraag aan boek bestel ontdek bel
    offerte afspraak tafel proefles informatie aanvragen plannen op slag aan route boeken kopen bestellen downloaden
    doneer aanmelden neem contact indicazioni inizia iscriviti contattaci scarica dona acquista
    fazer inscrever se começar fale conosco baixar doar comprar como chegar saiba agora
    o a os as um uma seu sua seus suas nosso nossa agora hoje aqui grátis do da dos das para com e ou mais peça
    pedir marque reserve ligue conheça orçamento consulta mesa visita
    """.split()
)
# A CTA offering something free ("Schedule Your Free Inspection") offers it to anyone, whatever the ad says.
_FREE = re.compile(r"\b(free|gratuit\w*|kostenlos\w*|gratis|grátis)\b", re.I)
# Buttons that work on a page but mean nothing in an ad.
_UI_BUTTONS = re.compile(
    r"^(add to (cart|basket|bag)|ajouter au panier|in den warenkorb|añadir al carrito|aggiungi al carrello|"
    r"in winkelwagen|adicionar ao carrinho|buy it now|"
    r"submit|send|envoyer|senden|enviar|(write|leave) a review|share|partager|teilen|compartir|"
    r"search|rechercher|suchen|buscar|log ?in|sign ?in|connexion|anmelden|menu|close|fermer|accept( all)?|accepter|"
    r"ok|next|previous|suivant|weiter|read more|lire la suite|weiterlesen|leer más|view( all)?|voir( tout)?)$",
    re.I,
)


def phrases_for(language: str) -> Phrases | None:
    return PHRASES.get((language or "en").split("-")[0].lower())


def intent_of_type(business_type: str) -> str:
    for pattern, intent in _TYPE_INTENT:
        if re.search(pattern, business_type or "", re.I):
            return intent
    return "learn"


def intent_of_cta(text: str) -> str | None:
    for pattern, intent in _CTA_INTENT:
        if re.search(pattern, text or "", re.I):
            return intent
    return None


def standard_cta(intent: str, language: str) -> str:
    """The platform's standard CTA for an intent, in the site's language (English when unsupported)."""
    table = (phrases_for(language) or PHRASES["en"]).ctas or ENGLISH_CTAS
    return table.get(intent, table["learn"])


def standard_ctas(language: str) -> list[str]:
    return list(((phrases_for(language) or PHRASES["en"]).ctas or ENGLISH_CTAS).values())


def has_ui_phrase(text: str) -> bool:
    """Whether a button label sits inside the text ("… 15,90 € Añadir al carrito …")."""
    low = " " + re.sub(r"[^\w' ]+", " ", text or "").lower() + " "
    return any(f" {p} " in low for p in UI_PHRASES)


def is_ui_button(text: str) -> bool:
    """A page's interface label ("Add to Cart", "View cart", "Submit"): the copy lint's list and ours."""
    low = re.sub(r"[^\w' ]+", " ", text or "").strip().lower()
    return bool(_UI_BUTTONS.match(low)) or low in UI_WORDS or low in UI_PHRASES


def join_list(items: list[str], language: str) -> str:
    """'a, b and c' in the language's words; items keep their own casing."""
    ph = phrases_for(language) or PHRASES["en"]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {ph.and_} {items[-1]}"


# What a CTA button holds on each platform (Google's shortest: sitelinks and lead-form buttons).
CTA_LIMITS = {"meta": 30, "linkedin": 30, "google": 15}
# With no primary CTA named, the site's actions in the order an advertiser would pick them.
_INTENT_RANK = ("quote", "order", "book", "shop", "donate", "start", "signup", "download", "visit", "contact")


def site_ctas(primary: str, ctas: list[str], limit: int, language: str = "en") -> list[str]:
    """The site's own actions that can stand on an ad's button: primary first, then by intent. A bare
    "Contact" link is navigation, not an action. In a language we have no words for, any of its own."""
    own = [c.strip() for c in ctas if c and c.strip()]
    known = phrases_for(language) is not None
    own = [
        c
        for c in dict.fromkeys(own)
        if len(c) <= limit and not is_ui_button(c) and (intent_of_cta(c) not in (None, "learn", "contact") or not known)
    ]
    own.sort(key=lambda c: _INTENT_RANK.index(intent_of_cta(c) or "contact"))
    # The site's main action heads the list, unless it only tells more while the site also asks for something
    # ("Read our story" on a coffee shop's product page with "Add to cart": no button under an ad for its beans).
    asks = any(intent_of_cta(c) not in (None, "learn", "contact") for c in ctas if c)
    tells = intent_of_cta(primary) == "learn" and known and asks
    first = [primary.strip()] if primary and len(primary.strip()) <= limit and not is_ui_button(primary) and not tells else []
    return list(dict.fromkeys([*first, *own]))


def pick_cta(wanted: str, primary: str, ctas: list[str], business_type: str, language: str, limit: int) -> str:
    """A CTA the business would use: `wanted` when it is the site's own or a standard one, else the
    site's own action with the same intent, else the platform's standard CTA for the business, in its language."""
    own = site_ctas(primary, ctas, limit, language)
    standard = standard_ctas(language)
    for option in [*own, *standard]:
        if wanted and wanted.strip().lower() == option.lower():
            return option
    intent = intent_of_cta(wanted) if wanted else None
    same = [c for c in own if intent and intent_of_cta(c) == intent]
    if same:
        return same[0]
    if not wanted and own:
        return own[0]
    # The site's action is too long for this button: its intent in the standard words ("Get Started").
    theirs = [
        i
        for i in (intent_of_cta(c) for c in [primary, *ctas] if c and not is_ui_button(c))
        if i not in (None, "learn", "contact")
    ]
    return standard_cta(intent or (theirs[0] if theirs else intent_of_type(business_type)), language)


def _folded_words(text: str) -> list[str]:
    """Lower-case words without accents or a plural ending: "Gâteaux" -> "gateau", "classes" -> "class"."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [re.sub(r"(?:es|s|x)$", "", w) if len(w) > 4 else w for w in re.findall(r"[^\W\d_]+", plain)]


def cta_subject(cta: str, brand_name: str = "") -> list[str]:
    """The words of a CTA that name what it is for ("cake" in "Order a cake"), none for a standard one
    ("Get a Free Quote", "Book Now"), one that names the brand ("Download Quillpad") or its trade."""
    if _FREE.search(cta):
        return []
    rest = cta
    for pattern, _intent in _CTA_INTENT:
        rest = re.sub(pattern, " ", rest, flags=re.I)
    # The brand's own words, and its trade by their stem: "Book a Plumber" for ClearFlow Plumbing.
    brand = set(_folded_words(brand_name))
    stems = {w[:5] for w in brand if len(w) >= 5}
    return [w for w in _folded_words(rest) if len(w) > 2 and w not in brand and w[:5] not in stems and not _generic(w)]


# Generic alone ("Schedule Service"), not at a compound's end: "Lieferservice", "Reparaturservice" name a thing.
_NO_SUFFIX = frozenset({"service", "services"})


def _generic(word: str) -> bool:
    """One of _CTA_GENERIC, or a compound ending in one of its longer words ("Beratungstermin")."""
    return word in _GENERIC_FOLDED or any(word.endswith(g) for g in _GENERIC_FOLDED if len(g) >= 5 and g not in _NO_SUFFIX)


def mentions(text: str, words: list[str]) -> bool:
    """Whether `text` holds one of `words` (as _folded_words gives them), plural or compound ("cake" in
    "Celebration cakes", "termin" in "Beratungstermin")."""
    said = _folded_words(text)
    return any(
        w.startswith(x) or x.startswith(w) or (len(x) >= 5 and w.endswith(x))
        for x in words
        for w in said
        if min(len(w), len(x)) >= 3
    )


_GENERIC_FOLDED = frozenset(w for g in _CTA_GENERIC for w in _folded_words(g))
