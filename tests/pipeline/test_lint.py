"""The copy lint: every named fault fires on the real bad outputs, and good copy has none."""

from __future__ import annotations

import pytest

from brandtruth.pipeline.lint import lint_copy, lint_variant
from brandtruth.pipeline.models import BrandProfile, CopyVariant, Fact
from brandtruth.pipeline.models import Testimonial as Quote


def _fact(i: int, text: str, kind: str = "claim", subject: str = "", value: str = "") -> Fact:
    return Fact(id=f"f{i}", text=text, evidence=text, source_url="https://x.test/", kind=kind, subject=subject, value=value)


PLUMBER = BrandProfile(
    url="https://clearflow.test/",
    name="Clearflow Plumbing",
    language="en",
    business_type="service",
    tagline="Plumbers Huila families call first",
    description="Clearflow Plumbing fixes leaks, drains and water heaters across Huila, Colombia.",
    headings=[
        "Plumbers Huila families call first",
        "What Our Customers Say",
        "Our Services",
        "Request a Callback",
        "Drain Clear",
        "Roof Repair",
        "Roof Inspection",
        "Gutter Services",
        "Bestsellers",
    ],
    features=["Drain Clear", "Water heater installation", "Leak detection"],
    offers=["$25 off your first drain cleaning"],
    facts=[
        _fact(1, "Drain Clear: $129–$249 — single fixture", "price", "Drain Clear", "$129–$249"),
        _fact(2, "Over 1,200 five-star reviews from Neiva homeowners", "stat", "five-star reviews", "1,200"),
        _fact(3, "Licensed and insured in Huila since 2009", "founded", "", "2009"),
        _fact(4, "Every repair comes with a 2-year labour guarantee", "guarantee"),
        _fact(5, "Our Roof Repair, Roof Inspection and Gutter Services keep the rain outside", "feature"),
    ],
    testimonials=[Quote(quote="They found the leak in ten minutes and fixed it the same day.", author="Marta G.", place="Neiva")],
    ctas=["Get a free estimate", "Request a Callback"],
    primary_cta="Get a free estimate",
)

BAKERY_FR = BrandProfile(
    url="https://lumiere.test/",
    name="Boulangerie Lumière",
    language="fr",
    business_type="food",
    tagline="Le pain au levain, cuit chaque matin à Lyon",
    description="Boulangerie artisanale à Lyon depuis 1998 : pains au levain, viennoiseries et gâteaux.",
    headings=["Le pain au levain, cuit chaque matin à Lyon", "Où nous trouver", "Nos produits", "Une question ?"],
    facts=[
        _fact(1, "Depuis plus de 20 ans, nous cuisons notre pain au levain chaque matin", "stat", "", "20 ans"),
        _fact(2, "Croissant au beurre : 1,40 €", "price", "Croissant au beurre", "1,40 €"),
        _fact(3, "Commandez votre gâteau d'anniversaire 48 heures à l'avance", "offer"),
    ],
    ctas=["Commander un gâteau"],
    primary_cta="Commander un gâteau",
)

JOINERY_DE = BrandProfile(
    url="https://bergwerk.test/",
    name="Bergwerk Schreinerei",
    language="de",
    business_type="service",
    tagline="Massivholzmöbel aus dem Allgäu",
    description="Seit 1987 bauen wir Küchen, Tische und Treppen aus heimischem Holz.",
    facts=[
        _fact(1, "Seit 1987 bauen wir Küchen, Tische und Treppen aus heimischem Holz", "founded", "", "1987"),
        _fact(2, "Über 900 Küchen gefertigt", "stat", "Küchen", "900"),
    ],
    headings=["Massivholzmöbel aus dem Allgäu", "Über uns", "Kontakt"],
)

OLIVE_ES = BrandProfile(
    url="https://olivar.test/",
    name="Casa Olivar",
    language="es",
    business_type="shop",
    tagline="Aceite de oliva virgen extra de nuestra familia",
    description="Aceite de oliva virgen extra de Jaén, prensado en frío desde 1962.",
    facts=[
        _fact(1, "Aceite de oliva virgen extra de Jaén, prensado en frío desde 1962", "founded", "", "1962"),
        _fact(2, "Botella de 500 ml: 12,50 €", "price", "Botella de 500 ml", "12,50 €"),
    ],
    headings=["Aceite de oliva virgen extra de nuestra familia", "Sobre nosotros", "Contacto"],
)


def codes(headline: str, body: str, cta: str = "Book Now", brand: BrandProfile = PLUMBER, description: str = "") -> set[str]:
    return {f.code for f in lint_copy(headline, body, cta, brand, description)}


# ------------------------------------------------------------------ the real bad outputs from the issue


@pytest.mark.parametrize(
    ("headline", "body", "cta", "brand", "expected"),
    [
        ("$0.50 Add to Cart", "$7.75 Add to Cart. Explore Our Menu. Take a look.", "Shop Now", PLUMBER, "ui_label"),
        ("Request a Callback", "Explore what's inside.", "Book Now", PLUMBER, "heading_as_copy"),
        ("Request a Callback", "Explore what's inside.", "Book Now", PLUMBER, "names_nothing"),
        ("Drain Clear$129–$249Single fixture", "Drain Clear$129–$249Single fixture.", "Book Now", PLUMBER, "glued_tokens"),
        (
            "Drain Clear$129–$249Single fixture",
            "Drain Clear$129–$249Single fixture.",
            "Book Now",
            PLUMBER,
            "headline_repeats_body",
        ),
        ("Licensed in Huila since 2009", "What Our Customers Say. See how it works.", "Book Now", PLUMBER, "heading_as_copy"),
        ("Licensed in Huila since 2009", "What Our Customers Say. See how it works.", "Book Now", PLUMBER, "names_nothing"),
        (
            "Your information will be processed",
            "Over 1,200 five-star reviews from Neiva homeowners.",
            "Book Now",
            PLUMBER,
            "legal_text",
        ),
        ("Looking for où nous trouver?", "Croissant au beurre : 1,40 €.", "Commander", BAKERY_FR, "mixed_language"),
        (
            "Croissant au beurre : 1,40 €",
            "Une question? Un événement? See how it works.",
            "Commander",
            BAKERY_FR,
            "wrong_language",
        ),
        (
            "Croissant au beurre : 1,40 €",
            "Notre pain au levain est cuit chaque matin à Lyon.",
            "Learn More",
            BAKERY_FR,
            "wrong_language",
        ),
        (
            "Roof care for Huila homes",
            "Roof Repair, roof Inspection and gutter Services keep the rain outside.",
            "Book Now",
            PLUMBER,
            "broken_casing",
        ),
        ("Trusted across huila, Colombia", "Licensed and insured in Huila since 2009.", "Book Now", PLUMBER, "broken_casing"),
        (
            "Licensed and insured in Huila",
            "Licensed and insured in Huila since 2009. Call today.",
            "Book Now",
            PLUMBER,
            "headline_repeats_body",
        ),
        (
            "Drain Clear from $129",
            "Drain Clear costs $129–$249 per fixture. See how it works.",
            "Book Now",
            PLUMBER,
            "names_nothing",
        ),
        (
            "Drain Clear from $129",
            "Drain Clear costs $129–$249 per fixture. Take the tour.",
            "Book Now",
            PLUMBER,
            "names_nothing",
        ),
        ("Drain Clear from $129", "Everything you need, in one place.", "Book Now", PLUMBER, "names_nothing"),
        ("Drain Clear from $129", "Single fixture | Multi fixture | Whole home.", "Book Now", PLUMBER, "separator_strip"),
        ("Drain Clear from $129", "Licensed • Insured • Local.", "Book Now", PLUMBER, "separator_strip"),
        (
            "Drain Clear from $129",
            "Drain Clear costs $129 per fixture.Standard visits are free.",
            "Book Now",
            PLUMBER,
            "glued_tokens",
        ),
        (
            "Drain Clear from $129",
            "Drain Clear costs $129 for one fixtureWhole home plans cost more.",
            "Book Now",
            PLUMBER,
            "glued_tokens",
        ),
        ("Staff only test item", "Drain Clear costs $129–$249 per fixture.", "Book Now", PLUMBER, "placeholder"),
        ("Drain Clear from $129", "Lorem ipsum dolor sit amet for Huila homes.", "Book Now", PLUMBER, "placeholder"),
        ("Leak detection: TBD", "Leak detection across Huila, Colombia.", "Book Now", PLUMBER, "placeholder"),
        ("Drain Clear from $129", "Drain Clear fixes slow drains and", "Book Now", PLUMBER, "unfinished_sentence"),
        ("Drain Clear from $129", "Drain Clear fixes slow drains in Huila homes", "Book Now", PLUMBER, "unfinished_sentence"),
        (
            "Last year, together, we",
            "Over 1,200 five-star reviews from Neiva homeowners.",
            "Book Now",
            PLUMBER,
            "unfinished_sentence",
        ),
        ("Drain Clear from $129", "Drain Clear costs $129–$249 per fixture.", "Submit", PLUMBER, "ui_label"),
        ("Drain Clear from $129", "Drain Clear costs $129–$249 per fixture. Read more", "Book Now", PLUMBER, "ui_label"),
        ("Drain Clear from $129", "We use cookies to improve your visit.", "Book Now", PLUMBER, "legal_text"),
        ("Drain Clear from $129", "Read our privacy policy and terms of service.", "Book Now", PLUMBER, "legal_text"),
        ("Bestsellers", "Drain Clear costs $129–$249 per fixture.", "Book Now", PLUMBER, "heading_as_copy"),
        ("Our Services", "Drain Clear costs $129–$249 per fixture.", "Book Now", PLUMBER, "heading_as_copy"),
        (
            "Massivholzmöbel aus dem Allgäu",
            "Seit 1987 bauen wir Küchen. Get your quote today.",
            "Jetzt anfragen",
            JOINERY_DE,
            "mixed_language",
        ),
        ("Aceite de oliva de Jaén", "Botella de 500 ml: 12,50 €.", "Shop Now", OLIVE_ES, "wrong_language"),
        ("Aceite de oliva de Jaén", "Prensado en frío desde 1962, the best oil in town.", "Comprar", OLIVE_ES, "mixed_language"),
        (
            "Découvrez notre pain au levain",
            "Depuis plus de 20 ans, nous cuisons notre pain chaque matin.",
            "Book Now",
            PLUMBER,
            "wrong_language",
        ),
    ],
)
def test_bad_copy_has_the_named_fault(headline: str, body: str, cta: str, brand: BrandProfile, expected: str) -> None:
    faults = lint_copy(headline, body, cta, brand)
    assert expected in {f.code for f in faults}, faults
    fault = next(f for f in faults if f.code == expected)
    assert fault.text and fault.field in ("headline", "body", "cta", "description")
    assert fault.message


# ------------------------------------------------------------------ good copy passes clean


@pytest.mark.parametrize(
    ("headline", "body", "cta", "brand", "description"),
    [
        (
            "Drain Clear from $129",
            "One fixture cleared for $129–$249, with a 2-year labour guarantee on every repair.",
            "Get Quote",
            PLUMBER,
            "",
        ),
        (
            "Over 1,200 five-star reviews",
            "Neiva homeowners rate Clearflow Plumbing five stars for fast, tidy repairs.",
            "Book Now",
            PLUMBER,
            "Licensed in Huila since 2009",
        ),
        (
            "$25 off your first drain cleaning",
            "Clearflow Plumbing clears blocked drains across Huila, Colombia. Licensed and insured since 2009.",
            "Get a free estimate",
            PLUMBER,
            "",
        ),
        (
            "“Fixed the same day”",
            "“They found the leak in ten minutes and fixed it the same day.” — Marta G., Neiva",
            "Book Now",
            PLUMBER,
            "",
        ),
        (
            "Licensed in Huila since 2009",
            "Leak detection, Drain Clear and water heater installation, each with a 2-year labour guarantee.",
            "Contact Us",
            PLUMBER,
            "",
        ),
        (
            "Roof care for Huila homes",
            "Our Roof Repair, Roof Inspection and Gutter Services keep the rain outside.",
            "Book Now",
            PLUMBER,
            "",
        ),
        (
            "Plumbers Huila families call first",
            "Clearflow Plumbing fixes leaks, drains and water heaters. Every repair comes with a 2-year labour guarantee!",
            "Book Now",
            PLUMBER,
            "",
        ),
        (
            "Croissant au beurre : 1,40 €",
            "Notre pain au levain est cuit chaque matin à Lyon, depuis plus de 20 ans.",
            "Commander un gâteau",
            BAKERY_FR,
            "",
        ),
        (
            "Le pain au levain, cuit chaque matin",
            "Commandez votre gâteau d'anniversaire 48 heures à l'avance chez Boulangerie Lumière.",
            "Commander",
            BAKERY_FR,
            "",
        ),
        (
            "Seit 1987 aus heimischem Holz",
            "Über 900 Küchen gefertigt: Bergwerk Schreinerei baut Küchen, Tische und Treppen im Allgäu.",
            "Jetzt anfragen",
            JOINERY_DE,
            "",
        ),
        (
            "Aceite de Jaén desde 1962",
            "Botella de 500 ml por 12,50 €, prensado en frío por nuestra familia.",
            "Comprar",
            OLIVE_ES,
            "",
        ),
    ],
)
def test_good_copy_has_no_faults(headline: str, body: str, cta: str, brand: BrandProfile, description: str) -> None:
    assert lint_copy(headline, body, cta, brand, description) == []


def test_site_wording_camel_case_and_currency_codes_are_not_glue() -> None:
    brand = PLUMBER.model_copy(update={"name": "PipeWorks Clearflow", "headings": [*PLUMBER.headings, "PipeWorks"]})
    assert codes("PipeWorks fixes leaks in Huila", "Drain Clear costs US$129 on GitHub and in Neiva.", brand=brand) == set()


def test_platform_cta_in_english_is_fine_on_an_english_site() -> None:
    for cta in ("Learn More", "Shop Now", "Book Now", "Get Started", "Contact Us", "Sign Up", "Download"):
        assert codes("Drain Clear from $129", "Drain Clear costs $129–$249 per fixture.", cta) == set(), cta


def test_english_platform_ctas_are_wrong_language_on_a_french_site() -> None:
    for cta in ("Learn More", "Shop Now", "Book Now", "Get Started", "Contact Us", "Sign Up"):
        faults = lint_copy("Croissant au beurre : 1,40 €", "Notre pain au levain est cuit chaque matin à Lyon.", cta, BAKERY_FR)
        assert [(f.code, f.field) for f in faults] == [("wrong_language", "cta")], (cta, faults)


def test_unsupported_language_skips_language_checks() -> None:
    brand = BAKERY_FR.model_copy(update={"language": "pl"})
    assert "wrong_language" not in codes("Croissant au beurre : 1,40 €", "Notre pain est cuit à Lyon.", "Learn More", brand)


def test_product_name_headline_with_a_different_body_is_not_a_repeat() -> None:
    assert "headline_repeats_body" not in codes("Drain Clear", "One fixture cleared for $129–$249 by a licensed Huila plumber.")


def test_lint_variant_reads_every_field_including_description() -> None:
    variant = CopyVariant(
        id="v1",
        headline="Drain Clear from $129",
        body="Drain Clear costs $129–$249 per fixture.",
        description="Privacy policy",
        cta="Book Now",
    )
    faults = lint_variant(variant, PLUMBER)
    assert ("legal_text", "description") in [(f.code, f.field) for f in faults]
    assert {f.field for f in faults} == {"description"}


def test_faults_name_the_offending_text() -> None:
    faults = lint_copy("Drain Clear from $129", "Drain Clear costs $129 per fixture. Explore what's inside.", "Book Now", PLUMBER)
    assert [(f.code, f.field, f.text) for f in faults] == [("names_nothing", "body", "Explore what's inside.")]


YOGA = BrandProfile(
    url="https://harbor.test/",
    name="Harbor Yoga",
    language="en",
    description="Small yoga classes by the Halifax waterfront.",
    headings=["Meet Our Teachers", "Get in Touch", "Why Harbor Yoga", "Class Schedule"],
    ctas=["Book a class", "Get in Touch"],
    facts=[
        _fact(1, "Drop-in class: $22", "price", "Drop-in class", "$22"),
        _fact(2, "Classes of no more than 14 people on the Halifax waterfront", "stat"),
    ],
    features=["Weekend Backpacks"],
)


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        ("$22 drop-in Book a class", "Classes of no more than 14 people on the Halifax waterfront.", "ui_label"),
        ("Ready to get in Touch?", "Classes of no more than 14 people on the Halifax waterfront.", "broken_casing"),
        ("Small classes, Halifax waterfront", "Class Schedule, meet Our Teachers and more.", "broken_casing"),
        ("Looking for why Harbor Yoga?", "Classes of no more than 14 people on the Halifax waterfront.", "heading_as_copy"),
        ("average rating on the App Store", "Classes of no more than 14 people on the Halifax waterfront.", "broken_casing"),
        ("Drop-in class: $22", "✓ Classes of no more than 14 people ✓ Halifax waterfront.", "separator_strip"),
    ],
)
def test_more_real_offline_slips_are_named(headline: str, body: str, expected: str) -> None:
    assert expected in codes(headline, body, "Book Now", YOGA)


def test_company_suffix_and_titles_do_not_end_a_sentence() -> None:
    brand = YOGA.model_copy(update={"name": "Crumb & Co.", "description": "Crumb & Co. began in 2016 in Portland."})
    assert (
        codes("Baked in Portland since 2016", "Crumb & Co. began in 2016 as a Saturday stall in Portland.", brand=brand) == set()
    )
    assert (
        codes(
            "Classes on the Halifax waterfront",
            "“Dr. Lee knows every name.” — Aisha G., Halifax waterfront",
            brand=YOGA.model_copy(update={"testimonials": [Quote(quote="Dr. Lee knows every name.", author="Aisha G.")]}),
        )
        == set()
    )
    assert codes("Classes on the Halifax waterfront", "Dr. Lee teaches classes of no more than 14 people.", brand=YOGA) == set()


def test_a_capital_after_a_bullet_is_a_sentence_start_not_a_proper_noun() -> None:
    # Found by the holdout judgements: "✓ Workmanship on every repair..." made "workmanship" a name.
    brand = PLUMBER.model_copy(update={"facts": [*PLUMBER.facts, _fact(9, "✓ Workmanship on every repair is guaranteed.")]})
    assert codes("Drain Clear from $129", "Our workmanship on every repair is guaranteed.", brand=brand) == set()


def test_an_faq_answer_out_of_its_question_is_a_fault() -> None:
    assert "answer_out_of_context" in codes("Financing on big jobs", "Yes, on jobs over $1,000 through our lending partner.")
    assert "answer_out_of_context" in codes("Evening visits", "No. Evening visits until 7pm cost the same as daytime visits.")
    assert "answer_out_of_context" not in codes("No hidden fees", "No hidden fees on any ClearFlow repair, ever.")


def test_a_headline_with_a_full_stop_inside_ends_with_one() -> None:
    assert "headline_punctuation" in codes("Drains cleared. Same day", "Clearflow Plumbing clears drains in Huila.")
    assert "headline_punctuation" not in codes("Drains cleared. Same day.", "Clearflow Plumbing clears drains in Huila.")
    assert "headline_punctuation" not in codes("Blocked drain? Same day", "Clearflow Plumbing clears drains in Huila.")
    assert "headline_punctuation" not in codes("Drain Clear from $129", "Clearflow Plumbing clears drains in Huila.")


def test_a_rank_written_no_dot_is_not_an_answer() -> None:
    assert "answer_out_of_context" not in codes("No. 1 plumber in Huila", "Clearflow Plumbing is the No. 1 plumber in Neiva.")


@pytest.mark.parametrize(
    "text", ["Not for sale: Drain Clear sample.", "Drain Clear — ne pas commander", "[test] Drain Clear visit"]
)
def test_an_internal_item_is_a_placeholder_for_the_lint_and_never_material(text: str) -> None:
    """One pattern (extract/lexicon.INTERNAL) for the cards, the copy filter and the lint, which had three."""
    from brandtruth.pipeline.llm.filters import usable

    variant = CopyVariant(id="v1", headline="Drain Clear from $129", body=text, cta="Book Now")
    assert "placeholder" in {f.code for f in lint_variant(variant, PLUMBER)}
    assert not usable(text, PLUMBER, set())
