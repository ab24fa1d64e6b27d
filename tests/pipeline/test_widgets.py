"""Page-builder widgets read as a visitor sees them: count-up counters at their final number, a sale
price told from the struck-through price it replaced by the markup, in whatever order, a wall of
customers' logos never taken for the brand's own name or logo, and the buttons that work the page
(tabs, toggles, carousel arrows, FAQ questions) never taken for its calls to action."""

from __future__ import annotations

import pytest

from brandtruth.pipeline.extract.actions import ranked_actions
from brandtruth.pipeline.extract.facts import extract_facts
from brandtruth.pipeline.extract.media import logo_candidates
from brandtruth.pipeline.extract.naming import brand_name
from brandtruth.pipeline.extract.page import parse_page
from brandtruth.pipeline.llm.filters import usable
from brandtruth.pipeline.models import BrandProfile, Fact


def facts_of(body: str, lang: str = "en") -> list[Fact]:
    html = f"<html lang='{lang}'><head><title>Brand</title></head><body>{body}</body></html>"
    return extract_facts([parse_page(html, "https://brand.test/")])


def texts(facts: list[Fact]) -> list[str]:
    return [f.text for f in facts]


ELEMENTOR = """<section class="stats"><h2>Our numbers</h2>
<div class="elementor-counter"><div class="elementor-counter-number-wrapper">
<span class="elementor-counter-number-prefix"></span>
<span class="elementor-counter-number" data-duration="2000" data-to-value="1500" data-from-value="0" data-delimiter=",">0</span>
<span class="elementor-counter-number-suffix">+</span></div>
<div class="elementor-counter-title">Happy clients</div></div>
<div class="elementor-counter"><div class="elementor-counter-number-wrapper">
<span class="elementor-counter-number" data-duration="2000" data-to-value="25" data-from-value="0">0</span>
<span class="elementor-counter-number-suffix"></span></div>
<div class="elementor-counter-title">Years in business</div></div></section>"""

DIVI = """<div class="et_pb_row"><div class="et_pb_module et_pb_number_counter" data-number-value="98" data-number-separator="">
<div class="percent"><p><span class="percent-value"></span><span class="percent-sign">%</span></p></div>
<h3 class="title">Customer satisfaction</h3></div>
<div class="et_pb_module et_pb_number_counter" data-number-value="40000" data-number-separator="">
<div class="percent"><p><span class="percent-value"></span><span class="percent-sign"></span></p></div>
<h3 class="title">Meals served</h3></div></div>"""

COUNT_UP = """<section class="facts"><div class="stat"><span class="counter" data-count="40000">0</span>
<span class="label">cups poured last year</span></div>
<div class="stat"><span class="counter" data-target="120">0</span><span class="label">wholesale partners</span></div></section>"""


def test_an_elementor_counter_shows_the_number_it_counts_to() -> None:
    facts = texts(facts_of(ELEMENTOR))
    assert "1,500+ happy clients" in facts
    assert "25 years in business" in facts
    assert not any(f.startswith("0") for f in facts)


def test_a_divi_counter_fills_its_empty_value_with_the_number() -> None:
    facts = texts(facts_of(DIVI))
    assert "98% customer satisfaction" in facts
    assert "40,000 meals served" in facts  # grouped as the page's language writes it


@pytest.mark.parametrize(("lang", "shown"), [("en", "40,000"), ("de", "40.000"), ("fr", "40 000")])
def test_a_count_up_counter_is_grouped_as_its_language_writes_numbers(lang: str, shown: str) -> None:
    facts = texts(facts_of(COUNT_UP, lang=lang))
    assert f"{shown} cups poured last year" in facts
    assert "120 wholesale partners" in facts
    assert not any(f.startswith("0 ") for f in facts)


def test_attributes_that_are_no_counter_leave_the_text_alone() -> None:
    body = """<section class="stats"><div class="stat"><span class="number" data-value="3">3</span>
    <span class="label">locations in Portland</span></div>
    <div class="stat"><span class="number" data-target="#menu">12</span><span class="label">seasonal drinks</span></div>
    <div class="stat"><span class="number" data-count="7">1998</span><span class="label">the year we opened</span></div></section>
    <p>Open every day <span data-value="7"></span>from 7 am until the last loaf is sold.</p>"""
    html = f"<html lang='en'><head><title>Brand</title></head><body>{body}</body></html>"
    blocks = [b.text for b in parse_page(html, "https://brand.test/").blocks]
    assert "Open every day from 7 am until the last loaf is sold." in blocks  # an empty span is no counter
    assert texts(facts_of(body)) == ["3 locations in Portland", "12 seasonal drinks", "1998 the year we opened"]


SALE_AFTER = """<div class="grid product-grid">
<div class="product-card"><h3>Ethiopia Guji</h3><div class="price"><span class="money">$21.00</span> <s>$24.00</s></div>
<p>Single origin, light roast</p></div>
<div class="product-card"><h3>House Blend</h3><div class="price"><span class="money">$16.00</span></div>
<p>Medium roast</p></div></div>"""

SALE_BEFORE = """<ul class="products">
<li class="product"><h2>Linen Apron</h2><span class="price"><del>€48,00</del> <ins>€39,00</ins></span></li>
<li class="product"><h2>Canvas Tote</h2><span class="price">€24,00</span></li></ul>"""

TAILWIND = """<div class="grid"><div class="card"><h3>Trail Bottle</h3>
<p><span class="text-lg font-bold">$32</span> <span class="text-sm line-through text-gray-500">$40</span></p></div>
<div class="card"><h3>Camp Mug</h3><p><span class="text-lg font-bold">$18</span></p></div></div>"""


SQUARESPACE = """<section class="page-section">
<div class="summary-item"><div class="summary-title"><a href="/shop/p/wild-posy">The Wild Posy</a></div>
<div class="summary-price"><div class="product-price">£35.00</div></div></div>
<div class="summary-item"><div class="summary-title"><a href="/shop/p/garden-bouquet">The Garden Bouquet</a></div>
<div class="summary-price"><div class="product-price"><span class="sale-price">£48.00</span>
<span class="original-price">£55.00</span></div></div></div></section>"""


@pytest.mark.parametrize(
    ("body", "lang", "expected"),
    [
        (SQUARESPACE, "en", "The Garden Bouquet: £48.00 (was £55.00)"),  # named by its title link; original-price
        (SALE_AFTER, "en", "Ethiopia Guji: $21.00 (was $24.00)"),  # Shopify: the compare-at price struck after
        (SALE_BEFORE, "fr", "Linen Apron: €39,00 (au lieu de €48,00)"),  # WooCommerce: <del> first, then <ins>; in French
        (TAILWIND, "en", "Trail Bottle: $32 (was $40)"),  # a line-through class
    ],
)
def test_a_sale_price_is_the_one_not_struck_through(body: str, lang: str, expected: str) -> None:
    facts = texts(facts_of(body, lang=lang))
    assert any(f.startswith(expected) for f in facts), facts


WALL_PAGE = """<header><nav><a href="/">Ledgerly</a><a href="/pricing">Pricing</a></nav></header><main>
<section class="hero"><h1>Bookkeeping that closes itself</h1>
<img src="/img/hero-dashboard.png" alt="The Ledgerly dashboard"></section>
<section class="{row}"><div class="{inner}"><p>Trusted by 3,000+ small businesses</p>
<img src="/img/acme.svg" alt="Acme logo"><img src="/img/globex.svg" alt="Globex logo">
<img src="/img/initech.svg" alt="Initech logo">
</div></section></main>"""


@pytest.mark.parametrize(
    ("row", "inner"),
    [
        ("logos", "logos__row"),  # the row says what it is
        ("py-12 bg-gray-50", "grid grid-cols-5"),  # Tailwind says nothing: three logos side by side do
        ("section", "client_logos"),
    ],
)
def test_a_wall_of_customer_logos_is_neither_the_brand_name_nor_its_logo(row: str, inner: str) -> None:
    html = f"<html lang='en'><head><title>Ledgerly | Bookkeeping for small teams</title></head><body>{WALL_PAGE}</body></html>"
    page = parse_page(html.format(row=row, inner=inner), "https://ledgerly.test/")
    assert brand_name([page]) == "Ledgerly"
    logos = {ref.url.rsplit("/", 1)[-1] for _score, ref in logo_candidates([page])}
    assert not logos & {"acme.svg", "globex.svg", "initech.svg"}, logos


def test_the_brands_own_logo_outside_the_header_is_still_its_logo() -> None:
    body = """<main><section class="intro"><img src="/img/ledgerly-logo.png" alt="Ledgerly logo">
    <h1>Bookkeeping that closes itself</h1></section>
    <section class="press"><img src="/img/times.png" alt="The Times"><img src="/img/wired.png" alt="Wired"></section></main>"""
    page = parse_page(f"<html lang='en'><head><title>Home</title></head><body>{body}</body></html>", "https://ledgerly.test/")
    ranked = [ref.url.rsplit("/", 1)[-1] for _score, ref in logo_candidates([page])]
    assert ranked[:1] == ["ledgerly-logo.png"]
    assert brand_name([page]) == "Ledgerly"


CONTROLS = """<header><nav><a href="/">Ledgerly</a></nav></header><main>
<section class="hero"><h1>Bookkeeping that closes itself</h1>
<a class="btn btn-primary" href="/signup">Start free trial</a></section>
<section class="pricing"><div class="billing-toggle" role="tablist">
<button role="tab" aria-selected="true">Monthly</button><button role="tab" aria-selected="false">Annual (save 20%)</button></div>
<button class="toggle" aria-pressed="false">Show prices in EUR</button>
<div class="pricing-card"><h3>Starter</h3><p class="price">$19/month</p>
<a class="btn" href="/signup?plan=starter">Choose Starter</a></div>
</section>
<section class="reviews"><button class="slick-prev" aria-label="Previous">Previous review</button>
<button class="swiper-button-next">Next review</button></section>
<section class="faq"><button class="accordion" aria-expanded="false">Can I cancel anytime?</button>
<div class="panel"><p>Yes, you can cancel in two clicks.</p></div></section>
<section class="blog"><a class="btn" href="/blog">Load more</a></section></main>"""


def test_tabs_toggles_carousel_arrows_and_faq_questions_are_no_calls_to_action() -> None:
    html = f"<html lang='en'><head><title>Ledgerly</title></head><body>{CONTROLS}</body></html>"
    actions = ranked_actions([parse_page(html, "https://ledgerly.test/")])
    assert actions[:2] == ["Start free trial", "Choose Starter"]
    assert not {"Monthly", "Annual (save 20%)", "Show prices in EUR", "Previous review", "Next review"} & set(actions)
    assert "Can I cancel anytime?" not in actions
    assert actions[-1] == "Load more"  # generic: after every specific action


ELEMENTOR_TESTIMONIAL = """<section class="elementor-section"><div class="elementor-widget-testimonial">
<div class="elementor-testimonial-content">They came out the same afternoon and had our furnace running in an hour.
Honest pricing and very friendly.</div>
<div class="elementor-testimonial-meta"><div class="elementor-testimonial-name">Karen W.</div>
<div class="elementor-testimonial-job">Spokane Valley</div></div></div></section>"""


def test_a_testimonial_without_blockquote_or_paragraphs_is_read_whole_and_is_no_claim_of_the_brand() -> None:
    facts = facts_of(ELEMENTOR_TESTIMONIAL)
    said = [f for f in facts if f.kind == "testimonial"]
    assert [f.text for f in said] == [
        "They came out the same afternoon and had our furnace running in an hour. Honest pricing and very friendly."
    ]
    assert said[0].subject == "Karen W."
    assert [f for f in facts if f.kind != "testimonial"] == []  # the customer's words are not the brand's


ICON_BOXES = """<section class="elementor-section">
<div class="elementor-widget-icon-box"><div class="elementor-icon-box-content">
<h3 class="elementor-icon-box-title"><span>$89 Tune-Up Special</span></h3>
<p class="elementor-icon-box-description">Furnace or AC tune-up, 21-point inspection included.</p></div></div>
<div class="elementor-widget-icon-box"><div class="elementor-icon-box-content">
<h3 class="elementor-icon-box-title"><span>Duct Cleaning from $249</span></h3>
<p class="elementor-icon-box-description">Whole-home duct cleaning with before and after photos.</p></div></div>
<div class="elementor-widget-icon-box"><div class="elementor-icon-box-content">
<h3 class="elementor-icon-box-title"><span>Maintenance Plan</span></h3>
<p class="elementor-icon-box-description">$15/month</p></div></div></section>"""


def test_a_heading_that_names_an_offer_with_its_price_is_the_cards_name() -> None:
    prices = [f.text for f in facts_of(ICON_BOXES) if f.kind == "price"]
    assert "Tune-Up Special: $89 — furnace or AC tune-up, 21-point inspection included." in prices
    assert "Duct Cleaning: from $249 — whole-home duct cleaning with before and after photos." in prices
    assert any(p.startswith("Maintenance Plan: $15/month") for p in prices)  # a price of its own: read as before


@pytest.mark.parametrize("line", ["Based on 412 reviews", "Basé sur 412 avis", "Basierend auf 412 Bewertungen"])
def test_a_review_widgets_based_on_line_leans_on_its_rating_and_is_no_copy_on_its_own(line: str) -> None:
    brand = BrandProfile(url="https://valley.test/", name="Valley Comfort Heating & Air")
    assert not usable(line, brand, set())
    assert usable("412 five-star reviews from Spokane homeowners", brand, set())


def test_a_price_is_a_fact_only_with_what_it_prices() -> None:
    prices = [f.text for f in facts_of(SQUARESPACE) if f.kind == "price"]
    assert prices == ["The Wild Posy: £35.00", "The Garden Bouquet: £48.00 (was £55.00)"]
    unnamed = """<div class="grid"><div class="tile"><div class="amount">£35.00</div></div>
    <div class="tile"><div class="amount">£48.00</div></div></div>"""
    assert [f.text for f in facts_of(unnamed) if f.kind == "price"] == []  # never ": £35.00"


# Wix (and Elementor, Squarespace) wrap every heading and paragraph in a <div> of the same class, so a
# product's name, description and price repeat tag and class like cards of their own.
WIX_REPEATER = """<section><h2>Fan favorites</h2><div class="wixui-repeater">
<div role="listitem" class="wixui-repeater__item"><img src="/birria.jpg" alt="Birria tacos">
<div class="wixui-rich-text"><h3 class="font_4"><span>Birria Tacos</span></h3></div>
<div class="wixui-rich-text"><p class="font_8"><span>Three corn tortillas, braised beef, consommé for dipping.</span></p></div>
<div class="wixui-rich-text"><p class="font_8"><span>$14</span></p></div></div>
<div role="listitem" class="wixui-repeater__item"><img src="/elote.jpg" alt="Street corn">
<div class="wixui-rich-text"><h3 class="font_4"><span>Elote</span></h3></div>
<div class="wixui-rich-text"><p class="font_8"><span>Grilled street corn, cotija, chile-lime crema.</span></p></div>
<div class="wixui-rich-text"><p class="font_8"><span>$6.50</span></p></div></div>
</div></section>"""


def test_a_product_whose_every_line_a_page_builder_wraps_is_one_card_with_its_price() -> None:
    facts = texts(facts_of(WIX_REPEATER))
    assert "Birria Tacos: $14 — three corn tortillas, braised beef, consommé for dipping." in facts
    assert "Elote: $6.50 — grilled street corn, cotija, chile-lime crema." in facts
    assert not any(f.startswith(("$", ":")) for f in facts)


def test_wrapped_blocks_in_a_row_of_their_own_are_still_read() -> None:
    """Outside a repeated box the wrappers are plain blocks of the section, as before."""
    body = """<section><div class="wixui-rich-text"><h2><span>Catering</span></h2></div>
    <div class="wixui-rich-text"><p><span>Taco bars and drop-off trays for 20 to 500 guests anywhere in Pima County.</span></p>
    </div></section>"""
    assert any("Taco bars and drop-off trays for 20 to 500 guests" in f for f in texts(facts_of(body)))


def test_a_quotation_with_its_byline_in_any_section_is_a_testimonial_not_the_brands_claim() -> None:
    """Small-business sites write reviews as plain paragraphs under headings such as "What Tucson says"."""
    body = """<section><h2>What Tucson says</h2>
    <p>"Best birria in Arizona, hands down. The consommé alone is worth the drive." – Marisol G.</p>
    <p>“Catering for our wedding was flawless, and the taco bar was gone in an hour.”</p><p>— Dana &amp; Luis, Oro Valley</p>
    <p>Taco bars and drop-off trays for 20 to 500 guests anywhere in Pima County.</p></section>"""
    facts = facts_of(body)
    said = {f.text: f.subject for f in facts if f.kind == "testimonial"}
    assert said == {
        "Best birria in Arizona, hands down. The consommé alone is worth the drive.": "Marisol G.",
        "Catering for our wedding was flawless, and the taco bar was gone in an hour.": "Dana & Luis",
    }
    own = [f.text for f in facts if f.kind != "testimonial"]
    assert own == ["Taco bars and drop-off trays for 20 to 500 guests anywhere in Pima County"]


def test_a_quoted_phrase_inside_the_brands_own_sentence_stays_its_claim() -> None:
    body = """<section><p>“Fixed right the first time” is our promise on every repair since 1987.</p>
    <p>“We answer the phone 24/7.”</p></section>"""
    facts = [f for f in facts_of(body) if f.kind != "testimonial"]
    assert any(f.text.startswith("“Fixed right the first time” is our promise") for f in facts), texts(facts)
    assert not [f for f in facts_of(body) if f.kind == "testimonial"]


GUTENBERG = """<div class="top-bar"><p>Call today: (512) 555-0199 · Licensed &amp; Insured · Serving Austin since 2009</p></div>
<header class="site-header"><nav><a href="/">Home</a> <a href="/services/">Services</a></nav></header>
<main><div class="wp-block-columns">
<div class="wp-block-column"><h3 class="wp-block-heading">Lawn Care</h3>
<p>Mowing, edging and fertilising every week from March to November. Plans start at $45 per visit.</p></div>
<div class="wp-block-column"><h3 class="wp-block-heading">Landscape Design</h3>
<p>Drought-tolerant native gardens that cut water bills by up to 40%.</p></div></div>
<div class="wp-block-group"><h2 class="wp-block-heading">Spring Special</h2>
<p><strong>Save 15%</strong> on any new landscape design booked before April 30.</p></div></main>"""


def test_a_price_sentence_that_names_nothing_is_priced_for_its_cards_heading() -> None:
    facts = {f.text: f for f in facts_of(GUTENBERG)}
    lawn = facts["Lawn Care: plans start at $45 per visit"]
    assert (lawn.kind, lawn.subject, lawn.evidence) == ("price", "Lawn Care", "Plans start at $45 per visit.")


def test_money_off_is_an_offer_and_an_announcement_bar_states_the_founding_year() -> None:
    kinds = {f.text: f.kind for f in facts_of(GUTENBERG)}
    assert kinds["Save 15% on any new landscape design booked before April 30"] == "offer"
    assert kinds["Serving Austin since 2009"] == "founded"
    assert not any("555-0199" in text for text in kinds)  # the phone line is no fact


# Webflow (Client-First classes): headings are <div>s styled as headings, a dropdown's answer sits in a <nav>,
# and a type scale's "text-size-small" is on every other line.
WEBFLOW = """<div role="banner" class="navbar w-nav"><a href="/" class="brand w-nav-brand">Shiftwise</a>
<nav role="navigation" class="nav-menu w-nav-menu"><a href="/pricing" class="nav-link w-nav-link">Pricing</a></nav></div>
<main><section class="section_hero"><div class="hero_component">
<div class="heading-style-h1">Build next week's schedule in 10 minutes</div>
<div class="text-size-medium">Shiftwise drafts your rota from sales forecasts and staff availability.</div>
<a href="/signup" class="button-primary w-button">Start free trial</a>
<div class="text-size-tiny">Free for 14 days</div></div></section>
<section class="section_logos"><div class="text-size-small">Loved by 2,300+ restaurants</div></section>
<section class="section_faq"><div class="heading-style-h2">FAQ</div>
<div class="faq_item w-dropdown"><div class="faq_question w-dropdown-toggle"><div>Is there a guarantee?</div></div>
<nav class="faq_answer w-dropdown-list"><p>Yes. Every plan comes with a 30-day money-back guarantee.</p></nav></div>
</section></main>"""


def test_a_div_styled_as_a_heading_is_a_heading_and_the_heros_is_the_tagline() -> None:
    page = parse_page(f"<html lang='en'><head><title>Shiftwise</title></head><body>{WEBFLOW}</body></html>", "https://s.test/")
    assert ("h1", "Build next week's schedule in 10 minutes") in page.headings
    assert ("h2", "FAQ") in page.headings
    assert "FAQ" not in texts(extract_facts([page]))


def test_the_heros_own_claim_with_a_number_is_a_fact_to_check_copy_against() -> None:
    hero = "<section class='hero'><h1>Close your books 3x faster</h1><p>Ledgerly reconciles for you.</p></section>"
    assert [(f.text, f.region) for f in facts_of(hero)] == [("Close your books 3x faster", "hero")]
    assert ("Build next week's schedule in 10 minutes", "hero") in [(f.text, f.region) for f in facts_of(WEBFLOW)]
    assert not facts_of("<section class='hero'><h1>Bread worth waking up for</h1></section>")  # no number: no fact
    zero = facts_of("<section class='hero'><h1>Beautiful Yards, Zero Weekend Work</h1></section>")  # a number in words
    assert [(f.text, f.region) for f in zero] == [("Beautiful Yards, Zero Weekend Work", "hero")]


def test_a_type_scales_small_text_is_no_fine_print_and_an_answer_in_a_nav_is_read() -> None:
    kinds = {f.text: f.kind for f in facts_of(WEBFLOW)}
    assert kinds["Free for 14 days"] == "trial"
    assert "terms" not in kinds.values()  # "Loved by 2,300+ restaurants" is no term of the trial above it
    assert kinds["Every plan comes with a 30-day money-back guarantee"] == "guarantee"


# Shopify's Dawn theme: an announcement <p class="h5">, a price with the theme's note under it, and
# Judge.me's review list, whose boxes ("jdgm-rev") do not say "review".
DAWN = """<div class="announcement-bar" role="region" aria-label="Announcement">
<p class="announcement-bar__message h5"><span>Free shipping on orders over $50</span></p></div>
<main><div class="product__info-container"><div class="product__title"><h1>Cold Brew Concentrate</h1></div>
<div class="price__regular"><span class="visually-hidden">Regular price</span><span class="price-item">$24.00 USD</span></div>
<div class="product__tax caption rte">Shipping calculated at checkout.</div>
<div class="product__description rte"><p>One 32 oz bottle makes 16 cups.</p></div></div>
<div class="jdgm-rev-widg"><div class="jdgm-rev-widg__reviews">
<div class="jdgm-rev"><span class="jdgm-rev__author">Chris P.</span><div class="jdgm-rev__body">
<p>I've tried every cold brew in the grocery store and this beats all of them.</p></div></div>
<div class="jdgm-rev"><span class="jdgm-rev__author">Dana K.</span><div class="jdgm-rev__body">
<p>Love it with oat milk, and one bottle lasts me two weeks.</p></div></div></div></div></main>"""


def test_free_shipping_over_a_threshold_is_an_offer_and_a_shop_note_describes_no_product() -> None:
    kinds = {f.text: f.kind for f in facts_of(DAWN)}
    assert kinds["Free shipping on orders over $50"] == "offer"  # a <p class="h5"> is still a paragraph
    assert not any("calculated at checkout" in text for text in kinds if kinds[text] == "price")


def test_each_review_of_a_review_list_is_its_own_testimonial() -> None:
    said = {f.text: f.subject for f in facts_of(DAWN) if f.kind == "testimonial"}
    assert said == {
        "I've tried every cold brew in the grocery store and this beats all of them.": "Chris P.",
        "Love it with oat milk, and one bottle lasts me two weeks.": "Dana K.",
    }


# Elementor: every section of the page, header and hero included, is an "elementor-section" of its own, and
# its price list writes the name and the price on one line, the description under them.
ELEMENTOR_PAGE = """<section class="elementor-section">
<div class="elementor-widget-theme-site-logo"><a href="/">Malerbetrieb Schuster</a></div>
<nav class="elementor-nav-menu--main"><a href="/leistungen/">Leistungen</a> <a href="/kontakt/">Kontakt</a></nav></section>
<section class="elementor-section hero"><div class="elementor-widget-heading"><h1>Frische Farbe für Ihr Zuhause</h1></div>
<div class="elementor-widget-text-editor">
<p>Wir streichen Wohnungen und Treppenhäuser in Augsburg, sauber, pünktlich und zum Festpreis.</p></div></section>
<section class="elementor-section"><ul class="elementor-price-list">
<li class="elementor-price-list-item"><div class="elementor-price-list-header">
<span class="elementor-price-list-title">Zimmer streichen</span>
<span class="elementor-price-list-separator"></span><span class="elementor-price-list-price">ab 249 €</span></div>
<p class="elementor-price-list-description">Wände und Decke, bis 20 m², Farbe inklusive.</p></li>
<li class="elementor-price-list-item"><div class="elementor-price-list-header">
<span class="elementor-price-list-title">Fassadenanstrich</span>
<span class="elementor-price-list-separator"></span><span class="elementor-price-list-price">ab 29 € / m²</span></div>
<p class="elementor-price-list-description">Mit Gerüst und Reinigung der Fassade.</p></li></ul></section>"""


def test_a_price_lists_line_names_what_it_prices_with_its_unit() -> None:
    prices = [f.text for f in facts_of(ELEMENTOR_PAGE, "de") if f.kind == "price"]
    assert prices == [
        "Zimmer streichen: ab 249 € — Wände und Decke, bis 20 m², Farbe inklusive.",
        "Fassadenanstrich: ab 29 € / m² — Mit Gerüst und Reinigung der Fassade.",
    ]


def test_a_hero_repeated_like_a_card_is_still_the_hero_and_a_header_is_no_card() -> None:
    page = parse_page(f"<html lang='de'><body>{ELEMENTOR_PAGE}</body></html>", "https://maler.test/")
    said = next(b for b in page.blocks if b.text.startswith("Wir streichen"))
    assert said.region == "hero"
    assert all(b.card < 0 for b in page.blocks if b.region == "nav")
    assert not [f for f in extract_facts([page]) if f.text.startswith("Wir streichen") and f.kind == "feature"]


# Squarespace: a class's card is an image block and a text block, its price in bold at the end of the text.
SQUARESPACE_CLASSES = """<section class="page-section"><div class="row sqs-row">
<div class="col sqs-col-4 span-4"><div class="sqs-block image-block"><img src="wheel.jpg" alt="Student at the wheel"></div>
<div class="sqs-block html-block"><div class="sqs-html-content"><h3>Intro to the Wheel</h3>
<p>Make a mug, a bowl and a plate. <strong>$240</strong></p></div></div></div>
<div class="col sqs-col-4 span-4"><div class="sqs-block image-block"><img src="date.jpg" alt="Couple at the wheel"></div>
<div class="sqs-block html-block"><div class="sqs-html-content"><h3>Date Night</h3>
<p>A two-hour wheel session for two, wine included. <strong>$110 per couple</strong></p></div></div></div></div></section>"""


def test_a_price_that_ends_a_cards_sentence_is_the_price_of_the_cards_heading() -> None:
    prices = [f.text for f in facts_of(SQUARESPACE_CLASSES) if f.kind == "price"]
    assert prices == [
        "Intro to the Wheel: $240 — make a mug, a bowl and a plate.",
        "Date Night: $110 per couple — a two-hour wheel session for two, wine included.",
    ]


WOO_GRID = """<div class="wp-block-cover hero"><h1>Stoneware made to be used every day</h1>
<p>Every piece is fired to 2,300°F, so it is dishwasher and microwave safe.</p>
<p>Questions? Call us on 0828 555 0192 any weekday morning.</p>
<div class="wp-block-buttons"><div class="wp-block-button">
<a class="wp-block-button__link" href="/shop/">Shop the collection</a></div></div></div>
<ul class="products">
<li class="product"><h2 class="woocommerce-loop-product__title">Morning Mug</h2><span class="price">$32.00</span>
<a href="?add-to-cart=12" class="button add_to_cart_button">Add to cart</a></li>
<li class="product"><h2 class="woocommerce-loop-product__title">Hanging Planter</h2><span class="price">$28.00 – $54.00</span>
<a href="/product/planter/" class="button product_type_variable">Select options</a></li>
<li class="product"><h2 class="woocommerce-loop-product__title">Ramen Bowl</h2><span class="price">$46.00</span>
<a href="/product/bowl/" class="button">Select options</a></li></ul>"""


def test_a_block_themes_button_is_the_sites_action_and_a_product_cards_buttons_are_not() -> None:
    """WordPress writes its buttons as "wp-block-button__link" (a BEM part); WooCommerce's "Select options" is a
    product card's, however often the grid repeats it."""
    html = f"<html lang='en'><head><title>Brand</title></head><body>{WOO_GRID}</body></html>"
    assert ranked_actions([parse_page(html, "https://brand.test/")])[0] == "Shop the collection"


def test_a_hero_sentence_with_a_number_is_a_fact_and_its_phone_line_is_not() -> None:
    """The hero's value proposition states a number no other fact states: without a fact of its own no ad could say it."""
    found = texts(facts_of(WOO_GRID))
    assert "Every piece is fired to 2,300°F, so it is dishwasher and microwave safe" in found
    assert not [t for t in found if "0828" in t]


def test_a_price_that_does_something_prices_what_the_sentence_before_speaks_of() -> None:
    """ "$285 includes clay, glazes and firing" is no product called "includes clay": the class before it is."""
    found = facts_of("<section><h2>Learn to throw</h2><p>Our six-week wheel class meets Tuesday evenings. "
                     "$285 includes clay, glazes and firing.</p><p>$40 covers a private lesson.</p></section>")  # fmt: skip
    subjects = {f.text: f.subject for f in found if f.kind == "price"}
    assert subjects == {
        "Our six-week wheel class meets Tuesday evenings. $285 includes clay, glazes and firing": "six-week wheel class",
        "$40 covers a private lesson": "",
    }, subjects


def menu(extra: str = "", head: str = "") -> str:
    items = "".join(
        f'<li class="menu-item"><div class="menu-item-header"><span class="menu-item-name">{name}</span>'
        f'<span class="menu-item-price">{price}</span></div><p class="menu-item-desc">{desc}</p></li>'
        for name, price, desc in (
            ("Margherita", "14", "San Marzano tomato, fior di latte, basil, olive oil"),
            ("Diavola", "17", "Tomato, spicy soppressata, mozzarella, chili honey"),
            ("Funghi", "18.50", "Roasted mushrooms, fontina, thyme, truffle oil"),
        )
    )
    return f'<html lang="en"><head><title>Fiamma</title>{head}</head><body><section id="menu"><h2>From the oven</h2><ul class="menu-list">{items}</ul>{extra}</section></body></html>'  # noqa: E501


def prices_of(html: str) -> dict[str, tuple[str, str]]:
    found = extract_facts([parse_page(html, "https://fiamma.test/")])
    return {f.subject: (f.text, f.evidence) for f in found if f.kind == "price"}


def test_a_menus_bare_amounts_are_priced_in_the_currency_the_page_writes_its_other_prices_in() -> None:
    """Menus write "Margherita 14": with "$" elsewhere on the page, that is $14; the evidence stays as written."""
    prices = prices_of(menu('<p class="note">Gluten-free crust available for $3.</p>'))
    assert prices["Margherita"] == (
        "Margherita: $14 — San Marzano tomato, fior di latte, basil, olive oil",
        "Margherita 14 San Marzano tomato, fior di latte, basil, olive oil",
    )
    assert prices["Funghi"][0].startswith("Funghi: $18.50 — roasted mushrooms")
    assert prices["Gluten-free crust"][0] == "Gluten-free crust available for $3"  # not a product called "crust available"
    # The currency its structured data declares for its offers; "priceRange": "$$" is a price level, written so in
    # Europe too, and a page with no currency anywhere gets none invented.
    ld = '{"@graph": [{"@type": "Restaurant", "name": "Fiamma"}, {"@type": "Offer", "priceCurrency": "USD"}]}'
    head = f'<script type="application/ld+json">{ld}</script>'
    assert prices_of(menu(head=head))["Diavola"][0].startswith("Diavola: $17 — tomato, spicy soppressata")
    level = '<script type="application/ld+json">{"@type": "Restaurant", "priceRange": "$$"}</script>'
    assert prices_of(menu(head=level)) == {}
    assert prices_of(menu()) == {}


PRESS = """<section class="press"><p class="press-quote">“The best pizza in Denver, full stop.”
<span class="press-source">— 5280 Magazine</span></p></section>
<section class="reviews"><div class="yelp-badge"><span class="stars">★★★★★</span> 4.7 on Yelp · 1,214 reviews</div></section>"""


def test_a_press_quote_names_its_publication_and_the_page_footer_is_nobodys_byline() -> None:
    html = f"<html lang='en'><head><title>Fiamma</title></head><body>{PRESS}<footer><p>3200 Tejon St, Denver, CO 80211</p>"
    html += "<p>© 2025 Fiamma Pizzeria LLC</p></footer></body></html>"
    page = parse_page(html, "https://fiamma.test/")
    assert [(q.quote, q.author) for q in page.testimonials] == [("The best pizza in Denver, full stop.", "5280 Magazine")]
    rating = {f.text: f.kind for f in extract_facts([page]) if f.kind != "testimonial"}
    assert rating == {"4.7 on Yelp": "stat", "1,214 reviews": "customers"}, rating  # the stars are the badge's, not its claim


LEGACY = """<table><tr><td><font face="Arial" size="2"><b>WELCOME TO MILLER'S AUTO REPAIR</b><br><br>
Family owned and operated since 1987, Miller's Auto Repair has been keeping Springfield
on the road for over 35 years.<br><br>
<b>OUR SERVICES:</b><br>- Brakes &amp; Rotors<br>- Oil Changes<br>- Transmission Service<br><br>
<b>$10 OFF ANY OIL CHANGE!</b> Mention this website.<br><br>
<b>HOURS:</b><br>Mon-Fri 7:30am - 5:30pm<br>Sat 8am - 12pm<br><br>
<b>CALL US TODAY!</b><br>(217) 555-0199<br><br>
<i>"They fixed my brakes the same day and charged less than the quote."</i><br>- Tom B., Chatham
</font></td></tr></table>"""


def test_a_page_of_font_and_br_reads_as_its_paragraphs_labels_and_lists() -> None:
    """A blank line (<br><br>) ends a paragraph, "OUR SERVICES:" labels the list typed under it: the welcome line
    no longer runs into the founding sentence, nor the services into the offer (the source's own line ends in a
    sentence are no breaks)."""
    from brandtruth.pipeline.extract import build_profile

    html = f"<html lang='en'><head><title>Miller's Auto Repair</title></head><body>{LEGACY}</body></html>"
    page = parse_page(html, "https://millers.test/")
    brand = build_profile("https://millers.test/", [page], [], [], None, [], [])
    kinds = {f.text: f.kind for f in brand.facts}
    assert kinds == {
        "Family owned and operated since 1987, Miller's Auto Repair has been keeping Springfield on the road for over 35 years": (
            "founded"
        ),
        "$10 off any oil change": "offer",  # money off, not a product priced $10
        "They fixed my brakes the same day and charged less than the quote.": "testimonial",
    }, kinds
    assert [(q.quote, q.author, q.place) for q in page.testimonials] == [
        ("They fixed my brakes the same day and charged less than the quote.", "Tom B.", "Chatham")
    ]
    assert brand.features == ["Brakes & Rotors", "Oil Changes", "Transmission Service"]
    assert not [p for p in brand.value_props if "Mon-Fri" in p or "Call us" in p or "Brakes" in p], brand.value_props


LAW = """<div class="top-bar"><a href="tel:9165550110">Call 24/7: (916) 555-0110</a></div>
<header><nav><a href="/results/">Results</a></nav></header>
<section class="hero"><h1>Hurt in an accident? We fight for what you're owed.</h1>
<h2>Over $250 Million Recovered for Injured Californians</h2><p>You pay nothing unless we win your case.</p></section>
<section class="results"><h2>Recent Results</h2><div class="result-grid">
<div class="result"><span class="amount">$4.2 Million</span> <span class="type">Trucking Accident</span></div>
<div class="result"><span class="amount">$950,000</span> <span class="type">Slip and Fall</span></div></div>
<p class="disclaimer"><small>Past results do not guarantee a similar outcome.</small></p></section>"""


def test_money_won_for_clients_is_a_result_never_a_price_and_a_disclaimer_promises_nothing() -> None:
    """ "Slip and Fall for $950,000" read as a product's price; "Past results do not guarantee ..." as a guarantee."""
    kinds = {f.text: f.kind for f in facts_of(LAW)}
    assert kinds == {
        "Over $250 Million Recovered for Injured Californians": "stat",
        "$4.2 million trucking accident": "stat",  # said as one line, as a result is
        "$950,000 slip and fall": "stat",
    }, kinds


def test_numbers_that_count_are_never_a_menus_prices_nor_a_shops_prices_results() -> None:
    """A bare number prices a line only in a menu's own item, and never one that counts; a card that writes its
    price keeps it; "results" in a search page's classes does not turn its products' prices into money won."""
    recipe = """<ul class="menu-list"><li class="menu-item"><div>Serves 4</div><p>Slow-braised short rib, polenta</p></li>
    <li class="menu-item"><div>Calories 450</div><p>Grilled salmon, greens</p></li></ul><p>Mains from $18.</p>"""
    assert not [f for f in facts_of(recipe) if f.kind == "price" and ("Serves" in f.text or "Calories" in f.text)]
    plans = """<div class="menu-plans"><div class="menu-item plan"><h3>Basic</h3><p>Projects 3</p><p>$9/mo</p></div>
    <div class="menu-item plan"><h3>Team</h3><p>Projects 20</p><p>$29/mo</p></div></div>"""
    assert {f.subject: f.value for f in facts_of(plans) if f.kind == "price"} == {"Basic": "$9/mo", "Team": "$29/mo"}
    shop = """<div class="search-results"><div class="product"><h3>Data Recovery</h3><span>$149</span></div>
    <div class="product"><h3>Screen Repair</h3><span>$89</span></div></div>"""
    assert {f.subject: f.kind for f in facts_of(shop) if f.value} == {"Data Recovery": "price", "Screen Repair": "price"}


@pytest.mark.parametrize(
    ("line", "hours"),
    [
        ("Mon-Fri 7:30am - 5:30pm", True),
        ("Lun–Ven 8h–18h", True),
        ("Mo.–Fr. 8–18 Uhr", True),
        ("Free 2-day shipping", False),
        ("Satisfaction 100% guaranteed", False),
        ("Same 24 hour turnaround", False),
        ("Sold 500 homes last year", False),
    ],
)
def test_opening_hours_are_told_from_a_line_that_starts_like_a_day(line: str, hours: bool) -> None:
    from brandtruth.pipeline.extract.lexicon import HOURS

    assert bool(HOURS.search(line)) is hours


def test_a_family_business_heading_its_founding_year_and_free_cancellation_are_read() -> None:
    body = """<section class="usp"><ul><li>Kostenlose Stornierung bis 7 Tage vor Anreise</li></ul></section>
    <section class="about"><h2>Seit 1962 in Familienhand</h2>
    <p>Großvater Anton hat das Haus 1962 gebaut, heute führen wir es in dritter Generation.</p></section>"""
    kinds = {f.text: f.kind for f in facts_of(body, "de")}
    assert kinds == {
        "Kostenlose Stornierung bis 7 Tage vor Anreise": "offer",
        "Seit 1962 in Familienhand": "founded",
        "Großvater Anton hat das Haus 1962 gebaut, heute führen wir es in dritter Generation": "founded",
    }, kinds


def test_a_copyright_line_with_only_a_year_names_nobody_and_spanish_offers_are_offers() -> None:
    from brandtruth.pipeline.extract import build_profile

    html = """<html lang="es"><head><title>Clínica Dental Sonríe | Dentistas en Valencia</title></head><body>
    <section class="hero"><h1>Tu sonrisa, en las mejores manos</h1></section>
    <section><p>Primera visita y diagnóstico gratuitos. Financiación hasta 24 meses sin intereses.</p></section>
    <footer class="site-footer"><p>© 2025 · Aviso legal · Política de privacidad</p></footer></body></html>"""
    brand = build_profile("https://sonrie.test/", [parse_page(html, "https://sonrie.test/")], [], [], None, [], [])
    assert brand.name == "Clínica Dental Sonríe"
    assert {f.text: f.kind for f in brand.facts} == {
        "Primera visita y diagnóstico gratuitos": "offer",
        "Financiación hasta 24 meses sin intereses": "offer",
    }


def test_a_sentence_that_tells_what_the_brand_does_by_its_name_is_a_fact() -> None:
    html = """<html lang="en"><head><title>Tracebolt</title><meta property="og:site_name" content="Tracebolt"></head><body>
    <section><h2>Built for production</h2><p>Tracebolt exports standard OpenTelemetry data, so there is no lock-in.</p>
    <p>The weather was lovely at the conference this year.</p></section></body></html>"""
    page = parse_page(html, "https://tracebolt.test/")
    assert [f.text for f in extract_facts([page], brand_name="Tracebolt")] == [
        "Tracebolt exports standard OpenTelemetry data, so there is no lock-in"
    ]
    assert extract_facts([page]) == []  # without the name, nothing says whose claim it is
