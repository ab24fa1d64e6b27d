"""The words and number forms facts are recognised by, in English, French, German and Spanish (and the
commonest ones in Italian, Dutch and Portuguese).

Numbers are written "1,200", "1.200", "1 200" (also with no-break and narrow spaces), "12,50 €",
"ab 1.490 €", "$129–$249"; counts and durations in each language's words ("20 ans", "30 Jahre",
"más de 30 años", "1 000 clients").
"""

from __future__ import annotations

import re

# A number as written: grouped thousands (comma, dot or space groups) or plain digits with decimals. At most five
# groups (a quadrillion): unbounded, a page of "100 100 100 …" backtracked quadratically (4 s for 20 KB).
NUM = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3}){1,5}(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_N = f"(?:{NUM})"
CUR = r"(?:(?<![A-Za-z])(?-i:R|A|C|NZ|HK|S|US)\$|[$€£¥₹])"  # "R$ 9,00" (Brazil), "A$ 25", "₹499"
CODE = r"(?:€|EUR|CHF|USD|GBP|\$|£|euros?|dollars?)(?!\w)"
# A price as written, with its range and period: "$129–$249", "12,50 €", "$29/mo", "1.490 €".
_SCALE = r"(?:\s?(?:million|billion|Mio\.|Mrd\.|bn|[kKMB])\b)?"  # "$4.2 Million", "$5k", "$2B"
# German and Swiss whole amounts end on a dash: "49,– €", "CHF 120.–"; Swiss prices put the code first.
_WHOLE = r"(?:[.,][–-](?!\d))?"
_PER = r"(?:\s?/\s?[A-Za-zé]{1,6}\b){0,2}"  # "/mo", "/user/month"
PRICE = re.compile(
    rf"{CUR}\s?{_N}{_SCALE}(?:\s?[–—-]\s?{CUR}?\s?{_N}{_SCALE})?{_PER}"
    rf"|(?<![\w.,]){_N}{_WHOLE}(?:\s?[–—-]\s?{_N}{_WHOLE})?\s?{CODE}{_PER}"
    rf"|(?<!\w)(?-i:CHF|EUR|USD|GBP|CAD|AUD)\s?{_N}{_WHOLE}(?![\w.,]){_PER}",
    re.I,
)
# A phone number: US "(612) 555-0133", international "+49 8031 5550192", French "01 23 45 67 89",
# German "08031 555 0192" (a leading 0 and more groups than a thousands number has).
PHONE = re.compile(
    r"\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\+\d{1,3}[\s\d()-]{8,}\d|\b0\d(?:[\s.]?\d{2}){4}\b|"
    r"\b0\d{2,5}(?:[\s/.-]\d{2,5}){2,3}\b"
)
MORE_THAN = r"over|more than|plus de|près de|mehr als|über|más de|cerca de|più di|oltre|meer dan|ruim|mais de|\+"
# A card's number on its own: "1000+", "98%", "24/7", "4.9/5", "#1", "Over 1 200", "20 ans".
STAT_HEAD = rf"(?:(?:{MORE_THAN})\s*)?#?{_N}\s?(?:%|\+|x|×|k\+?|m\+?|mio\.?|/7|/5|/10|★+|stars?|h|hrs?|yrs?)?\+?"
STAT_VALUE = re.compile(rf"^{STAT_HEAD}$|^{_N}\+?\s(?:ans|jahre|años|years|anni|jaar|anos)$", re.I)
COUNTED = (
    r"teams|customers|companies|businesses|users|clients|members|people|families|households|homes|volunteers|donors|"
    r"developers|downloads|stars|installs|countries|cities|meals|trees|students|patients|kids|children|orders|stores|"
    r"contributors|projects|repositories|requests|jobs|pets|dogs|cats|reviews|locations|items|products|parts|tools|"
    r"partners|pantries|schools|shelters|organi[sz]ations|nonprofits|charities|towns|bottles|loaves|cakes|roofs|"
    r"writers|readers|creators|designers|makers|subscribers|guests|diners|visitors|travell?ers|neighbou?rs|"
    r"residents|seniors|hours of \w+|restaurants|caf[eé]s|bars|hotels|clinics|practices|agencies|brands|retailers|"
    r"shops|salons|gyms|studios|venues|farms|sellers|merchants|employers|franchises|"
    # fr / de / es
    r"clientes?|familles|projets|commandes|bénévoles|élèves|patients|repas|magasins|avis|pays|villes|membres|"
    r"artisans|salariés|employés|pains|gâteaux|chantiers|"
    r"Kunden|Kundinnen|Familien|Projekte|Bestellungen|Freiwillige|Schüler|Patienten|Mahlzeiten|Filialen|Bewertungen|"
    r"Länder|Städte|Mitarbeiter(?:innen)?|Mitglieder|Küchen|Möbel(?:stücke)?|Aufträge|"
    r"familias|proyectos|pedidos|voluntarios|alumnos|pacientes|comidas|tiendas|reseñas|opiniones|países|ciudades|"
    r"empleados|miembros|socios|olivos|botellas|árboles|hectáreas|"
    # it / nl / pt
    r"clienti|recensioni|famiglie|progetti|ordini|pazienti|negozi|ettari|klanten|beoordelingen|recensies|projecten|"
    r"bestellingen|patiënten|winkels|avaliações|famílias|projetos|lojas"
)
SPEC_UNITS = (
    r"kg|g|tons|tonnes|litres|liters|ml|cl|oz|fl oz|lbs?|GB|MB|TB|mAh|sq\.? ?ft|square (?:feet|foot|met(?:er|re)s)|m²|acres|"
    r"IBU|% ?(?:ABV|alc\.?|vol\.?)"
)
# A drink's strength ("6.8% ABV", "12,5 % vol."): what it is, never a share of anything.
STRENGTH = r"(?:ABV|alc\b|alcohol\b|vol\b)"
UNITS = (
    r"minutes|hours|days|weeks|months|years|seconds|ms|km|miles|mph|"
    r"ans|années|mois|jours|heures|semaines|"
    r"Jahre|Jahren|Jahr|Monate|Monaten|Tage|Tagen|Stunden|Minuten|Wochen|"
    r"años|año|meses|días|horas|minutos|semanas|"
    r"anni|anno|mesi|giorni|ore|minuti|settimane|jaar|jaren|maanden|dagen|uur|weken|anos|ano|dias"
)
# A weight, volume or size is a count of something moved ("2 million lbs of food", "12,000 tons from landfills",
# "850,000 lbs donated"); right before a noun it is what a product is made of or holds ("18 oz organic cotton
# canvas", "500 ml bottle"), and after "up to" what it can hold ("File uploads up to 10 GB"): no proof.
MOVED = (
    rf"(?:{SPEC_UNITS})(?=\s+(?:of|de|d'|di|van|von|from|into|per|a year|each year|donated|diverted|recycled|"
    r"rescued|saved|collected|distributed|delivered|raised|composted|removed)\b)"
)
YEAR = r"(?:1[89]|20)\d\d"
# "Since" before a year, in each language read: "since 1952", "dal 1952", "sinds 1987", "desde 1987".
SINCE = r"since|established|est\.|founded|depuis|seit|gegründet|desde|fundad[oa]s? en|dal|fondat[oa] nel|sinds|opgericht in"


def any_of(*alternatives: str) -> re.Pattern[str]:
    """One case-insensitive pattern from readable alternatives."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)


# What opens a list item or a badge without being part of its claim: ticks, bullets, arrows, a rating's stars,
# and the typed "- " of a list written with line breaks.
BULLETS = "✓✔☑✅•·*→►▶★☆⭐ "
_TYPED_BULLET = re.compile(r"^-\s+(?=\S)")  # a hyphen typed as a bullet; an en or em dash opens a byline


# Emoji and pictographs at either end of a line ("🎉 New members: your first week is free!", "Free delivery 🚚"):
# decoration, not words of the claim, and a creative's fonts have no glyph for them.
_PICTOGRAPH_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0xFE0F, 0xFE0F), (0x200D, 0x200D))


def _decor(char: str) -> bool:
    code = ord(char)
    return char.isspace() or any(lo <= code <= hi for lo, hi in _PICTOGRAPH_RANGES)


def without_pictographs(text: str) -> str:
    """`text` without the emoji at its ends (a scan, not a regex: linear on any run of them)."""
    start, end = 0, len(text)
    while start < end and _decor(text[start]):
        start += 1
    while end > start and _decor(text[end - 1]):
        end -= 1
    return text[start:end]


def unbulleted(text: str) -> str:
    text = without_pictographs(text)
    return _TYPED_BULLET.sub("", text.lstrip(BULLETS)).lstrip(BULLETS)


# A logo wall's lead-in ends on what the logos go on to say: "Trusted by 12,000+ teams at companies like",
# "Used by 500 brands including:". A plain "like" ends a sentence too ("Pick any flavour you like"): only after
# whom it names. Literal spaces (the text is whitespace-collapsed) keep the match linear.
LEAD_IN = re.compile(
    r"(?:,? (?:at|from|in) (?:[\w-]+ ){0,2}(?:companies|brands|teams|businesses|organi[sz]ations|customers|clients) like"
    r"|,? (?:including|such as)|, like) ?:?$",
    re.I,
)


# Opening hours ("Mon-Fri 7:30am - 5:30pm", "Sat 8am - 12pm", "Lun–Ven 8h–18h", "Mo.–Fr. 8–18 Uhr"): when,
# not what. Real day names (whole words) and a time after them.
_DAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    r"lun(?:di)?|mar(?:di)?|mer(?:credi)?|jeu(?:di)?|ven(?:dredi)?|sam(?:edi)?|dim(?:anche)?|"
    r"mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\.?"
)
HOURS = re.compile(
    rf"^{_DAY}(?:\s*[-–&,/]\s*{_DAY})*:?\s+\d{{1,2}}(?:[:.h]\d{{2}})?\s*(?:am|pm|h|uhr)?\s*[-–]\s*\d",
    re.I,
)

# A rating on a review site: "4.7 on Yelp", "4.9★ on Google".
RATED_ON = re.compile(
    r"(?<![#\w])[1-5](?:[.,]\d\s?(?:★|stars?|sterne|étoiles|estrellas|stelle|sterren|estrelas)?|"
    r"\s?(?:★|stars?|sterne|étoiles|estrellas|stelle|sterren|estrelas))\s+"
    r"(?:on|auf|sur|en|su|op|no|em)\s+(?:Google|Yelp|Tripadvisor|Trustpilot|G2|Capterra|"
    r"Facebook|Houzz|Airbnb|Booking\.com|the App Store|Google Play|Etsy|Amazon|Checkatrade|ProvenExpert)\b",
    re.I,
)

# Words that make "up to ..." a claim of degree ("Up to 3x faster builds"), not a plan's allowance.
COMPARATIVES = (
    r"faster|quicker|better|whiter|brighter|cleaner|cheaper|bigger|longer|stronger|higher|lower|smaller|greater|"
    r"more|less|fewer|sooner|warmer|cooler|lighter|safer"
)
# Order matters: the first kind that matches names the fact.
KINDS: list[tuple[str, re.Pattern[str]]] = [
    # A plan's allowance ("Up to 5 invoices a month", "Unlimited projects"), not "Up to 50% off" (an offer) or
    # "Up to eight shades whiter" (a claim).
    ("plan", any_of(rf"^(?:up to [\d,.]+\s?[kKMGT]?B?|unlimited)\b(?!.*%)(?!.*\b(?:{COMPARATIVES})\b)")),
    (
        "certification",
        any_of(
            r"\bSOC ?[12]\b",
            r"\bISO ?\d{4,5}\b",
            r"\bGDPR\b",
            r"\bHIPAA\b",
            r"\bPCI[- ]DSS\b",
            r"\bB Corp",
            r"\b(certified|accredited|licen[cs]ed|insured|bonded|compliant|approved by)\b",
            r"\bregistered (charity|nonprofit|non-profit)\b",
            r"\b501\(c\)\(3\)",
            r"\b(certifiée?s?|agréée?s?|assurée?s?|zertifiziert\w*|Meisterbetrieb|Innungsbetrieb|versichert|"
            r"certificad[oa]s?|homologad[oa]s?|asegurad[oa]s?|acreditad[oa]s?|certificat[oa]|certificazione|gecertificeerd|erkend)\b",
            r"\b(AOP|AOC|IGP|DOP|Label Rouge|Demeter|Bioland|fellow of the|diplomate of the|board[- ]certified)\b",
        ),
    ),
    (
        "guarantee",
        any_of(
            r"\b(guarantee[ds]?|money-back|refunds?|warrant(y|ies)|risk-free|free returns?)\b",
            r"(?<!\bno )(?<!\bnot )\breturns? (?:are )?accepted\b|\b\d+[- ]day (?:free |easy )?returns?\b|\beasy returns?\b",
            r"\b(extra|hidden) (charges?|fees?)\b",  # "never an extra charge": a promise, not a price
            # "No contracts, no sign-up fees": what a member is never held to.
            r"\bno (long[- ]term )?(contracts?|commitments?)\b|\bno (sign-?up|set-?up|joining|enrol?ll?ment|"
            r"initiation|cancell?ation) fees?\b",
            r"\b(sans engagement|ohne (Vertragsbindung|Mindestlaufzeit)|sin permanencia)\b",
            r"\b(garantie|garanti(e|es|s)?|satisfait ou rembours\w*|Garantie|garantiert|Geld-zurück\w*|"
            r"garant[ií]a|garantizad[oa]s?|devoluci[oó]n|garanzia|garantit[oa]|soddisfatti o rimborsati|garantia|"
            r"niet goed,? geld terug)\b",
        ),
    ),
    (
        "award",
        any_of(
            r"\b(awards?|award-winning|winner|voted|named (a|the)|rated|ratings?|Leader in|best [a-z]+ of|top \d+)\b",
            # "won" an award, not "3,000+ cases won" (a count of a law firm's results: a stat)
            r"(?<!\bcases )(?<!\btrials )(?<!\bclaims )(?<!\bappeals )(?<!\blawsuits )(?<!\bverdicts )(?<!\bmatters )"
            r"\bwon\b(?!['’]t)",
            r"\bnamed\b.*\b(best|top|leader)\b",
            r"\b(\d|five|four)-star\b",
            # "Recommended by the Michelin Guide", "Consigliati dalla Guida Michelin 2025"
            r"\b(recommended|consigliat[oaie]|recommandée?s?|empfohlen|recomendad[oa]s?|aanbevolen) "
            r"(by|dalla?|dal|dai|par|von|vom|por|pela|pelo|door)\b",
            r"\b(primée?s?|médaille\w*|élue?s?|ausgezeichnet|Auszeichnung\w*|preisgekrönt|prämiert|premiad[oa]s?|"
            r"galardonad[oa]s?|premios?|premiat[oa]|medaglia|vincitore|ha vinto|bekroond|winnaar|prêmio|medalha|"
            r"vencedor)\b",
        ),
    ),
    (
        "trial",
        any_of(
            r"\bfree trial\b",
            r"\b\d+[- ]day (free )?trial\b",
            r"\bno credit card\b",
            r"\bfree (for|tier|plan|forever)\b",
            r"\b(essai gratuit|kostenlos testen|gratis testen|prueba gratuita|prova gratuita|gratis proberen|"
            r"proefperiode|teste grátis|avaliação gratuita)\b",
        ),
    ),
    (
        # Money won or raised is a result, not a price: "Over $250 Million Recovered", "$4.2M in settlements".
        "stat",
        any_of(
            rf"{CUR}\s?{_N}\s?(?:million|billion|thousand|mio\.?|k|m|bn)?\+?\s+(?:recovered|secured|raised|saved|"
            rf"collected|in (?:verdicts|settlements|recoveries|funding|donations|sales|revenue|savings))\b",
            rf"\b(?:recovered|secured|raised|saved|collected)\s+(?:over\s+|more than\s+|nearly\s+)?{CUR}",
        ),
    ),
    (
        "price",
        any_of(
            PRICE.pattern,
            rf"\b{_N}\s?% (off|de (réduction|remise|descuento)|Rabatt)\b",
            # "Free US shipping", "free next-day delivery"; not "gluten-free breads and delivery", "free to request delivery"
            r"(?<![\w-])free (?!to\b)(?:[\w-]+ ){0,2}?(shipping|delivery)\b",
            r"\bsave \d+ ?%",
            r"\b(livraison (gratuite|offerte)|kostenlose[rn]? (Versand|Lieferung)|versandkostenfrei|"
            r"env[ií]o (gratis|gratuito)|entrega gratuita|spedizion[ei] gratuit[ae]|consegna gratuita|"
            r"gratis verzend\w*|gratis bezorg\w*|verzending gratis|frete grátis|envio grátis|portes grátis)\b",
        ),
    ),
    # A class's or a room's size ("Classes capped at 12 students", "seats up to 40 guests"): a detail, not a count of
    # customers.
    (
        "feature",
        any_of(rf"\b(?:capped at|limited to|no more than|maximum of|(?:seats|sleeps|accommodates|hosts) up to)\s+{_N}\b"),
    ),
    (
        "customers",
        any_of(
            rf"\b{_N}\+?\s?(k|m|million|thousand|mille|millions?|Mio\.?|mil)?\s+(\w+\s)?({COUNTED})\b",
            r"\bteam of \d+",
            rf"\btrusted by\s+(more than\s+|over\s+)?{_N}\+?",
            rf"\b{_N}\+?\s?(k|m|million|thousand)?\s+\w+s\s+(use|trust|rely on|choose|love|read|joined)\b",
        ),
    ),
    (
        # A rate with no price written as one ("billed per month"), once a count of people per month is ruled out
        # ("Mais de 12.000 clientes atendidos por mês" is proof, not a price).
        "price",
        any_of(
            r"\bper (month|year|hour|visit)\b",
            r"/(mo|month|year|hr)\b",
            r"\b(par mois|pro Monat|al mes|al mese|per maand|por mês)\b",
        ),
    ),
    (
        "founded",
        any_of(
            rf"\b(founded|established|since|est\.|serving .* since)\s+(in\s+)?{YEAR}\b",
            rf"\b(began|started|opened|launched|founded|built)\b.{{0,40}}\bin {YEAR}\b",
            rf"\b{YEAR}\b.{{0,60}}\b(gegründet|eröffnet|übernommen|gebaut|erbaut)\b",
            rf"\b(a ouvert|ouvert|ouverte|abri[oó]|abierto|eröffnet)\b.{{0,40}}\b(en|in|im|el)\s+{YEAR}\b",
            rf"\b(depuis|seit|desde|fondée?|créée?|gegründet|fundad[oa])\s+(en\s+|in\s+|im\s+(Jahr\s+)?|el\s+(año\s+)?)?{YEAR}\b",
            rf"\b(dal|sinds|fondat[oa] nel|opgericht in|fundad[oa] em)\s+{YEAR}\b",  # it, nl, pt
        ),
    ),
    (
        "security",
        any_of(r"\b(encrypt\w*|TLS|AES-\d+|penetration test\w*|two-factor|2FA|SSO|SAML|uptime|SLA|open[- ]source)\b"),
    ),
    (
        "service",  # a promise of speed or availability
        any_of(
            r"\b(same[- ](day|week)|next[- ]day|next morning|before noon|24/7|round[- ]the[- ]clock|overnight)\b",
            r"\b(before|by) \d{1,2}\s?(am|pm)\b",
            r"\b(le jour même|en 24 ?h|am selben Tag|innerhalb von \d+|en el día|en 24 ?horas|in giornata|"
            r"dezelfde dag|binnen \d+ (minuten|uur)|no mesmo dia|morgen in huis|morgen bezorgd|vandaag verzonden|"
            r"morgen geliefert|heute versandt|demain chez vous|mañana en casa|domani a casa)\b",
        ),
    ),
    (
        "stat",
        any_of(
            rf"\b{_N}\s?%(?!\s?{STRENGTH})",
            rf"\b{_N}\s?(x|×)\b",
            r"\b\d+(\.\d+)?\s?(out of|/)\s?(5|10)\b",
            RATED_ON.pattern,
            rf"\b{_N}\+?\s+({UNITS})\b",
            rf"(?<!\bup to )\b{_N}\+?\s+{MOVED}",
            rf"\b{_N}\s?(million|billion|millions?|milliards?|Millionen|Milliarden|millones)\b",
            rf"\b{_N}\s+cents\b",
            rf"\b(more than|over|nearly|almost|at least|plus de|près de|au moins|mehr als|über|fast|mindestens|"
            rf"más de|casi|al menos|più di|oltre|almeno|meer dan|ruim|bijna|minstens|mais de|quase|pelo menos)\s+{_N}\b",
        ),
    ),
    # A product's measure ("18 oz organic cotton canvas", "Weighs just 340 g empty"): a checkable detail of it, no proof.
    # A measure alone ("2,640 sqft" on a listing card) says nothing of what it measures.
    ("feature", any_of(rf"^(?!\W*{_N}\s?(?:{SPEC_UNITS})\W*$).*\b{_N}\s?(?:{SPEC_UNITS})\b")),
]
# What comes with the service at no extra charge: "All mats, blocks and straps are provided.", "Tools
# included", "Free parking", "tout compris", "Material inklusive", "todo incluido".
INCLUDED = any_of(
    r"\b(provided|included|supplied|on the house|all[- ]inclusive|at no extra (cost|charge))\b",
    r"^(?:it |each \w+ |every \w+ |the \w+ )?(?:includes|comes with)\b",  # "Includes 42 HD video lessons, ..."
    r"^free (?!(estimates?|quotes?|trials?|shipping|delivery|returns?)\b)[a-z-]+( [a-z-]+)?$",
    r"\b(tout compris|compris dans|inclus|incluse?s|fourni(e|s|es)?|à disposition)\b",
    r"\b(inklusive|inkl\.|enthalten|inbegriffen|gestellt|zur Verfügung gestellt)\b",
    r"\b(incluid[oa]s?|todo incluido|proporcionad[oa]s?|a tu disposición)\b",
    r"\b(inclus[oi]|compres[oi]|inbegrepen|incluído|incluídos)\b",
)
# A visitor's instructions and house rules ("Cancel up to 12 hours before class", "Commandez vos gâteaux
# 48 heures à l'avance"): numbers in them are terms, not proof.
INSTRUCTION = re.compile(
    r"^(please|cancel|arrive|bring|call us|email us|write to us|order \w+ \d+ (hours|days) (ahead|in advance)|"
    r"merci de|commandez|réservez|écrivez|appelez|annulez|arrivez|prévoyez|"
    r"bitte|bestellen Sie|rufen Sie|stornieren Sie|kommen Sie|"
    r"por favor|reserve|llame|escr[ií]benos|cancele|llegue|pide)\b",
    re.I,
)
# The short question a statement answers, joined to it (facts.with_premises): "First class? " in "First
# class? Arrive 10 minutes early". What follows it is what the site says.
PREMISE = re.compile(r"^[¿¡]?[^?.!]{1,40}\?\s+")
# "Quillpad is a note-taking app...": what the brand is, said by its name (not "This is a...").
ABOUT = re.compile(
    r"^(?!(?i:this|it|that|there|our|we|he|she|they|every|all|each|the|you|your)\b)[A-Z][\w&'’.-]*"
    r"(?: [A-Z][\w&'’.-]*){0,3} (?:is|are|est|ist|es) (?:a|an|une?|ein|eine|una?) ",
)
NOT_FACT = re.compile(
    r"(©|\ball rights reserved\b|\bcookies?\b|\bprivacy\b|\bjavascript\b|\bpublished\b|\bDatenschutz\w*|"
    r"\bconfidentialité\b|\bprivacidad\b|\bRGPD\b|\bDSGVO\b|\bmentions légales\b|\bImpressum\b|\baviso legal\b|"
    r"\b(MwSt|USt|zzgl|TVA|TTC|IVA|VAT|btw|KvK|plus tax|excl\. tax|incl\. tax)\b|"
    # A disclaimer's negated promise: "Past results do not guarantee a similar outcome".
    r"\b(do|does|can|will)\s?n[o']t guarantee\b|\bcannot guarantee\b|\bno guarantee\b|\battorney advertising\b|"
    # A review's date, as its widget writes it: "2 weeks ago", "il y a 2 semaines", "vor 3 Tagen", "hace un mes".
    r"^(?:(?:\d+|a|an|one) (?:minute|hour|day|week|month|year)s? ago|il y a (?:\d+|un|une) \w+|"
    r"vor (?:\d+|einem|einer) \w+|hace (?:\d+|un|una) \w+)$|"
    # A range and nothing else ("6 weeks – 12 months", "Ages 4 – 5 years"): a card's particular, no claim.
    rf"^(?:ages?\s+)?\d[\d.,]*\s*(?:{UNITS}|weeks?|months?|years?|yrs?)?\s*[–—-]\s*\d[\d.,]*\s*(?:{UNITS}|weeks?|months?|years?|yrs?)$)",
    re.I,
)


# A question that asks something ("Do you work weekends?") is an FAQ's, never copy; a short one that does
# not ("Late arrival?", "Hail damage?", "Un retard ?") is the condition the next sentence depends on.
ASKING = re.compile(
    r"^(do|does|did|can|could|is|are|was|will|would|should|how|what|when|where|why|who|which|peut-on|"
    r"est-ce|pouvez|puis|faut|quand|comment|où|pourquoi|quel\w*|"
    r"gibt|kann|können|ist|sind|wie|was|wann|wo|warum|welche\w*|"
    r"hay|puedo|puede|cuándo|cómo|dónde|qué|cuál\w*|por qué)\b",
    re.I,
)


# An item a site shows that is not for its customers: a test product, staff-only, lorem ipsum, "do not
# buy". One pattern for the cards (such a card is dropped), the copy filter (never material) and the
# copy lint (a placeholder fault), which each had their own.
INTERNAL = re.compile(
    r"\b(?:test|testing|dummy|sample) (?:item|product|listing|sku|order|page|post|entry|text)\b|\bdummy\b|"
    r"^\s*[\[(]?test[\])]?\s*(?:[-–:|.,!?;]|$)|[\[(]test[\])]|"
    r"\b(?:staff|internal|employees?)[- ]only\b|\binternal use\b|\bplaceholder\b|\blorem ipsum\b|\bdolor sit amet\b|"
    r"\bdo not (?:buy|purchase|order)\b|\bnot for sale\b|\bne pas (?:acheter|commander)\b|\bnicht (?:kaufen|bestellen)\b|"
    r"\bno (?:comprar|pedir)\b",
    re.I,
)

# Class words of a row of other organisations' logos (customers, partners, press, investors, stores);
# "_" and digits separate words too ("client_logos", "partners2").
LOGO_WALL = re.compile(
    r"(?<![a-z])(logos|logo[-_ ]?(?:wall|grid|strip|cloud|list|row|bar|carousel|slider|marquee)|clients?|customers?|partners?|"
    r"trusted|press|featured|as[-_ ]?seen|sponsors?|investors?|backers?|brands|kunden|referenzen|partenaires|clientes)(?![a-z])",
    re.I,
)

# Names a Title Case label may carry ("5-Star Google Reviews"): said as running text, they keep their capital.
# Review sites first: testimonials.py strips their badges from reviewers' names.
REVIEW_SITES = ("google", "yelp", "facebook", "trustpilot", "tripadvisor", "houzz", "nextdoor", "angi")
KNOWN_NAMES = frozenset({*REVIEW_SITES, "amazon", "etsy", "instagram", "youtube", "tiktok", "linkedin", "shopify", "apple"})
