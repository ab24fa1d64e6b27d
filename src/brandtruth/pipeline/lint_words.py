"""Word lists for the copy lint (pipeline/lint.py): UI labels, headings, legal text, stock phrases, languages.

Kept apart from the checks so a reviewer can read and extend the vocabulary without reading regexes.
Every list is lowercase; multi-word entries are matched as phrases on word boundaries.
"""

from __future__ import annotations

# Button labels and interface strings: never ad copy. Matched anywhere in the copy.
UI_PHRASES = (
    "add to cart",
    "add to basket",
    "add to bag",
    "add to wishlist",
    "view cart",
    "view basket",
    "read more",
    "skip to content",
    "skip to main content",
    "toggle navigation",
    "quick view",
    "quick shop",
    "select options",
    "choose options",
    "back to top",
    "load more",
    "show more",
    "click here",
    "log in",
    "sign in",
    "my account",
    "proceed to checkout",
    "continue shopping",
    "send message",
    "submit form",
    "ajouter au panier",
    "lire la suite",
    "voir le panier",
    "in den warenkorb",
    "zum warenkorb",
    "weiterlesen",
    "mehr lesen",
    "añadir al carrito",
    "agregar al carrito",
    "leer más",
    "ver carrito",
)
# Interface words that are a fault when they stand alone as a whole sentence, headline or button.
UI_WORDS = frozenset(
    {
        "submit",
        "menu",
        "close",
        "next",
        "previous",
        "prev",
        "search",
        "login",
        "logout",
        "checkout",
        "cart",
        "more",
        "continue",
        "ok",
        "cancel",
        "send",
        "go",
        "home",
        "back",
        "envoyer",
        "valider",
        "absenden",
        "senden",
        "weiter",
        "enviar",
        "siguiente",
        "suivant",
        "panier",
        "warenkorb",
        "carrito",
        "read more",
        "click here",
    }
)

# Section headings and form titles that say nothing on their own.
GENERIC_HEADINGS = (
    r"what (our|my) (customers|clients|patients|members|neighbou?rs|guests|students|users) (say|think)",
    r"(our|the) (services|products|story|team|mission|values|work|menu|programs|programmes|impact|history)",
    r"about( us)?",
    r"contact( us)?",
    r"get in touch",
    r"request a (call ?back|quote|callback|consultation)",
    r"(frequently asked questions|faqs?)",
    r"why choose us",
    r"meet (the|our) team",
    r"testimonials?",
    r"(customer )?reviews",
    r"(our )?pricing",
    r"(our )?features",
    r"(our )?gallery",
    r"(our )?location(s)?",
    r"(opening )?hours",
    r"find us",
    r"follow us",
    r"(sign up for|join) our newsletter",
    r"newsletter",
    r"(latest )?news",
    r"(our )?blog",
    r"how it works",
    r"(book|make) an appointment",
    r"send us a message",
    r"leave a (message|review)",
    r"directions",
    r"guestbook",
    r"welcome( to [\w' &.-]+)?",
    r"shop all",
    r"bestsellers?",
    r"(featured|popular) products",
    r"quick ?start",
    r"areas we serve",
    r"service areas?",
    r"(nos|notre) (services|produits|histoire|équipe|valeurs)",
    r"à propos",
    r"contactez[- ]nous",
    r"où nous trouver",
    r"horaires",
    r"ce que disent nos clients",
    r"über uns",
    r"unsere (leistungen|produkte)",
    r"kontakt",
    r"so finden sie uns",
    r"öffnungszeiten",
    r"sobre nosotros",
    r"(nuestros|nuestras) (servicios|productos)",
    r"contacto",
    r"dónde estamos",
    r"horario",
    r"(das sagen|was sagen) unsere kunden",
    r"was unsere kunden sagen",
    r"lo que dicen nuestros clientes",
    r"(nos|unsere|nuestros) (engagements|valeurs|werte|valores)",
    r"(why|warum|pourquoi|por qué|¿por qué) [\w&'’. -]{2,40}",
    r"get help",
    r"(what we do|who we are|how we help|our promise)",
)

# Legal, consent, cookie and privacy text.
LEGAL = (
    r"cookies?",
    r"gdpr",
    r"rgpd",
    r"dsgvo",
    r"privacy( policy| notice)?",
    r"terms (of (service|use)|and conditions|& conditions)",
    r"personal data",
    r"data protection",
    r"your (information|data|details) (will|may) be (processed|stored|used)",
    r"processed in (line|accordance) with",
    r"all rights reserved",
    r"©",
    r"by (submitting|clicking|signing up)",
    r"unsubscribe at any time",
    r"consent",
    r"legal notice",
    r"impressum",
    r"datenschutz",
    r"agb",
    r"mentions légales",
    r"politique de confidentialité",
    r"données personnelles",
    r"cgv",
    r"aviso legal",
    r"política de privacidad",
    r"protección de datos",
    r"datos personales",
    r"mwst\.?",
    r"zzgl\.?",
)

# Placeholders only copy has (an internal item of the site is extract/lexicon.INTERNAL, checked beside these).
PLACEHOLDERS = (
    r"tbd",
    r"tba",
    r"(?-i:TODO)",  # in capitals: "todo" is Spanish and Portuguese for "everything"
    r"do not use",
    r"x{3,}",
    r"asdf",
    r"your (text|headline|title) here",
)

# Words that name nothing on their own: stock ad phrasing in every language we write.
STOCK = frozenset(
    (
        "see how works work working explore inside take look closer discover story find out learn more "
        "why here here's heres meet miss don't dont fuss everything need needs place one tour get started "
        "today now check what's whats whole lot thing things stuff great amazing awesome best better way "
        "ways something everyone anything click waiting wait ready come join us try let let's lets start "
        "journey experience difference new world life découvrez découvrir savoir voir comment marche "
        "fonctionne entdecken entdecke mehr erfahren jetzt sehen descubre descubra saber ver cómo "
        "funciona más plus ici hier aquí tout alles todo question looking show événement "
    ).split()
)

# Function words of each language we check. Only words that are not also common words of another
# of the four, so one word is evidence for one language. Italian, Dutch and Portuguese copy is not checked:
# their everyday words ("una", "con", "para", "desde", "is", "we") are these languages' function words.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        (
            "the and with your you our is are how what it its works looking inside take look more of to for "
            "from this that we get have has here's why now learn book sign started contact us today see "
            "explore discover find out every all be can will by at their they than just been was were which "
            "who what's don't start free trial order buy call join read request quote "
        ).split()
    ),
    "fr": frozenset(
        (
            "le les du et est pour avec vous votre vos nous notre nos une où qui dans sur au aux ce cette ces "
            "sont mais très depuis chez ans nouveau nouvelle découvrez commandez réservez savoir ou être fait "
            "faites leur leurs tous toutes chaque jour jours "
        ).split()
    ),
    "de": frozenset(
        (
            "der das und ist mit für ihr ihre wir unser unsere unseren sie nicht auch auf bei zum zur seit "
            "jahre jahren ein eine einen dem von im sind jetzt mehr erfahren oder wie aus nach über ihren "
            "ihrem jede jeden alle werden wird haben "
        ).split()
    ),
    "es": frozenset(
        (
            "el los las y con para por su sus nuestro nuestra nuestros nuestras está somos una del al desde "
            "años más tus usted muy cada todos todas hoy ahora pide reserva descubre también hecho hecha "
        ).split()
    ),
}
SUPPORTED_LANGUAGES = frozenset(FUNCTION_WORDS)

# Camel-cased names that are spelled that way on purpose (not glued words).
CAMEL_NAMES = frozenset(
    (
        "github youtube linkedin wordpress paypal javascript typescript postgresql macbook iphone ipad "
        "whatsapp tiktok hubspot soundcloud doordash openai chatgpt quickbooks woocommerce bigcommerce "
        "sharepoint powerpoint devops fedex jetbrains airpods mailchimp shopify squarespace instagram "
        "facebook airbnb ubereats grubhub opentable trustpilot homeadvisor angieslist google mysql "
        "graphql nodejs fastapi tripadvisor thefork yelp bookingcom homestars thumbtack zocdoc justeat deliveroo "
        "skipthedishes gofundme crossfit soulcycle playstation hellofresh mastercard nerdwallet clickup onedrive "
        "icloud ebay dewalt mongodb gitlab youtuber facetime macos ios ipados watchos treatwell fresha planity "
        "doctolib "
    ).split()
)

# A sentence ending on one of these stopped half way.
DANGLING = frozenset(
    (
        "a an the and or our your their its of from than with we & le la les des et ou notre votre nos "
        "vos une un pour avec der die das und oder mit für ein eine unser unsere ihr ihre el los las y o "
        "con para nuestro nuestra su sus una del "
    ).split()
)
