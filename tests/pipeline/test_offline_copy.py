"""The offline copywriter on typed material: the brand's strongest line per angle, its own sentences,
its own CTA or the standard one in its language, never headings, buttons, legal text or stock filler."""

from __future__ import annotations

import re

import pytest

from brandtruth.pipeline.extract import build_profile
from brandtruth.pipeline.extract.page import parse_page
from brandtruth.pipeline.generate import allowed_ctas, generate_copy
from brandtruth.pipeline.llm import OfflineProvider
from brandtruth.pipeline.llm.base import Draft
from brandtruth.pipeline.llm.headlines import headline_forms
from brandtruth.pipeline.llm.material import customer_proof, gather
from brandtruth.pipeline.llm.offline import _echoes
from brandtruth.pipeline.llm.phrases import cta_subject, intent_of_cta, mentions, standard_cta, standard_ctas
from brandtruth.pipeline.llm.wording import Casing, proper_words
from brandtruth.pipeline.models import BrandProfile, Fact, GenerateInput, GenerateOutput
from brandtruth.pipeline.models import Testimonial as Quote
from tests.pipeline import brands_typed as typed
from tests.pipeline.labelled_brands import labelled_brand, labelled_sites

SUPPORTED = {
    "roofer": typed.roofer,
    "plumber": typed.plumber_with_offer,
    "boulangerie": typed.boulangerie,
    "schreinerei": typed.schreinerei,
    "olivar": typed.olivar,
}
STOCK = (
    "See how it works",
    "Take the tour",
    "Explore what's inside",
    "Everything you need, in one place",
    "See why",
    "Take a look",
    "Learn more about",
    "We can help",
)


async def write(brand: BrandProfile, n: int = 5, platform: str = "meta") -> GenerateOutput:
    return await generate_copy(GenerateInput(run_id="r", brand=brand, num_variants=n, platform=platform), OfflineProvider())


def copy_of(out: GenerateOutput) -> list[str]:
    return [f"{v.headline}\n{v.body}\n{v.description}\n{v.cta}" for v in out.variants]


@pytest.mark.parametrize("platform", ["meta", "google", "linkedin"])
@pytest.mark.parametrize("name", sorted(SUPPORTED))
async def test_every_variant_is_lint_clean_truthful_and_uses_no_disputed_fact(name: str, platform: str) -> None:
    brand = SUPPORTED[name]()
    out = await write(brand, platform=platform)
    # Google's 30-character headlines leave a small brand fewer lines of its own that fit.
    assert len(out.variants) >= (2 if platform == "google" else 3), out.dropped
    disputed = {f.id for f in brand.facts if f.disputed}
    for v in out.variants:
        assert v.lint == [], (v.headline, v.body, v.lint)
        assert v.truth is not None and v.truth.verdict == "supported", v.truth
        assert not disputed & set(v.fact_ids)
        assert v.cta in allowed_ctas(GenerateInput(run_id="r", brand=brand, platform=platform))
    assert len({v.headline for v in out.variants}) == len(out.variants)
    assert out.warnings == []


async def test_headings_buttons_legal_text_and_stock_closers_never_become_copy() -> None:
    brand = typed.roofer()
    out = await write(brand, n=6, platform="linkedin")
    for text in copy_of(out):
        for heading in brand.headings[1:]:  # all but the hero line, which is the tagline
            assert heading.lower() not in text.lower(), (heading, text)
        assert "GDPR" not in text and "Call Me Back" not in text and "Submit" not in text
        assert not any(stock.lower() in text.lower() for stock in STOCK), text
        assert "1995" not in text  # the disputed "Opened 1995"


async def test_each_angle_leads_with_the_brands_strongest_line_for_it() -> None:
    roofer = {v.angle: v for v in (await write(typed.roofer(), n=6, platform="linkedin")).variants}
    assert roofer["benefit"].headline == "Roofs built for Colorado weather"
    assert roofer["social_proof"].headline == "1000+ Projects Completed"  # the stat card, number with its label
    assert roofer["product"].headline in ("Gutter cleaning from $129", "Roof inspection for $149")
    assert re.search(r"” — (Dana Whitfield, Longmont|Luis Ortega, Boulder)$", roofer["testimonial"].body)
    assert roofer["story"].headline.startswith("Summit Roofing") and "2013" in roofer["story"].headline
    plumber = {v.angle: v for v in (await write(typed.plumber_with_offer(), n=5)).variants}
    assert plumber["offer"].headline == "$25 off your first drain cleaning"  # the offer with its terms
    assert plumber["product"].headline == "Drain Clear from $129"  # a range priced from its low end


async def test_headline_never_repeats_the_body_and_variants_differ_in_angle_and_material() -> None:
    out = await write(typed.roofer(), n=5)
    assert len({v.angle for v in out.variants}) >= 4
    for v in out.variants:
        first = re.split(r"(?<=[.!?])\s+", v.body)[0].lower()
        assert v.headline.lower().rstrip(".") not in first
    bodies = [set(re.split(r"(?<=[.!?])\s+", v.body)) for v in out.variants]
    for i, a in enumerate(bodies):
        for b in bodies[i + 1 :]:
            assert a != b


@pytest.mark.parametrize(
    ("profile", "platform", "cta"),
    [
        (typed.roofer, "meta", "Get a Free Estimate"),  # the site's own primary action
        (typed.roofer, "google", "Get Quote"),  # too long for Google's button: the standard one with its intent
        (typed.plumber_with_offer, "meta", "Book a plumber"),
        (typed.schreinerei, "meta", "Angebot anfordern"),  # "Kontakt" is a nav link: the standard CTA for a joiner
        (typed.olivar, "meta", "Comprar"),
    ],
)
async def test_cta_is_the_sites_own_action_or_the_standard_one_in_its_language(profile, platform: str, cta: str) -> None:  # noqa: ANN001
    out = await write(profile(), n=3, platform=platform)
    assert {v.cta for v in out.variants} == {cta}


@pytest.mark.parametrize(
    ("business_type", "ctas", "cta"),
    [
        ("shop", ["Add to Cart", "View cart"], "Shop Now"),
        ("desktop software", [], "Download"),
        ("nonprofit food bank", ["Donate"], "Donate"),
        ("nonprofit food bank", [], "Donate Now"),
        ("yoga studio", ["Read more"], "Book Now"),
    ],
)
async def test_cta_without_a_usable_site_action_matches_the_business(business_type: str, ctas: list[str], cta: str) -> None:
    brand = typed.plumber_with_offer().model_copy(update={"business_type": business_type, "ctas": ctas, "primary_cta": ""})
    out = await write(brand, n=2)
    assert {v.cta for v in out.variants} == {cta}


@pytest.mark.parametrize(("profile", "joiner"), [(typed.boulangerie, " à "), (typed.olivar, " por ")])
async def test_connectives_and_ctas_are_in_the_sites_language(profile, joiner: str) -> None:  # noqa: ANN001
    brand = profile()
    out = await write(brand)
    product = next(v for v in out.variants if v.angle == "product")
    assert joiner in product.headline
    english = set(standard_ctas("en"))
    assert all(v.cta not in english for v in out.variants)
    assert all(" and " not in v.body and " from $" not in v.headline for v in out.variants)


async def test_unsupported_language_warns_and_writes_only_the_sites_own_sentences() -> None:
    brand = typed.polish()
    out = await write(brand, n=3)
    assert out.warnings and "'pl'" in out.warnings[0]
    own = {s.rstrip(".") for f in brand.facts for s in (f.text, f.evidence)} | {brand.name, brand.tagline, *brand.features}
    for v in out.variants:
        assert v.headline in own, v.headline
        assert all(s.rstrip(".") in own for s in re.split(r"(?<=[.!?])\s+", v.body)), v.body
        assert v.cta == "Zamów teraz"


async def test_italian_copy_joins_the_sites_words_in_italian() -> None:
    brand = typed.italian()
    assert [p.text for p in gather(brand).products] == ["Focaccia a 3,50 €"]  # "a", not "for"
    out = await write(brand, n=3)
    assert out.warnings == []
    copy = " ".join(f"{v.headline} {v.body}" for v in out.variants)
    assert "Forno Bianchi offre torte su ordinazione e focaccia genovese." in copy
    assert not re.search(r"\b(for|and|since|from)\b", copy)
    assert {v.cta for v in out.variants} == {"Ordina ora"}


def test_list_items_keep_the_sites_casing_of_names() -> None:
    casing = Casing(proper_words(["We import green coffee from Huila, Colombia, every spring."]), "en")
    assert casing.item("Huila, Colombia") == "Huila, Colombia"  # never "huila, Colombia"
    assert casing.item("Roof Inspection") == "roof inspection"  # a Title-Case label, lower-cased whole
    assert casing.item("Drain cleaning") == "drain cleaning"
    assert Casing(set(), "de").item("Küchen aus Eiche") == "Küchen aus Eiche"  # German nouns keep their capital


async def test_feature_lists_never_break_casing() -> None:
    out = await write(typed.roofer(), n=6, platform="linkedin")
    for text in copy_of(out):
        assert not re.search(r"\b(roof Inspection|gutter Services|roof Repair)\b", text), text


@pytest.mark.parametrize("platform", ["meta", "linkedin"])
@pytest.mark.parametrize("site", labelled_sites())
async def test_every_fixture_sites_labelled_material_gives_clean_variants(site: str, platform: str) -> None:
    """The writer on each fixture site's labelled facts (what a right extraction yields): clean,
    truthful variants with the site's own primary CTA (or, where it names a thing the ad does not speak
    of, the standard one with its intent), several of them where the headline room allows."""
    brand = labelled_brand(site)
    out = await write(brand, platform=platform)
    assert len(out.variants) >= (2 if platform == "meta" else 4), out.dropped
    primary = brand.primary_cta
    for v in out.variants:
        assert v.lint == [] and v.truth.verdict == "supported", (v.headline, v.body, v.lint, v.truth)
        if primary and len(primary) <= 30:
            subject = cta_subject(primary, brand.name)
            if not subject or mentions(f"{v.headline} {v.body} {v.description}", subject):
                assert v.cta == primary
            else:
                assert v.cta in (primary, standard_cta(intent_of_cta(primary) or "", brand.language))
        else:
            assert v.cta in standard_ctas(brand.language)


def test_a_starting_price_stays_a_starting_price_and_a_sale_is_an_offer() -> None:
    brand = typed.plumber_with_offer()
    brand.facts += [
        typed.fact(
            "p1",
            "price",
            "Celebration cakes start at $36 for a 6-inch cake",
            "Celebration cakes start at $36 for a 6-inch cake that serves 8 to 10 people.",
            subject="Celebration cakes",
            value="$36",
        ),
        typed.fact(
            "p2",
            "price",
            "Raspberry Cake: $36.00 (was $42.00)",
            "Raspberry Cake $42.00 $36.00",
            region="pricing",
            subject="Raspberry Cake",
            value="$36.00",
        ),
        typed.fact("p3", "price", "Free key cutting with any purchase over $20", subject="Key cutting", value="$20"),
    ]
    mat = gather(brand)
    products = {p.text for p in mat.products}
    assert "Celebration cakes from $36" in products  # never "for $36": the site says it starts there
    assert "Raspberry Cake for $36.00" in products
    assert "Raspberry Cake for $36.00 (was $42.00)" in {o.text for o in mat.offers}
    assert not any(p.startswith("Key cutting") for p in products)  # a threshold, not a price


def test_a_german_floor_price_is_ab_not_a_threshold() -> None:
    brand = typed.schreinerei()
    brand.facts.append(
        typed.fact(
            "p1",
            "price",
            "Einbauschrank nach Maß: ab 1.490 €",
            "Einbauschrank nach Maß: ab 1.490 € — für Dachschrägen und Nischen.",
            subject="Einbauschrank nach Maß",
            value="1.490 €",
        )
    )
    assert "Einbauschrank nach Maß ab 1.490 €" in {p.text for p in gather(brand).products}


def _dentist() -> BrandProfile:
    f = typed.fact
    return BrandProfile(
        url="https://dental.example/",
        name="Oakridge Dental",
        language="en",
        business_type="service",
        tagline="Gentle family dentistry in Cedar Falls",
        facts=[
            f("f1", "about", "Gentle family dentistry in Cedar Falls", region="hero"),
            f("f2", "price", "New Patient Special: $99", subject="New Patient Special", value="$99", region="card"),
            f("f3", "price", "Teeth Whitening: $249", subject="Teeth Whitening", value="$249", region="card"),
            f("f4", "price", "Emergency Visit: $79", subject="Emergency Visit", value="$79", region="card"),
            f("f5", "certification", "Dr. Hale is a Fellow of the Academy of General Dentistry"),
            f("f6", "feature", "We are open Saturday mornings from 9am to 1pm", region="card"),
        ],
        testimonials=[
            Quote(
                quote="Dr. Hale talked me through every step. First dentist visit in years that I did not dread.",
                author="Greg P.",
                place="Waterloo",
            )
        ],
        ctas=["Book an Appointment"],
        primary_cta="Book an Appointment",
    )


async def test_no_product_or_quote_appears_in_two_variants_while_other_material_exists() -> None:
    out = await write(_dentist(), n=3)
    products = ["New Patient Special", "Teeth Whitening", "Emergency Visit"]
    for name in [*products, "talked me through every step"]:
        carrying = [v.id for v in out.variants if name in f"{v.headline} {v.body}"]
        assert len(carrying) <= 1, (name, carrying, [(v.headline, v.body) for v in out.variants])
    quoted = [v for v in out.variants if "Greg P." in v.body]
    assert quoted and not any(p in quoted[0].headline for p in products)  # a price never heads an unrelated quote
    assert all(v.headline != "“Dr”" for v in out.variants)


def test_a_two_sentence_headline_keeps_its_last_stop_and_one_clause_goes_without() -> None:
    assert headline_forms("Track your hours. Send the invoice.")[0] == "Track your hours. Send the invoice."
    assert headline_forms("No ads. No data sales. Ever!")[0] == "No ads. No data sales. Ever!"
    assert headline_forms("Roofs built for Colorado weather.")[0] == "Roofs built for Colorado weather"
    assert headline_forms("Storm damage? We handle the claim.")[0] == "Storm damage? We handle the claim"


def test_donation_amounts_free_plans_discounts_and_orders_are_no_products() -> None:
    f = typed.fact
    brand = BrandProfile(
        url="https://x.example/",
        name="Open Harvest",
        language="en",
        facts=[
            f("f1", "price", "Every $1 you give provides 3 meals", subject="donation", value="$1"),
            f("f2", "price", "A gift of $50 provides 150 meals", subject="gift", value="$50"),
            f("f3", "price", "Free: $0/month", "Free $0/month Up to 3 projects", "pricing", "Free", "$0/month"),
            f("f4", "price", "Save 20% with annual billing", subject="annual billing", value="20%"),
            f("f5", "price", "Pedidos inferiores: envío desde 4,95 €", subject="Pedidos inferiores", value="4,95 €"),
            f(
                "f6",
                "price",
                "Intro Offer: $45",
                "Intro Offer $45/2 weeks Unlimited classes for two weeks",
                "pricing",
                "Intro Offer",
                "$45",
            ),  # fmt: skip
            f("f7", "price", "Service call and diagnosis: $89", subject="Service call and diagnosis", value="$89"),
            f("f8", "price", "The $89 diagnosis fee is credited to the repair", subject="diagnosis fee", value="$89"),
        ],
    )
    assert [p.text for p in gather(brand).products] == ["Intro Offer for $45/2 weeks", "Service call and diagnosis for $89"]


async def test_a_stat_reads_as_the_site_writes_it_and_a_badge_never_heads_a_quote() -> None:
    f = typed.fact
    brand = BrandProfile(
        url="https://x.example/",
        name="Lumière",
        language="fr",
        facts=[f("f1", "stat", "48 h de fermentation pour notre levain", subject="fermentation pour notre levain", value="48 h")],
    )
    assert [s.text for s in gather(brand).proof] == ["48 h de fermentation pour notre levain"]
    roofer = typed.roofer()
    roofer.facts = [x for x in roofer.facts if "Satisfaction" not in x.text]  # no rating: the badges are next
    roofer.facts.append(f("b1", "certification", "Licensed & Insured", region="hero"))
    roofer.facts.append(f("b2", "founded", "Serving Boulder County since 2013", region="hero"))
    out = await write(roofer, n=6, platform="linkedin")
    quoted = [v for v in out.variants if v.angle == "testimonial"]
    assert all(v.headline not in ("Licensed & Insured", "Serving Boulder County since 2013") for v in quoted)


def test_a_first_clause_is_no_headline_when_a_short_rest_ends_its_noun_phrase() -> None:
    assert headline_forms("We ship every order in plastic-free, compostable packaging.") == [
        "We ship every order in plastic-free, compostable packaging"
    ]
    assert "Sproutly works offline" in headline_forms("Sproutly works offline, and it syncs when you are back online.")


def test_house_rules_are_never_copy_material() -> None:
    rule = typed.fact("p1", "policy", "Cancel up to 12 hours before class for a full credit", region="hero")
    brand = BrandProfile(url="https://x.example/", name="Harbor Yoga", language="en", facts=[rule])
    mat = gather(brand)
    assert not [s for s in [*mat.hero, *mat.values, *mat.proof, *mat.features, *mat.offers] if "Cancel" in s.text]


async def test_products_at_one_price_are_listed_with_the_price_said_once() -> None:
    f = typed.fact
    brand = BrandProfile(
        url="https://yoga.example/",
        name="Harbor Yoga",
        language="en",
        business_type="yoga studio",
        tagline="Breathe easy by the harbour",
        facts=[
            f("f1", "price", "10-Class Pass: $180", subject="10-Class Pass", value="$180", region="pricing"),
            f("f2", "price", "Morning Vinyasa Flow: $22", subject="Morning Vinyasa Flow", value="$22", region="card"),
            f("f3", "price", "Yin & Restore: $22", subject="Yin & Restore", value="$22", region="card"),
            f("f4", "about", "Breathe easy by the harbour", region="hero"),
        ],
    )
    out = await write(brand, n=3)
    product = next(v for v in out.variants if v.angle == "product")
    assert product.body == "Morning Vinyasa Flow and Yin & Restore, $22 each."
    assert {"f2", "f3"} <= set(product.fact_ids) and product.truth is not None and product.truth.verdict == "supported"


def test_one_variants_headline_is_not_another_variants_body() -> None:
    taken = [("v1", "Deutsche Qualität since 1952", "Our staff have more than 150 years of combined experience.")]
    echo = Draft(id="v5", angle="benefit", headline="We stock over 18,000 items",
                 body="Deutsche Qualität since 1952 – the tools your grandfather trusted.", cta="Visit")  # fmt: skip
    fresh = Draft(id="v5", angle="product", headline="Brass cabinet hinges, pair for $6.50",
                  body="Free key cutting with any purchase over $20!", cta="Visit")  # fmt: skip
    named = [("v4", "Kessler Hardware", "Kessler Hardware opened in 1952.")]
    assert _echoes(echo, taken, "Kessler Hardware") and not _echoes(fresh, taken, "Kessler Hardware")
    assert not _echoes(fresh, named, "Kessler Hardware")  # the brand's name alone is said everywhere


def test_a_clause_before_a_prepositional_rest_stands_and_a_phone_line_is_no_material() -> None:
    assert "Portland's friendly plumbers" in headline_forms("Portland's friendly plumbers, on call 24/7")
    phone = typed.fact("c1", "service", "24/7 emergency line: (503) 555-0142", region="section")
    brand = BrandProfile(url="https://x.example/", name="Brightside", language="en", facts=[phone])
    mat = gather(brand)
    assert not [s for s in [*mat.hero, *mat.values, *mat.proof, *mat.features, *mat.offers] if "555" in s.text]


def test_a_clause_before_a_participle_stands_in_any_language() -> None:
    assert "Le bon pain du quartier" in headline_forms("Le bon pain du quartier, cuit chaque matin.")


def test_a_count_of_people_who_use_it_is_customer_proof() -> None:
    assert customer_proof("80,000 writers use Quillpad every day", "Quillpad")
    assert customer_proof("Más de 8.000 clientes", "Casa Olivar")
    assert not customer_proof("1000+ Projects Completed", "Summit Roofing")


def hardware_store() -> BrandProfile:
    def priced(fid: str, subject: str, value: str, page: str) -> typed.Fact:
        found = typed.fact(fid, "price", f"{subject} {value}", region="pricing", subject=subject, value=value)
        return found.model_copy(update={"source_url": f"https://kessler.example/{page}"})

    workshop = typed.fact("f9", "claim", "Most repairs are ready within 3 days.")
    return BrandProfile(
        url="https://kessler.example/",
        name="Kessler Hardware",
        language="en",
        business_type="store",
        facts=[
            priced("f1", "Screen repair", "$15", "service.html"),
            priced("f2", "Lamp rewiring", "$25", "service.html"),
            priced("f3", "Claw hammer, 16 oz", "$24.95", "products.html"),
            priced("f4", "Steel chisel set", "$59.00", "products.html"),
            priced("f5", "Brass cabinet hinges", "$6.50", "products.html"),
            workshop.model_copy(update={"source_url": "https://kessler.example/service.html"}),
        ],
    )


async def test_a_product_ad_lists_what_its_own_page_offers() -> None:
    out = await generate_copy(GenerateInput(run_id="r", brand=hardware_store(), num_variants=6), OfflineProvider())
    products = [v for v in out.variants if v.angle == "product"]
    assert products, [(v.angle, v.headline) for v in out.variants]
    goods, services = ("hammer", "chisel", "hinges"), ("screen repair", "lamp rewiring")
    for v in products:
        copy = f"{v.headline} {v.body}".lower()
        assert not (any(g in copy for g in goods) and any(s in copy for s in services)), (v.headline, v.body)


def _described_dentist() -> BrandProfile:
    """_dentist, its price cards with the line each gives its product, as extraction writes them."""
    brand = _dentist()
    said = {
        "f2": "exam, cleaning and full X-rays for new patients without insurance.",
        "f3": "in-office whitening in one 90-minute visit.",
        "f4": "exam and X-ray for a toothache or broken tooth.",
    }
    for fact in brand.facts:
        if fact.id in said:
            fact.text = f"{fact.text} — {said[fact.id]}"
            fact.evidence = f"{fact.subject} {said[fact.id][0].upper()}{said[fact.id][1:]} {fact.value}"
    return brand


async def test_a_product_ad_says_what_the_product_is_as_its_card_does() -> None:
    out = await write(_described_dentist(), n=5)
    bodies = {v.headline: v.body for v in out.variants if v.angle == "product"}
    assert bodies, [(v.angle, v.headline) for v in out.variants]
    lines = {
        "New Patient Special for $99": "Exam, cleaning and full X-rays for new patients without insurance.",
        "Teeth Whitening for $249": "In-office whitening in one 90-minute visit.",
        "Emergency Visit for $79": "Exam and X-ray for a toothache or broken tooth.",
    }
    for headline, body in bodies.items():
        assert body.startswith(lines[headline]), (headline, body)


def _yoga_studio() -> BrandProfile:
    f = typed.fact

    def card(fid: str, name: str, price: str, line: str) -> Fact:
        return f(fid, "price", f"{name}: {price} — {line[0].lower()}{line[1:]}", f"{name} {line} {price}", "card", name, price)

    return BrandProfile(
        url="https://yoga.example/",
        name="Harbor Yoga",
        language="en",
        business_type="studio",
        tagline="Breathe easy by the harbour",
        facts=[
            f("f1", "about", "Breathe easy by the harbour", region="hero"),
            f("f2", "about", "Small yoga classes by the Halifax waterfront. Vinyasa, yin and prenatal yoga.", region="hero"),
            card("f3", "Prenatal Yoga", "$25", "Gentle classes for every trimester."),
            card("f4", "Intro Offer", "$45", "Unlimited classes for your first two weeks."),
            card("f5", "10-Class Pass", "$180", "Ten classes to use within six months."),
            card("f6", "Monthly Unlimited", "$129", "Every class, every week, no contract."),
        ],
        testimonials=[
            Quote(
                quote="Prenatal yoga here kept me calm and strong right up to my due date.",
                author="Claire Boudreau",
                place="Halifax",
            )
        ],
        ctas=["Book a class"],
        primary_cta="Book a class",
    )


async def test_every_angle_the_material_allows_comes_before_a_second_of_one() -> None:
    """Four variants are four ways to sell while the material allows: the customer's quote is one of them,
    not a fourth price."""
    out = await write(_yoga_studio(), n=4)
    angles = [v.angle for v in out.variants]
    assert "testimonial" in angles, [(v.angle, v.headline, v.body) for v in out.variants]


def test_a_price_named_by_its_cards_heading_is_a_product() -> None:
    brand = typed.roofer()
    brand.facts.append(
        typed.fact(
            "p9",
            "price",
            "Gutter Cleaning: plans start at $45 per visit",
            "Plans start at $45 per visit.",
            region="card",
            subject="Gutter Cleaning",
            value="$45",
        )
    )
    assert "Gutter Cleaning from $45 per visit" in {p.text for p in gather(brand).products}


async def test_a_founding_year_is_said_once_per_ad() -> None:
    """ "Oakridge Dental, since 1998" over "Serving Cedar Falls since 1998." says one thing twice."""
    brand = _dentist()
    brand.facts.append(typed.fact("s1", "founded", "Serving Cedar Falls since 1998"))
    out = await write(brand, n=5)
    for v in out.variants:
        assert not ("since 1998" in v.headline and "since 1998" in v.body), (v.headline, v.body)


async def test_a_tagline_with_a_number_in_words_heads_an_ad() -> None:
    """The hero's "Zero Weekend Work" is the brand's own claim: the truth check finds it among the facts."""
    html = """<html lang="en"><head><title>Green Acres Landscaping</title></head><body>
    <section class="hero"><h1>Beautiful Yards, Zero Weekend Work</h1>
    <p>Weekly lawn care, native-plant landscape design and smart irrigation for Austin homes.</p></section>
    <section><p>Drought-tolerant native gardens that cut water bills by up to 40%.</p></section></body></html>"""
    url = "https://greenacres.example/"
    brand = build_profile(url, [parse_page(html, url)], [], [], None, [], [])
    out = await write(brand, n=3)
    assert "Beautiful Yards, Zero Weekend Work" in [v.headline for v in out.variants], [v.headline for v in out.variants]


PAINTER = """<html lang="de"><head><title>Malerbetrieb Schuster</title></head><body>
<section class="hero"><h1>Frische Farbe für Ihr Zuhause</h1>
<p>Wir streichen Wohnungen, Treppenhäuser und Fassaden in Augsburg, sauber, pünktlich und zum Festpreis.</p></section>
<section class="stats"><div class="stat"><strong>2.500+</strong><span>gestrichene Räume</span></div>
<div class="stat"><strong>30</strong><span>Jahre Erfahrung</span></div></section>
<section class="testimonials"><blockquote><p>Schnell, sauber und genau zum vereinbarten Preis. Unser Treppenhaus sieht aus
wie neu.</p><footer>Familie Huber, Göggingen</footer></blockquote></section></body></html>"""


async def test_a_site_with_few_sentences_still_gets_its_proof_and_its_customers_words() -> None:
    """Nothing but stats to back a stat, and a quote whose first sentence is too long to head it: the stat
    goes over another stat, and the quote under the business's name."""
    url = "https://maler.example/"
    out = await write(build_profile(url, [parse_page(PAINTER, url)], [], [], None, [], []), n=4)
    ads = {v.angle: (v.headline, v.body) for v in out.variants}
    stats = ("30 Jahre Erfahrung", "2.500+ gestrichene Räume")
    assert ads.get("social_proof") in {(stats[0], f"{stats[1]}."), (stats[1], f"{stats[0]}.")}, ads
    assert ads.get("testimonial", ("", ""))[0] == "Malerbetrieb Schuster", ads
    assert "Familie Huber" in ads["testimonial"][1]


POTTERY = """<html lang="en"><head><title>Copper &amp; Clay Pottery</title></head><body>
<section class="hero"><h1>Stoneware made to be used every day</h1>
<p>Every piece is wheel-thrown and glazed by hand in our Asheville studio.</p></section>
<section><h2>Why our pottery</h2>
<div class="col"><h3>Lead-free glazes</h3><p>We mix every glaze ourselves from lead-free materials.</p></div>
<div class="col"><h3>Small batches</h3><p>We fire about 200 pieces a week, so each one gets a second look.</p></div>
<div class="col"><h3>30-day returns</h3><p>Not in love with it? Send it back within 30 days for a full refund.</p></div>
<div class="col"><h3>Is it oven safe?</h3><p>Every mug and bowl goes from the oven to the table without a crack.</p></div>
</section>
<section><div class="card"><h3>What we believe</h3><p>Good pots are made slowly and by people who care.</p>
<p>Every kitchen deserves at least one handmade thing in it.</p></div>
<div class="card"><h3>Where we work</h3><p>Our studio sits in an old textile mill on the French Broad River.</p></div></section>
</body></html>"""


def _pottery() -> BrandProfile:
    url = "https://copperclay.example/"
    return build_profile(url, [parse_page(POTTERY, url)], [], [], None, [], [])


def test_a_feature_cards_sentence_is_about_what_its_heading_names() -> None:
    subjects = {f.text: f.subject for f in _pottery().facts}
    assert subjects["We mix every glaze ourselves from lead-free materials"] == "Lead-free glazes"
    assert subjects["Send it back within 30 days for a full refund"] == "30-day returns"
    # A question names no point, and a heading over several sentences labels them all.
    assert subjects["Every mug and bowl goes from the oven to the table without a crack"] == ""
    assert subjects["Good pots are made slowly and by people who care"] == ""


async def test_a_card_heads_its_ad_with_its_heading_over_its_sentence() -> None:
    """ "Lead-free glazes | We mix every glaze ourselves from lead-free materials." is the card as the brand wrote
    it; the sentence alone over an unrelated one read as two ads in one."""
    out = await write(_pottery(), n=5)
    ads = {v.headline: v.body for v in out.variants}
    assert ads.get("Lead-free glazes", "").startswith("We mix every glaze ourselves from lead-free materials."), ads
    assert "Send it back within 30 days for a full refund." in ads.get("30-day returns", ""), ads
    assert not {"What we believe", "Is it oven safe?", "Why our pottery"} & set(ads), ads


SHIFTLY = """<html lang="en"><head><title>Shiftly</title></head><body><main>
<div class="hero"><h1>The schedule is done before the coffee is</h1>
<p>Shiftly builds next week's schedule from your sales forecast, then texts every shift. Most managers finish in
under 10 minutes.</p><a href="/signup" class="rounded-md bg-indigo-600 px-3.5 py-2.5">Start your free trial</a></div>
<div class="logos"><h2>Trusted by 3,000+ restaurants, from food trucks to 40-location groups</h2>
<img alt="Taco Loco" src="/l1.svg"><img alt="Blue Plate" src="/l2.svg"></div>
<dl class="grid">
<div class="flex flex-col"><dt>Forecast-based staffing</dt><dd><p>Shiftly reads your POS sales and staffs each shift
for the covers you'll actually have.</p></dd></div>
<div class="flex flex-col"><dt>Shift swaps by text</dt><dd><p>Staff trade shifts from their phone, and you approve
with one tap.</p></dd></div></dl>
<figure><blockquote><p>“We used to spend Sunday nights on the schedule. Now it takes my managers ten minutes, and our
labor cost dropped 4 points.”</p></blockquote>
<figcaption><img src="/a.jpg" alt=""><div><div>Rosa Delgado</div><div>Operations Director, Taco Loco</div></div></figcaption>
</figure></main></body></html>"""


def _shiftly() -> BrandProfile:
    url = "https://shiftly.example/"
    return build_profile(url, [parse_page(SHIFTLY, url)], [], [], None, [], [])


def test_a_definition_lists_term_names_its_feature_and_a_heading_that_counts_customers_is_proof() -> None:
    brand = _shiftly()
    facts = {f.text: f for f in brand.facts}
    assert facts["Staff trade shifts from their phone, and you approve with one tap"].subject == "Shift swaps by text"
    assert facts["Trusted by 3,000+ restaurants, from food trucks to 40-location groups"].kind == "customers"
    mat = gather(brand)
    assert "Trusted by 3,000+ restaurants, from food trucks to 40-location groups" in [p.text for p in mat.proof]
    # The tagline ends on its verb ("... before the coffee is"): a clause, not a line cut short.
    assert "The schedule is done before the coffee is" in [h.text for h in mat.hero]
    # The hero's two sentences are two claims: together they fit no body.
    assert "Shiftly builds next week's schedule from your sales forecast, then texts every shift." in [v.text for v in mat.values]
    assert [(q.author, q.place) for q in mat.quotes] == [("Rosa Delgado, Operations Director", "Taco Loco")]


async def test_a_quote_longer_than_a_body_gives_its_sentence_that_stands_alone() -> None:
    """The whole quote with its byline is 150 characters: the ad quotes the customer's result, verbatim, never
    the "before" half of the before-and-after."""
    out = await write(_shiftly(), n=5)
    quoted = [v.body for v in out.variants if v.angle == "testimonial"]
    assert quoted == [
        "“Now it takes my managers ten minutes, and our labor cost dropped 4 points.” — Rosa Delgado, Operations Director, "
        "Taco Loco"
    ], [(v.angle, v.headline, v.body) for v in out.variants]
    assert "Forecast-based staffing" in [v.headline for v in out.variants]


FIAMMA = """<html lang="en"><head><title>Fiamma Pizzeria</title></head><body>
<section class="hero"><h1>Wood-fired in 90 seconds</h1>
<p>Neapolitan pizza from our 900°F oven, with dough we ferment for 48 hours.</p></section>
<section class="press"><p class="press-quote">“The best pizza in Denver, full stop.”
<span class="press-source">— 5280 Magazine</span></p>
<p class="press-quote">“Crust worth crossing town for.” <span class="press-source">— Westword</span></p></section>
<section id="menu"><ul class="menu-list">
<li class="menu-item"><div><span class="menu-item-name">Margherita</span> <span class="menu-item-price">14</span></div>
<p class="menu-item-desc">San Marzano tomato, fior di latte, basil, olive oil</p></li>
<li class="menu-item"><div><span class="menu-item-name">Diavola</span> <span class="menu-item-price">17</span></div>
<p class="menu-item-desc">Tomato, spicy soppressata, mozzarella, chili honey</p></li></ul>
<p>Happy hour every weekday: $10 Margheritas.</p></section></body></html>"""


async def test_a_menu_item_and_a_press_quote_make_their_ads() -> None:
    """ "Margherita for $14" over what it is, from a menu line written "Margherita 14" on a page of $ prices; a
    publication's name with a number in it ("5280 Magazine") is who said it, no claim for the truth check."""
    url = "https://fiamma.example/"
    brand = build_profile(url, [parse_page(FIAMMA, url)], [], [], None, [], [])
    out = await write(brand, n=5)
    ads = {v.headline: v.body for v in out.variants}
    assert ads.get("Margherita for $14") == "San Marzano tomato, fior di latte, basil, olive oil.", ads
    assert any(b.startswith("“The best pizza in Denver, full stop.” — 5280 Magazine") for b in ads.values()), ads
    # The customer's words are whole: a quote ending on "for" is no line cut short.
    assert "Crust worth crossing town for." in [q.snip.text for q in gather(brand).quotes]


async def test_a_customers_quote_leads_one_ad_and_never_by_its_before_half() -> None:
    """The quote of 170 characters is quoted by the sentence that tells what the firm did, once: under the business's
    name it came back a second time, by the sentence that only tells the customer's trouble."""
    html = """<html lang="en"><head><title>Hartwell Injury Lawyers</title></head><body>
    <section class="hero"><h1>Injured? Talk to a lawyer today.</h1><p>You pay nothing unless we win your case.</p></section>
    <ul class="why"><li>No fee unless we win</li><li>Free consultations, 24/7</li></ul>
    <section class="testimonials"><div class="testimonial"><p>"After my accident I didn't know where to turn. Maria Reyes and
    her team handled everything and got me three times what the insurance company first offered."</p>
    <p class="client">— Daniel M.</p></div></section></body></html>"""
    url = "https://hartwell.example/"
    out = await write(build_profile(url, [parse_page(html, url)], [], [], None, [], []), n=5)
    quoted = [v.body for v in out.variants if "Daniel M." in v.body]
    assert quoted == [
        "“Maria Reyes and her team handled everything and got me three times what the insurance company first offered.” — "
        "Daniel M."
    ], [(v.headline, v.body) for v in out.variants]


def test_a_lists_first_item_is_no_headline_of_its_own() -> None:
    """ "Tracebolt supports Python 3.9+" cut from "..., Go 1.21+ and Node.js 18+" says only a third of it."""
    assert headline_forms("Tracebolt supports Python 3.9+, Go 1.21+ and Node.js 18+") == [
        "Tracebolt supports Python 3.9+, Go 1.21+ and Node.js 18+"
    ]
    assert "Drains cleared today" in headline_forms("Drains cleared today, at a price you see first")
