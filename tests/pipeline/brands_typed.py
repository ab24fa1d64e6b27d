"""Hand-built brand profiles with typed facts, shaped like the real sites of issues 14 and 15.

Extraction is tested on the fixture sites; these let the copy tests say exactly what material a
writer has: typed stats, prices with their product, offers with terms, testimonials with authors,
and the boilerplate (headings, buttons, legal text) that must never become copy.
"""

from __future__ import annotations

from brandtruth.pipeline.models import BrandProfile, Fact, Testimonial


def fact(
    fid: str,
    kind: str,
    text: str,
    evidence: str = "",
    region: str = "section",
    subject: str = "",
    value: str = "",
    disputed: bool = False,
) -> Fact:
    return Fact(
        id=fid,
        kind=kind,
        text=text,
        evidence=evidence or text,
        source_url="https://site.example/",
        region=region,
        subject=subject,
        value=value,
        disputed=disputed,
    )


def roofer() -> BrandProfile:
    return BrandProfile(
        url="https://summit.example/",
        name="Summit Roofing",
        language="en",
        business_type="roofing contractor",
        tagline="Roofs built for Colorado weather",
        primary_cta="Get a Free Estimate",
        ctas=["Get a Free Estimate", "Call Me Back", "Our Services", "Submit"],
        description="Summit Roofing repairs and replaces residential and commercial roofs across Boulder County.",
        headings=["Roofs built for Colorado weather", "What Our Customers Say", "Our Services", "Request a Callback", "About Us"],
        value_props=["Our crews are employees, not subcontractors, and every project is run by a certified project manager"],
        features=["Roof Repair", "Roof Inspection", "Gutter Services"],
        testimonials=[
            Testimonial(
                quote="After the June hailstorm they had a crew on our roof within a day and handled the "
                "whole insurance claim for us.",
                author="Dana Whitfield",
                place="Longmont",
            ),
            Testimonial(
                quote="Clear quote, no surprises, and they cleaned up every last nail.", author="Luis Ortega", place="Boulder"
            ),
        ],
        facts=[
            fact(
                "f1",
                "stat",
                "1000+ Projects Completed",
                "1000+ Projects Completed",
                region="stat",
                subject="Projects Completed",
                value="1000+",
            ),
            fact(
                "f2",
                "stat",
                "98% Customer Satisfaction",
                "98% Customer Satisfaction",
                region="stat",
                subject="Customer Satisfaction",
                value="98%",
            ),
            fact(
                "f3",
                "offer",
                "0% financing for 12 months on approved credit",
                "0% financing for 12 months on approved credit for any full replacement.",
            ),
            fact(
                "f4",
                "price",
                "Roof inspection $149",
                "Roof inspection $149 Includes a written report",
                region="pricing",
                subject="Roof inspection",
                value="$149",
            ),
            fact(
                "f5",
                "price",
                "Gutter cleaning $129–$249",
                "Gutter cleaning $129–$249 Single-storey homes",
                region="pricing",
                subject="Gutter cleaning",
                value="$129–$249",
            ),
            fact(
                "f6",
                "founded",
                "Summit Roofing was started in 2013 by Jake Moreno, a third-generation roofer from Lyons",
                "Summit Roofing was started in 2013 by Jake Moreno, a third-generation roofer from Lyons.",
            ),
            fact(
                "f7",
                "guarantee",
                "We offer a 25-year workmanship warranty on full replacements",
                "We are GAF Certified, which lets us offer a 25-year workmanship warranty on full replacements.",
            ),
            fact("f8", "founded", "Opened 1995", "Opened 1995", disputed=True),
            fact("f9", "claim", "Your information will be processed in line with GDPR", region="form"),
        ],
    )


def plumber_with_offer() -> BrandProfile:
    return BrandProfile(
        url="https://clearflow.example/",
        name="ClearFlow Plumbing",
        language="en",
        business_type="plumbing",
        tagline="Fast, honest plumbing in Tacoma",
        primary_cta="Book a plumber",
        ctas=["Book a plumber", "Request a Callback"],
        headings=["Our Pricing", "What Our Customers Say"],
        features=["Drain cleaning", "Water heater installation", "Leak detection"],
        offers=["$25 off your first drain cleaning"],
        testimonials=[
            Testimonial(
                quote="They cleared our kitchen drain in twenty minutes and explained what caused it.",
                author="Priya S.",
                place="Tacoma",
            )
        ],
        facts=[
            fact("f1", "offer", "$25 off your first drain cleaning", "Get $25 off your first drain cleaning."),
            fact(
                "f2",
                "price",
                "Drain Clear $129–$249",
                "Drain Clear $129–$249 Single fixture",
                region="pricing",
                subject="Drain Clear",
                value="$129–$249",
            ),
            fact(
                "f3",
                "price",
                "Water Heater Flush $149",
                "Water Heater Flush $149",
                region="pricing",
                subject="Water Heater Flush",
                value="$149",
            ),
            fact(
                "f4",
                "stat",
                "4,200 homes served",
                "4,200 homes served across Pierce County",
                region="stat",
                subject="homes served",
                value="4,200",
            ),
            fact(
                "f5",
                "guarantee",
                "Every repair is guaranteed for two years",
                "Every repair is guaranteed for two years, parts and labour.",
            ),
            fact(
                "f6",
                "founded",
                "ClearFlow was founded in 2008 by master plumber Ana Ruiz",
                "ClearFlow was founded in 2008 by master plumber Ana Ruiz.",
            ),
        ],
    )


def boulangerie() -> BrandProfile:
    return BrandProfile(
        url="https://lumiere.example/",
        name="Boulangerie Lumière",
        language="fr",
        business_type="boulangerie",
        tagline="Le pain au levain, cuit chaque matin à Lyon",
        primary_cta="Commander un gâteau",
        ctas=["Commander un gâteau", "Ajouter au panier", "Où nous trouver"],
        headings=["Où nous trouver", "Une question ? Un événement ?", "Nos produits"],
        description="Boulangerie artisanale au cœur de la Croix-Rousse, à Lyon.",
        testimonials=[
            Testimonial(
                quote="Le meilleur pain de campagne du quartier, et toujours un sourire.", author="Claire M.", place="Lyon 4e"
            )
        ],
        facts=[
            fact(
                "f1",
                "founded",
                "Depuis plus de 20 ans, nous pétrissons tout à la main",
                "Depuis plus de 20 ans, nous pétrissons tout à la main.",
            ),
            fact(
                "f2",
                "price",
                "Baguette tradition 1,30 €",
                "Baguette tradition 1,30 €",
                region="pricing",
                subject="Baguette tradition",
                value="1,30 €",
            ),
            fact(
                "f3",
                "price",
                "Pain de campagne 4,50 €",
                "Pain de campagne 4,50 €",
                region="pricing",
                subject="Pain de campagne",
                value="4,50 €",
            ),
            fact(
                "f4",
                "claim",
                "Nos farines viennent de moulins de la région Auvergne-Rhône-Alpes",
                "Nos farines viennent de moulins de la région Auvergne-Rhône-Alpes.",
            ),
            fact("f5", "offer", "Livraison offerte dès 30 € d'achat", "Livraison offerte dès 30 € d'achat."),
        ],
    )


def schreinerei() -> BrandProfile:
    return BrandProfile(
        url="https://bergwerk.example/",
        name="Bergwerk Schreinerei",
        language="de",
        business_type="Schreinerei",
        tagline="Möbel aus Massivholz, gebaut für Generationen",
        ctas=["Kontakt", "Mehr lesen"],
        headings=["Über uns", "Unsere Leistungen"],
        features=["Einbauschränke nach Maß", "Küchen aus Eiche und Nussbaum", "Treppen und Geländer"],
        testimonials=[
            Testimonial(
                quote="Unser Einbauschrank passt auf den Millimeter und sieht aus wie am ersten Tag.",
                author="Familie Huber",
                place="Rosenheim",
            )
        ],
        facts=[
            fact(
                "f1",
                "founded",
                "Seit 1987 bauen wir Möbel in unserer Werkstatt in Rosenheim",
                "Seit 1987 bauen wir Möbel in unserer Werkstatt in Rosenheim.",
            ),
            fact("f2", "stat", "Über 2.000 Küchen und Schränke gebaut", "Über 2.000 Küchen und Schränke gebaut."),
            fact(
                "f3",
                "guarantee",
                "Auf jedes Möbelstück geben wir 10 Jahre Garantie",
                "Auf jedes Möbelstück geben wir 10 Jahre Garantie.",
            ),
        ],
    )


def olivar() -> BrandProfile:
    return BrandProfile(
        url="https://olivar.example/",
        name="Casa Olivar",
        language="es",
        business_type="tienda de aceite",
        tagline="Aceite de oliva virgen extra de nuestra finca en Jaén",
        ctas=["Añadir al carrito", "Comprar"],
        headings=["Sobre nosotros", "Nuestros productos"],
        testimonials=[
            Testimonial(
                quote="El aceite más sabroso que hemos probado, y llegó en dos días.", author="Marta G.", place="Valencia"
            )
        ],
        facts=[
            fact("f1", "founded", "Cultivamos olivos en Jaén desde 1962", "Cultivamos olivos en Jaén desde 1962."),
            fact(
                "f2",
                "price",
                "Picual 500 ml 12,50 €",
                "Picual 500 ml 12,50 €",
                region="pricing",
                subject="Picual 500 ml",
                value="12,50 €",
            ),
            fact("f3", "offer", "Envío gratis en pedidos de más de 40 €", "Envío gratis en pedidos de más de 40 €."),
            fact(
                "f4",
                "claim",
                "Cosechamos a mano y prensamos en frío el mismo día",
                "Cosechamos a mano y prensamos en frío el mismo día.",
            ),
        ],
    )


def polish() -> BrandProfile:
    """A language the offline writer has no words of its own for."""
    return BrandProfile(
        url="https://piekarnia.example/",
        name="Piekarnia Nowak",
        language="pl",
        business_type="bakery",
        tagline="Świeży chleb każdego ranka w Krakowie",
        ctas=["Zamów teraz"],
        features=["Chleb na zakwasie", "Drożdżówki z serem", "Torty na zamówienie"],
        facts=[
            fact("f1", "founded", "Od 1974 roku pieczemy chleb na zakwasie", "Od 1974 roku pieczemy chleb na zakwasie."),
            fact(
                "f2",
                "price",
                "Chleb żytni 9,50 zł",
                "Chleb żytni 9,50 zł",
                region="pricing",
                subject="Chleb żytni",
                value="9,50 zł",
            ),
            fact("f3", "claim", "Używamy tylko mąki z młynów w Małopolsce", "Używamy tylko mąki z młynów w Małopolsce."),
        ],
    )


def italian() -> BrandProfile:
    return BrandProfile(
        url="https://forno.example/",
        name="Forno Bianchi",
        language="it",
        business_type="bakery",
        tagline="Pane fresco ogni mattina a Bologna",
        ctas=["Ordina ora"],
        features=["Pane di grano duro", "Focaccia genovese", "Torte su ordinazione"],
        facts=[
            fact("f1", "founded", "Dal 1974 facciamo il pane con lievito madre", "Dal 1974 facciamo il pane con lievito madre."),
            fact("f2", "price", "Focaccia 3,50 €", "Focaccia 3,50 €", region="pricing", subject="Focaccia", value="3,50 €"),
            fact(
                "f3",
                "claim",
                "Usiamo solo farine macinate a pietra in Emilia-Romagna",
                "Usiamo solo farine macinate a pietra in Emilia-Romagna.",
            ),
        ],
    )
