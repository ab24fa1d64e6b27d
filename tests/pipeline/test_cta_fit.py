"""A call to action that fits its ad: a site's button naming one thing it sells ("Commander un gâteau")
stays only on ads about that thing, or when that thing is what the site is about; elsewhere the ad gets
the standard CTA of the same intent in the site's language."""

from __future__ import annotations

import pytest

from brandtruth.pipeline.generate import generate_copy
from brandtruth.pipeline.generate.cta_fit import fitting_cta
from brandtruth.pipeline.llm import OfflineProvider
from brandtruth.pipeline.llm.phrases import SUPPORTED, cta_subject, standard_ctas
from brandtruth.pipeline.models import BrandProfile, GenerateInput
from tests.pipeline import brands_typed as typed


def brand(name: str = "Harbour Home", language: str = "en", facts: list[str] = ()) -> BrandProfile:  # type: ignore[assignment]
    return BrandProfile(
        url="https://site.example/",
        name=name,
        language=language,
        facts=[typed.fact(f"f{i}", "claim", text) for i, text in enumerate(facts, start=1)],
    )


@pytest.mark.parametrize("language", SUPPORTED)
def test_no_standard_cta_names_a_thing(language: str) -> None:
    for cta in standard_ctas(language):
        assert cta_subject(cta) == [], cta


def test_a_cta_naming_one_product_gives_way_on_an_ad_about_another() -> None:
    bakery = typed.boulangerie()
    assert fitting_cta("Commander un gâteau", "Baguette tradition à 1,30 €. Pétrie à la main.", bakery) == "Commander"
    assert fitting_cta("Shop sofas", "Linen lamps, hand-thrown bases.", brand()) == "Shop Now"
    assert fitting_cta("Pedir tartas", "Aceite de oliva virgen extra.", brand(language="es")) == "Pedir ahora"


def test_it_stays_on_an_ad_that_names_its_thing_in_any_form() -> None:
    bakery = typed.boulangerie()
    assert fitting_cta("Commander un gâteau", "Nos gâteaux d'anniversaire sur commande.", bakery) == "Commander un gâteau"
    assert fitting_cta("Order a cake", "Celebration cakes from $36.", brand()) == "Order a cake"
    assert fitting_cta("Book a class", "Twenty classes a week.", brand()) == "Book a class"


@pytest.mark.parametrize(
    ("cta", "name", "language"),
    [
        ("Get a Free Estimate", "Summit Roofing", "en"),
        ("Schedule Your Free Inspection", "Summit Roofing", "en"),  # a free service: offered whatever the ad says
        ("Book a Plumber", "ClearFlow Plumbing", "en"),  # the brand's own trade
        ("Download Quillpad", "Quillpad", "en"),
        ("Download for Mac", "Sproutly", "en"),
        ("Call Me Back", "Summit Roofing", "en"),
        ("Beratungstermin vereinbaren", "Bergwerk Schreinerei", "de"),  # a compound of a generic word
        ("Réserver une table", "Chez Paul", "fr"),
        ("Pedir presupuesto", "Casa Olivar", "es"),
        ("Read the quickstart", "Tracebolt", "en"),  # a reading CTA: any ad may point to what the site says
        ("Shop the collection", "Copper & Clay", "en"),  # the whole catalogue: whatever one ad shows
        ("Shop New Arrivals", "Copper & Clay", "en"),
        ("Découvrir la boutique", "Maison Lin", "fr"),
        ("Zur Kollektion", "Holzwerk", "de"),
    ],
)
def test_a_cta_that_names_nothing_particular_stays_on_every_ad(cta: str, name: str, language: str) -> None:
    assert fitting_cta(cta, "Thirty years on the same street.", brand(name, language)) == cta


def test_the_thing_most_of_the_site_speaks_of_fits_every_ad() -> None:
    studio = brand(
        "Harbor Yoga",
        facts=[
            "Small yoga classes by the waterfront.",
            "Twenty classes a week.",
            "Your first class is free.",
            "All mats, blocks and straps are provided.",
        ],
    )
    assert fitting_cta("Book a class", "All mats, blocks and straps are provided.", studio) == "Book a class"
    bakery = brand(
        "Crumb & Co.",
        facts=["Country sourdough every morning.", "Celebration cakes from $36.", "Pastries from $3.", "Open at 7."],
    )
    assert fitting_cta("Order a cake", "Country sourdough every morning.", bakery) == "Order Now"


def test_a_language_without_our_words_keeps_the_sites_own_cta() -> None:
    assert fitting_cta("Zamów tort", "Świeży chleb każdego ranka.", brand(language="pl")) == "Zamów tort"


def test_an_italian_cake_button_under_a_bread_ad_becomes_the_standard_order_cta() -> None:
    assert fitting_cta("Ordina una torta", "Pane fresco ogni mattina.", brand(language="it")) == "Ordina ora"


async def test_the_bakerys_bread_ads_say_commander_and_its_cake_ads_keep_its_button() -> None:
    bakery = typed.boulangerie()
    out = await generate_copy(GenerateInput(run_id="r", brand=bakery, num_variants=5), OfflineProvider())
    assert out.variants
    for v in out.variants:
        about_cakes = "gâteau" in f"{v.headline} {v.body} {v.description}".lower()
        assert v.cta == ("Commander un gâteau" if about_cakes else "Commander"), (v.headline, v.body, v.cta)


def test_a_spanish_booking_cta_names_no_product() -> None:
    assert fitting_cta("Pide tu cita", "Limpieza dental por 35 €.", brand("Clínica Sonríe", "es")) == "Pide tu cita"
