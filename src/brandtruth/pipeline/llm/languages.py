"""The words the offline writer may add to a brand's own, per language: connectives and the platforms'
standard CTAs. A language without an entry gets no added words at all (see phrases.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    """Connectives for one language. `{x}` placeholders are filled with the site's own words."""

    and_: str  # joins the last two items of a list
    price_from: str  # a product with the low end of a price range
    price_at: str  # a product with its one price
    quote: tuple[str, str]  # opening and closing quotation marks
    offers: str  # the brand and its services as one sentence
    since: str = "{name}, since {year}"  # a story headline from a founding year
    need: str = ""  # a question headline from a service ("Need drain cleaning?"); English only
    each: str = ""  # products at one price, listed once: "Yin & Restore and Prenatal Yoga, $22 each"
    # Standard platform CTAs, by intent.
    ctas: dict[str, str] | None = None


ENGLISH_CTAS = {
    "shop": "Shop Now",
    "book": "Book Now",
    "quote": "Get Quote",
    "download": "Download",
    "donate": "Donate Now",
    "learn": "Learn More",
    "order": "Order Now",
    "signup": "Sign Up",
    "start": "Get Started",
    "contact": "Contact Us",
    "visit": "Get Directions",
}
_CTA_FR = {
    "shop": "Acheter",
    "book": "Réserver",
    "quote": "Demander un devis",
    "download": "Télécharger",
    "donate": "Faire un don",
    "learn": "En savoir plus",
    "order": "Commander",
    "signup": "S'inscrire",
    "start": "Commencer",
    "contact": "Nous contacter",
    "visit": "Itinéraire",
}
_CTA_DE = {
    "shop": "Jetzt kaufen",
    "book": "Jetzt buchen",
    "quote": "Angebot anfordern",
    "download": "Herunterladen",
    "donate": "Jetzt spenden",
    "learn": "Mehr erfahren",
    "order": "Jetzt bestellen",
    "signup": "Registrieren",
    "start": "Jetzt starten",
    "contact": "Kontakt aufnehmen",
    "visit": "Route planen",
}
_CTA_ES = {
    "shop": "Comprar ahora",
    "book": "Reservar",
    "quote": "Pedir presupuesto",
    "download": "Descargar",
    "donate": "Donar",
    "learn": "Más información",
    "order": "Pedir ahora",
    "signup": "Registrarse",
    "start": "Empezar",
    "contact": "Contactar",
    "visit": "Cómo llegar",
}

_CTA_IT = {
    "shop": "Acquista ora",
    "book": "Prenota",
    "quote": "Richiedi un preventivo",
    "download": "Scarica",
    "donate": "Dona ora",
    "learn": "Scopri di più",
    "order": "Ordina ora",
    "signup": "Iscriviti",
    "start": "Inizia ora",
    "contact": "Contattaci",
    "visit": "Indicazioni",
}
_CTA_NL = {
    "shop": "Nu kopen",
    "book": "Nu boeken",
    "quote": "Offerte aanvragen",
    "download": "Downloaden",
    "donate": "Doneer nu",
    "learn": "Meer informatie",
    "order": "Nu bestellen",
    "signup": "Aanmelden",
    "start": "Aan de slag",
    "contact": "Neem contact op",
    "visit": "Route plannen",
}
_CTA_PT = {
    "shop": "Comprar agora",
    "book": "Reservar",
    "quote": "Pedir orçamento",
    "download": "Baixar",
    "donate": "Doar agora",
    "learn": "Saiba mais",
    "order": "Fazer pedido",
    "signup": "Inscrever-se",
    "start": "Começar",
    "contact": "Fale conosco",
    "visit": "Como chegar",
}

PHRASES: dict[str, Phrases] = {
    "en": Phrases(
        and_="and",
        price_from="{subject} from {value}",
        price_at="{subject} for {value}",
        quote=("“", "”"),
        offers="{name} offers {x}.",
        need="Need {x}?",
        each="{x}, {value} each",
        ctas=ENGLISH_CTAS,
    ),
    "fr": Phrases(
        and_="et",
        price_from="{subject} dès {value}",
        price_at="{subject} à {value}",
        quote=("« ", " »"),
        offers="{name} propose {x}.",
        since="{name}, depuis {year}",
        ctas=_CTA_FR,
    ),
    "de": Phrases(
        and_="und",
        price_from="{subject} ab {value}",
        price_at="{subject} für {value}",
        quote=("„", "“"),
        offers="{name} bietet {x}.",
        since="{name}, seit {year}",
        each="{x}, je {value}",
        ctas=_CTA_DE,
    ),
    "es": Phrases(
        and_="y",
        price_from="{subject} desde {value}",
        price_at="{subject} por {value}",
        quote=("«", "»"),
        offers="{name} ofrece {x}.",
        since="{name}, desde {year}",
        ctas=_CTA_ES,
    ),
    "it": Phrases(
        and_="e",
        price_from="{subject} da {value}",
        price_at="{subject} a {value}",
        quote=("«", "»"),
        offers="{name} offre {x}.",
        since="{name}, dal {year}",
        ctas=_CTA_IT,
    ),
    "nl": Phrases(
        and_="en",
        price_from="{subject} vanaf {value}",
        price_at="{subject} voor {value}",
        quote=("“", "”"),
        offers="{name} biedt {x}.",
        since="{name}, sinds {year}",
        ctas=_CTA_NL,
    ),
    "pt": Phrases(
        and_="e",
        price_from="{subject} a partir de {value}",
        price_at="{subject} por {value}",
        quote=("“", "”"),
        offers="{name} oferece {x}.",
        since="{name}, desde {year}",
        ctas=_CTA_PT,
    ),
}

SUPPORTED = tuple(PHRASES)
