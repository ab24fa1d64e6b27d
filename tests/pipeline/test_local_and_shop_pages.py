"""Pages small businesses actually publish, read as their marketer reads them: a Shopify product page, a
plumber's coupons, a law firm's results, a Wix studio, a German workshop's offer. Each test fails on the
reading that came before it."""

from __future__ import annotations

from brandtruth.pipeline.extract import build_profile
from brandtruth.pipeline.extract.facts import split_sentences
from brandtruth.pipeline.extract.naming import brand_name
from brandtruth.pipeline.extract.page import parse_page
from brandtruth.pipeline.generate.platforms import limits_for
from brandtruth.pipeline.llm.base import CopyRequest, Slot
from brandtruth.pipeline.llm.offline import Writer, material
from brandtruth.pipeline.models import Fact
from tests.pipeline.test_site_classes import URL, profile_of, variants_of


def _facts(body: str, title: str = "Brand", lang: str = "en") -> list[Fact]:
    return profile_of(body, title, lang).facts


def _named(head: str, body: str) -> str:
    return brand_name([parse_page(f"<html><head>{head}</head><body>{body}</body></html>", URL)])


def test_the_name_is_the_businesss_not_its_town_its_builders_wording_or_its_logos_styling() -> None:
    # Wix: a text logo the parser cannot see, a title ending in the town, a footer "© 2026 by …".
    wix = "<p>IRONOAK</p><h1>Stronger together</h1><p>© 2026 by IronOak CrossFit. Proudly created with Wix.com</p>"
    assert _named("<title>IronOak CrossFit | Boulder, CO</title>", wix) == "IronOak CrossFit"
    # A wordmark set in lower case gives way to the title's spelling; a firm's "P.C." is a legal suffix.
    app = '<header><a href="/" aria-label="Tally home"><span class="wordmark">tally</span></a></header>'
    assert _named("<title>Tally — Budgeting made simple</title>", app.replace("wordmark", "logo")) == "Tally"
    firm = '<header><div class="logo"><a href="/"><span>HARTLEY &amp; MOSS</span><span>Injury Attorneys</span></a></div></header>'
    assert _named("<title>Denver Personal Injury Lawyers | Hartley &amp; Moss, P.C.</title>", firm) == "Hartley & Moss"


# Shopify's Dawn: the product's price box (sale price, the old one struck through, the regular price its CSS hides
# on sale, badges), the shop's notes, and a sold-out product among the related ones.
DAWN_PRODUCT = """<div class="announcement-bar"><p>Free US shipping on orders $75+ | Free returns within 30 days</p></div>
<section class="product"><div class="product__info-wrapper"><p class="product__text">Canvas &amp; Co.</p>
<h1 class="product__title">The Everyday Tote</h1><p class="rating-count"><span aria-hidden="true">(1,203)</span></p>
<div class="price price--on-sale"><div class="price__container">
<div class="price__regular"><span class="visually-hidden">Regular price</span><span class="price-item">$88.00 USD</span></div>
<div class="price__sale"><span class="visually-hidden">Sale price</span><span class="price-item">$68.00 USD</span>
<s class="price-item price-item--regular">$88.00 USD</s></div></div>
<span class="badge price__badge-sale">Sale</span><span class="badge price__badge-sold-out">Sold out</span></div>
<div class="product__tax">Tax included. Shipping calculated at checkout.</div>
<form><button type="submit">Add to cart</button></form>
<div class="product__description rte"><p>Our best-selling tote, made from 18 oz organic cotton canvas with full-grain
leather handles.</p><ul><li>18 oz organic cotton canvas</li><li>Interior zip pocket</li></ul></div>
<details><summary><h2>Shipping &amp; Returns</h2></summary><p>Orders ship within 2 business days. Returns accepted
within 30 days of delivery.</p></details></div></section>
<section class="related-products"><h2>You may also like</h2><ul class="grid product-grid">
<li class="grid__item"><div class="card"><h3 class="card__heading"><a href="/products/market-bag">The Market Bag</a></h3>
<div class="price"><span class="price-item">$54.00 USD</span></div></div></li>
<li class="grid__item"><div class="card"><h3 class="card__heading"><a href="/products/weekender">The Weekender</a></h3>
<div class="price price--sold-out"><span class="price-item">$198.00 USD</span><span class="badge">Sold out</span></div></div></li>
</ul></section>"""


def test_a_shopify_product_page_prices_its_product_and_a_sold_out_one_says_nothing() -> None:
    facts = _facts(DAWN_PRODUCT, "The Everyday Tote – Canvas &amp; Co.")
    by_text = {f.text: f for f in facts}
    assert by_text["The Everyday Tote: $68.00 (was $88.00)"].subject == "The Everyday Tote"  # not "USD 88"
    assert not any("198" in f.evidence or "Weekender" in f.text for f in facts)
    assert by_text["Free US shipping on orders $75+"].kind == "offer"
    assert by_text["Returns accepted within 30 days of delivery"].kind == "guarantee"
    # A product's measure is a detail of it, not proof like a count of customers.
    assert by_text["18 oz organic cotton canvas"].kind == "feature"


def test_a_product_pages_ads_may_all_name_its_product_so_the_sale_gets_its_ad() -> None:
    # As Dawn writes a whole product page: the site's name, the product's photos beside its info, and more said of it
    # than one card holds.
    head = "<title>The Everyday Tote – Canvas &amp; Co.</title><meta property='og:site_name' content='Canvas &amp; Co.'>"
    head += "<meta name='description' content='Our best-selling tote. Handmade in Portland, Oregon.'>"
    photos = "<div class='product__media-wrapper'><img src='/tote.jpg' alt='The Everyday Tote in natural canvas'></div>"
    more = "<details><summary><h2>Care</h2></summary><p>Spot clean with mild soap and cold water. " * 6 + "</p></details>"
    body = DAWN_PRODUCT.replace('<div class="product__info-wrapper">', photos + '<div class="product__info-wrapper">')
    body = body.replace("</div></section>", more + "</div></section>", 1)
    html = f"<html lang='en'><head>{head}</head><body>{body}</body></html>"
    profile = build_profile(URL, [parse_page(html, URL)], [], [], None, [], [])
    variants = variants_of(profile)
    # The first ad is headed by the product, as the page is: the offer ad naming it is no repeat of that one.
    assert variants[0].headline == "The Everyday Tote"
    assert any(v.angle == "offer" and "The Everyday Tote for $68.00 (was $88.00)" in v.body for v in variants)
    slots = [Slot(id="v1", angle="offer")]
    req = CopyRequest(run_id="r", brand=profile, platform="meta", limits=limits_for("meta"), slots=slots, ctas=[])
    writer = Writer(req, material(profile))
    assert writer.material_in("The Everyday Tote for $68.00 (was $88.00).") == set()  # said by every ad, shared by none
    assert writer.material_in("The Market Bag for $54.00.") == {"p:the market bag"}


def test_a_measure_of_something_counted_stays_proof() -> None:
    kinds = {f.text: f.kind for f in _facts("<p>Last year we rescued 2 million lbs of food from landfill.</p>")}
    assert kinds == {"Last year we rescued 2 million lbs of food from landfill": "stat"}


# A plumber's coupons: money off over what it is off, something free over what for, each with its fine print.
COUPONS = """<section class="coupons"><h2>Current Specials</h2>
<div class="coupon"><h3>$50 OFF</h3><p>Any plumbing repair over $300</p>
<small>Must present coupon at time of service. Not valid with other offers. Expires 12/31/2026.</small></div>
<div class="coupon"><h3>$89 Drain Cleaning</h3><p>Main line drain cleaning from an accessible cleanout</p>
<small>Residential only. Restrictions apply.</small></div>
<div class="coupon"><h3>FREE Estimates</h3><p>On water heater replacement</p></div></section>
<section class="financing"><h2>Financing Available</h2><p>0% APR for 18 months on water heaters and sewer repairs.*
<a href="/financing/">Apply Now</a></p><p class="fine-print">*Subject to credit approval.</p></section>"""


def test_a_coupon_is_an_offer_said_in_one_line_with_its_fine_print_as_terms() -> None:
    facts = _facts(COUPONS)
    by_text = {f.text: f for f in facts}
    assert by_text["$50 off any plumbing repair over $300"].kind == "offer"  # not a product called "OFF" for $50
    assert by_text["Free estimates on water heater replacement"].kind == "offer"
    assert by_text["Drain Cleaning: $89 — main line drain cleaning from an accessible cleanout"].kind == "price"
    terms = {f.text: f.subject for f in facts if f.kind == "terms"}
    assert terms["Must present coupon at time of service. Not valid with other offers. Expires 12/31/2026"] == (
        "$50 off any plumbing repair over $300"
    )
    assert "Residential only. Restrictions apply" in terms
    assert not any(f.kind == "feature" and "coupon" in f.text for f in facts)
    # A footnote's mark ends its sentence: the link after it is no part of the offer.
    assert by_text["0% APR for 18 months on water heaters and sewer repairs"].kind == "offer"
    assert "Subject to credit approval" in terms


def test_a_coupon_ad_reads_its_offer_and_keeps_the_sites_schedule_service_button() -> None:
    hero = "<section class='hero'><h1>Springfield's most trusted plumbers</h1>"
    hero += "<a class='btn' href='/s'>Schedule Service</a></section>"
    variants = variants_of(profile_of(hero + COUPONS, "Reliable Rooter"))
    offer = next(v for v in variants if v.angle == "offer")
    assert offer.headline == "$50 off any plumbing repair over $300"
    assert "FREE Estimates On" not in offer.body  # the offer's text, not its card's lines run together
    assert {v.cta for v in variants} == {"Schedule Service"}  # "Service" names no one thing the ad must mention


def test_a_german_date_or_generation_is_no_sentence_end_but_a_stop_before_a_footnote_mark_is() -> None:
    assert split_sentences("Bis 31. Januar: 10 % Rabatt auf alle Einbauschränke. Jetzt anfragen.") == [
        "Bis 31. Januar: 10 % Rabatt auf alle Einbauschränke.",
        "Jetzt anfragen.",
    ]
    assert split_sentences("Familienbetrieb in 3. Generation seit 1974. Über 2.500 Projekte.")[0] == (
        "Familienbetrieb in 3. Generation seit 1974."
    )
    assert split_sentences("We have 12. Then more.") == ["We have 12.", "Then more."]
    assert split_sentences("0% APR for 18 months.* Apply Now") == ["0% APR for 18 months.*", "Apply Now"]


def test_a_law_firms_results_read_as_money_won_and_its_recovered_total_can_head_an_ad() -> None:
    body = """<section class="hero"><h1>Hurt in an accident? We fight for what you deserve.</h1>
<ul class="hero-points"><li>No Fee Unless We Win</li><li>Over $250 Million Recovered</li></ul></section>
<section class="results"><h2>Recent Results</h2>
<div class="result"><span class="amount">$4.2 Million</span><span class="type">Trucking Accident Settlement</span></div>
<div class="result"><span class="amount">$950,000</span><span class="type">Motorcycle Accident Settlement</span></div>
</section>"""
    profile = profile_of(body, "Hartley &amp; Moss")
    texts = {f.text for f in profile.facts}
    assert {"$4.2 million trucking accident settlement", "$950,000 motorcycle accident settlement"} <= texts
    # "$250 Million" is a sum in words, not a card's price run into its next line: a line an ad may say.
    hero = [snip.text for snip in material(profile).hero]
    assert "Over $250 Million Recovered" in hero


def test_an_offer_typed_in_capitals_names_what_it_offers_as_the_copy_writes_it() -> None:
    shouted = "<p>FREE SAME-DAY DELIVERY IN BATH ON ORDERS PLACED BEFORE 11AM.</p><p>Flowers from growers in Bath.</p>"
    fact = next(f for f in _facts(shouted) if f.kind == "offer")
    assert fact.text == "Free same-day delivery in Bath on orders placed before 11am"
    assert not fact.subject.isupper()  # the lint reads a subject's casing as the site's own


def test_a_hotels_lists_read_by_their_headings_and_its_hours_are_terms() -> None:
    body = """<section class="offers"><h2>Book Direct &amp; Save</h2><ul><li>10% off our best online rate</li>
<li>Free late checkout until 12pm</li><li>A bottle of Cornish fizz on arrival for stays of 3 nights or more</li></ul></section>
<section class="awards"><h2>Awards</h2><ul><li>AA 4 Silver Stars</li><li>The Good Hotel Guide 2026</li></ul></section>
<section class="info"><h2>Good to know</h2><p>Check-in from 3pm, check-out by 11am.</p></section>"""
    kinds = {f.text: f.kind for f in _facts(body, "The Harbour Inn")}
    assert kinds == {
        "10% off our best online rate": "offer",
        "Free late checkout until 12pm": "offer",  # a perk of booking direct, whatever its words
        "A bottle of Cornish fizz on arrival for stays of 3 nights or more": "offer",
        "AA 4 Silver Stars": "award",  # not a count of stars
        "The Good Hotel Guide 2026": "award",
        "Check-in from 3pm, check-out by 11am": "policy",  # the hotel's hours, no promise of speed
    }


def test_a_class_size_and_a_bare_measure_are_no_proof() -> None:
    body = """<ul><li>Classes capped at 12 students</li><li>6,000 sq ft of training space with a full turf lane</li></ul>
<div class="listing"><p>3 bd</p><p>2,640 sqft</p></div>"""
    kinds = {f.text: f.kind for f in _facts(body)}
    assert kinds == {"Classes capped at 12 students": "feature", "6,000 sq ft of training space with a full turf lane": "stat"}


def test_review_a_free_things_box_a_plans_badge_and_a_price_list_are_no_coupons_nor_a_price_box() -> None:
    boxes = """<div class="wp-block-column"><h3>Free Inspection</h3><p>Every roof we look at gets a 21-point check.</p></div>
<div class="wp-block-column"><h3>Free Estimates</h3><p>All our quotes are written, itemized and honored for 60 days.</p></div>"""
    assert not any(f.kind == "offer" for f in _facts(boxes))
    plan = """<div class="plan"><h3>Pro</h3><p class="amount">$8/month</p><span class="badge">Save 20%</span>
<p>Billed annually at $96.</p></div><div class="plan"><h3>Team</h3><p class="amount">$12/month</p></div>"""
    assert "Pro: $8/month" in {f.text.split(" — ")[0] for f in _facts(plan)}
    assert not any(f.text.startswith("Save 20%") for f in _facts(plan))
    grooming = """<div class="price"><h2>Grooming Prices</h2><p>Small dogs from $45</p><p>Medium dogs from $60</p>
<p>Large dogs from $75</p></div>"""
    assert {f.text for f in _facts(grooming)} == {"Small dogs from $45", "Medium dogs from $60", "Large dogs from $75"}


def test_review_free_and_returns_words_that_are_no_offer_nor_guarantee() -> None:
    body = """<p>Enjoy hassle-free white-glove delivery anywhere in North Carolina.</p>
<p>Feel free to request delivery on a weekend.</p><p>All sales final. No returns accepted on custom orders.</p>"""
    assert not any(f.kind in ("offer", "guarantee") for f in _facts(body))


def test_review_impact_weights_stay_proof_and_german_numbers_still_end_sentences() -> None:
    body = "<p>Last year we diverted 12,000 tons from Ohio landfills.</p><p>Grocers gave 850,000 lbs donated by neighbours.</p>"
    assert {f.kind for f in _facts(body)} == {"stat"}
    assert split_sentences("Kinder ab 6. Jetzt anmelden!") == ["Kinder ab 6.", "Jetzt anmelden!"]
    assert split_sentences("Offen von 8 bis 20. Über 1.500 Mitglieder trainieren bei uns.")[1] == (
        "Über 1.500 Mitglieder trainieren bei uns."
    )


def test_review_a_persons_letters_a_word_like_pc_and_by_in_a_name_stay_in_the_name() -> None:
    assert _named("<title>Mark Chen, CPA – Tax Preparation in Sacramento</title>", "<p>Taxes.</p>") == "Mark Chen, CPA"
    assert _named("<title>Fix My PC</title>", "<p>Repairs.</p>") == "Fix My PC"
    assert _named("<title>Home</title>", "<footer><p>© 2025 By the Sea Inn.</p></footer>") == "By the Sea Inn"
    smitten = "<title>smitten kitchen</title><meta property='og:site_name' content='smitten kitchen'>"
    assert _named(smitten, "<footer><p>© 2025 Smitten Kitchen</p></footer>") == "smitten kitchen"  # how the site writes it


def test_a_cards_weight_still_describes_its_price() -> None:
    cards = """<div class="produit"><h3>Baguette tradition</h3><p>1,30 €</p><p>250 g</p></div>
<div class="produit"><h3>Pain de campagne</h3><p>4,20 €</p><p>800 g</p></div>"""
    assert "Baguette tradition: 1,30 € — 250 g" in {f.text for f in _facts(cards, "Boulangerie", "fr")}


def test_a_one_word_service_under_a_services_heading_heads_its_ad() -> None:
    body = """<section><h2>Unsere Leistungen</h2>
<div class="leistung"><h3>Einbauschränke</h3><p>Maßgefertigt für Dachschrägen, Nischen und jeden Winkel.</p></div>
<div class="leistung"><h3>Küchen</h3><p>Massivholzküchen mit Geräten aller großen Hersteller.</p></div></section>
<section><div class="box"><h2>Qualität</h2><p>Wir arbeiten seit 1974 mit Holz aus der Region.</p></div>
<div class="box"><h2>Aktion</h2><p>Bis 31. Januar: 10 % Rabatt auf alle Einbauschränke.</p></div></section>"""
    subjects = {f.text: f.subject for f in _facts(body, "Tischlerei Brandt", "de")}
    assert subjects["Maßgefertigt für Dachschrägen, Nischen und jeden Winkel"] == "Einbauschränke"
    assert subjects["Massivholzküchen mit Geräten aller großen Hersteller"] == "Küchen"
    assert subjects["Bis 31. Januar: 10 % Rabatt auf alle Einbauschränke"] != "Aktion"  # a word, no name of an offer


# Wix: a French salon's price list with dot leaders, a review in guillemets with the name on the next line.
SALON = """<section><h2>Nos tarifs</h2><div class="txt"><p>Coupe femme ........ 48 €</p><p>Coupe homme ........ 28 €</p>
<p>Balayage ........ à partir de 120 €</p></div></section>
<section><h2>Avis clients</h2><div class="txt"><p>« Enfin un salon qui respecte mes cheveux bouclés. »</p>
<p>Sophie L.</p></div></section>
<section><p>-10 % sur votre première visite avec le code BIENVENUE</p></section>"""


def test_a_french_price_list_with_dot_leaders_a_review_in_guillemets_and_money_off_with_a_minus() -> None:
    facts = _facts(SALON, "Salon Lumière", "fr")
    by_text = {f.text: f for f in facts}
    assert by_text["Coupe femme 48 €"].subject == "Coupe femme"  # not the list's heading "Nos tarifs"
    assert by_text["Coupe homme 28 €"].subject == "Coupe homme"  # each line its own price, not the first one's description
    assert by_text["Balayage à partir de 120 €"].kind == "price"
    assert by_text["Enfin un salon qui respecte mes cheveux bouclés."].subject == "Sophie L."  # a testimonial, not a claim
    assert by_text["-10 % sur votre première visite avec le code BIENVENUE"].kind == "offer"  # the minus is the offer


def test_press_under_a_small_paragraph_a_venues_capacity_and_perks_of_booking_direct_in_spanish() -> None:
    press = "<section class='press'><p>As featured in</p><p>Green Wedding Shoes · Junebug Weddings · Colorado Bride</p></section>"
    assert "As featured in Green Wedding Shoes, Junebug Weddings and Colorado Bride" in {f.text for f in _facts(press)}
    room = "<p>Our mezzanine seats up to 40 guests for rehearsal dinners and birthdays.</p>"
    assert {f.kind for f in _facts(room)} == {"feature"}  # what the room holds, not how many customers came
    direct = """<section><h2>Reserva directa</h2><ul><li>Desayuno gratis para reservas de 3 noches o más</li>
<li>Cancelación gratuita hasta 48 horas antes</li></ul></section>"""
    assert {f.kind for f in _facts(direct, "Hotel", "es")} == {"offer"}


def test_a_heros_trial_is_an_offer_and_its_announcement_no_promise() -> None:
    hero = """<section class="hero"><span class="eyebrow">New: AI reply suggestions</span>
<h1>Support that feels personal, at any scale</h1><p>Relaydesk brings email and chat into one shared inbox, so your team
answers faster.</p><p class="small">Free for 14 days · No credit card required</p></section>"""
    mat = material(profile_of(hero, "Relaydesk"))
    assert "Free for 14 days" in [s.text for s in mat.offers]
    assert "Free for 14 days" not in [s.text for s in mat.hero]
    assert not any(s.text.startswith("New:") for pool in (mat.hero, mat.values, mat.features) for s in pool)


def test_an_ad_about_what_a_gift_does_asks_for_the_gift_with_the_sites_donate_button() -> None:
    body = """<section class="hero"><h1>Every pet deserves a second chance</h1>
<p>We rescue dogs and cats from overcrowded shelters and find them loving homes.</p>
<a class="btn" href="/adopt">Meet Our Pets</a><a class="btn" href="/donate">Donate Today</a></section>
<section class="impact"><h2>Your gift at work</h2>
<div class="tier"><span class="amount">$25</span><p>Vaccinates one puppy</p></div>
<div class="tier"><span class="amount">$75</span><p>Spays or neuters a cat</p></div>
<div class="tier"><span class="amount">$250</span><p>Covers a dog's emergency surgery</p></div></section>"""
    variants = variants_of(profile_of(body, "Second Chance Animal Rescue"))
    gifts = [v for v in variants if "$25 vaccinates one puppy" in f"{v.headline} {v.body}"]
    assert gifts and {v.cta for v in gifts} == {"Donate Today"}
    assert any(v.cta == "Meet Our Pets" for v in variants if v not in gifts)  # the site's main button elsewhere


def test_second_review_a_coupons_fine_print_with_an_amount_and_an_any_line_keep_it_a_coupon() -> None:
    body = """<div class="coupon"><h3>$50 OFF</h3><p>Any water heater installation</p>
<p>Minimum purchase of $500. Expires 12/31/2025.</p></div>
<div class="coupon"><h3>FREE Estimates</h3><p>Any size project</p></div>"""
    kinds = {f.text: f.kind for f in _facts(body)}
    assert kinds["$50 off any water heater installation"] == "offer"
    assert kinds["Free estimates on any size project"] == "offer"


def test_second_review_a_headed_card_of_sizes_or_cuts_keeps_its_prices() -> None:
    body = """<div class="service-card"><h3>Cuts</h3><p>Women's cut $48</p><p>Men's cut $28</p><p>Kids' cut $18</p></div>
<div class="service-card"><h3>Color</h3><p>Root touch-up $75</p><p>Full color $110</p><p>Gloss $45</p></div>"""
    prices = {f.subject: f.text for f in _facts(body) if f.kind == "price"}
    assert {"Women's cut", "Men's cut", "Kids' cut", "Root touch-up", "Full color", "Gloss"} <= set(prices)


def test_second_review_only_a_heading_that_names_offers_or_awards_gives_its_items_a_kind() -> None:
    special = """<h2>What Makes Us Special</h2><ul><li>Cage-free drying in a quiet salon</li></ul>
<h2>Honors</h2><ul><li>Over 2,000 patients treated</li></ul>"""
    kinds = {f.text: f.kind for f in _facts(special)}
    assert kinds.get("Cage-free drying in a quiet salon") != "offer"
    assert kinds["Over 2,000 patients treated"] == "customers"


def test_second_review_a_link_or_a_heading_after_a_quote_is_no_author() -> None:
    body = """<p>"They rebuilt our patio in three days and left the yard cleaner than they found it."</p>
<p><a href="/reviews">Read More</a></p>
<p>"We treat every yard like it was our own, from the first visit to the last."</p><h2>Our Services</h2>"""
    assert not [f for f in _facts(body) if f.kind == "testimonial"]


def test_second_review_an_ellipsis_in_a_sentence_is_no_dot_leader() -> None:
    body = "<p>We started in a garage in 2009... 15 years later we coach over 400 members.</p>"
    texts = {f.text for f in _facts(body)}
    assert "We started in a garage in 2009" in texts
    assert split_sentences("Coupe homme ........ 28 €") == ["Coupe homme ........ 28 €"]


def test_second_review_one_word_headings_title_cards_only_under_a_services_heading_and_its_section() -> None:
    body = """<section class="why"><h2>Why homeowners choose our services</h2>
<div class="box"><h3>Quality</h3><p>We use only GAF shingles and seal every seam twice.</p></div>
<div class="box"><h3>Speed</h3><p>Most roofs are replaced in a single day by our own crew.</p></div></section>"""
    assert all(f.subject not in ("Quality", "Speed") for f in _facts(body))


def test_second_review_a_minus_inside_a_sentence_is_a_saving_not_an_offer() -> None:
    body = "<p>Nos pompes à chaleur réduisent vos émissions de CO2 de -40 % en moyenne.</p>"
    assert {f.kind for f in _facts(body, "Chauffage", "fr")} == {"stat"}


def test_second_review_german_months_still_join_their_day_and_check_in_without_an_hour_is_a_service() -> None:
    assert split_sentences("10 % Rabatt auf alle Torten bis 30. September 2025. Jetzt bestellen.")[0] == (
        "10 % Rabatt auf alle Torten bis 30. September 2025."
    )
    body = "<p>Same-day appointments with online check-in at our front desk or by text.</p>"
    assert {f.kind for f in _facts(body)} == {"service"}


def test_second_review_a_hyphenated_new_is_no_eyebrow_and_a_weight_at_a_sentences_end_is_a_detail() -> None:
    hero = "<section class='hero'><h1>Homes built to last</h1>"
    hero += "<p>New-build homes finished to NHBC standards in 12 weeks.</p></section>"
    mat = material(profile_of(hero, "Stonebridge Homes"))
    assert "New-build homes finished to NHBC standards in 12 weeks" in [
        s.text.rstrip(".") for pool in (mat.hero, mat.values) for s in pool
    ]
    assert {f.kind for f in _facts("<p>The whole pack weighs just 640 g.</p>")} == {"feature"}
    assert _named("<title>Liffey Dental | Dublin, IE</title>", "<p>Teeth.</p>") == "Liffey Dental"


def test_an_invitation_before_a_label_is_no_part_of_the_name_and_its_sentence_is_the_body() -> None:
    body = """<div class="wixui-repeater"><div class="item"><p>UNLIMITED</p><p>$179/mo</p><p>Every class, every day.</p></div>
<div class="item"><p>DROP-IN</p><p>$25</p><p>Visiting Boulder? Join any class.</p></div></div>
<p>Start with our Intro Offer: 2 weeks of unlimited classes for $49.</p><p>Get the Look Kit $45</p>"""
    subjects = {f.subject for f in _facts(body, "IronOak CrossFit") if f.kind == "price"}
    # Names as typed ("UNLIMITED", "HIIT BOOTCAMP" may be an acronym), the invitation dropped, a name's own "Get" kept.
    assert {"UNLIMITED", "DROP-IN", "Intro Offer", "Get the Look Kit"} <= subjects
    intro = [v for v in variants_of(profile_of(body, "IronOak CrossFit")) if v.headline == "Intro Offer for $49"]
    assert [v.body for v in intro] == ["2 weeks of unlimited classes for $49."]  # what the offer is, after its label


def test_third_review_a_quote_signed_with_a_full_name_is_a_testimonial() -> None:
    body = """<section class="page-section"><h2>What our neighbors say</h2>
<p>“Honest pricing and they cleaned up after themselves. We have used them for 10 years.”</p><p>Jennifer Alvarez</p></section>"""
    assert [(f.kind, f.subject) for f in _facts(body) if "10 years" in f.text] == [("testimonial", "Jennifer Alvarez")]


def test_third_review_a_fee_a_minimum_or_a_total_is_no_product() -> None:
    body = "<p>Corkage $15. Minimum order $30. Free over $75.</p><p>Room fee $150.</p>"
    assert not [f for f in _facts(body) if f.kind == "price"]
    early = "<p>Early check-in is available from 12pm for an additional fee of $25.</p>"
    assert {f.kind for f in _facts(early)} == {"policy"}
    assert {f.kind for f in _facts("<p>Check-in is from 4pm; check-out is by 10am.</p>")} == {"policy"}


def test_third_review_a_free_things_line_starting_all_reads_with_on_or_stays_the_sites_sentence() -> None:
    body = """<div class="multicolumn-card"><h3>Free Shipping</h3><p>All orders over $50</p></div>
<div class="multicolumn-card"><h3>Free Returns</h3><p>All returns are free within 30 days</p></div>
<div class="multicolumn-card"><h3>Free Estimates</h3><p>Any size project</p></div>"""
    texts = {f.text for f in _facts(body)}
    assert "Free shipping on all orders over $50" in texts
    assert "Free estimates on any size project" in texts
    assert not any(t.startswith("Free returns all") for t in texts)


def test_third_review_qualified_offer_award_and_services_headings_still_count() -> None:
    body = """<h2>Special Offers</h2><ul><li>Stay 3 nights, pay for 2</li></ul>
<h2>Awards &amp; Accolades</h2><ul><li>Michelin Guide 2024</li></ul>"""
    kinds = {f.text: f.kind for f in _facts(body)}
    assert kinds == {"Stay 3 nights, pay for 2": "offer", "Michelin Guide 2024": "award"}
    services = """<section><h2>Our Plumbing Services</h2>
<div class="box"><h3>Drains</h3><p>We clear kitchen, bath and main lines with hydro-jetting.</p></div>
<div class="box"><h3>Repiping</h3><p>Whole-home PEX repiping, usually done in two days.</p></div></section>"""
    assert {f.subject for f in _facts(services)} == {"Drains", "Repiping"}


def test_third_review_european_sales_dot_leaders_with_a_tail_and_wordpress_default_tagline() -> None:
    assert {f.kind for f in _facts("<p>Soldes : -30 % sur toute la boutique jusqu'à dimanche.</p>", "Boutique", "fr")} == {
        "offer"
    }
    texts = {f.text for f in _facts("<div><p>Men's Cut ........ $30+</p><p>Blowout ........ $40/hr</p></div>")}
    assert {"Men's Cut $30+", "Blowout $40/hr"} <= texts
    wp = "<header class='site-header'><p class='site-description'>Just another WordPress site</p></header><h1>Welcome</h1>"
    assert profile_of(wp, "Maple Lane Candles").tagline == ""


def test_third_review_an_offers_condition_after_a_dash_stays_with_it() -> None:
    from brandtruth.pipeline.llm.headlines import headline_forms

    assert headline_forms("20% off your first deep clean — new customers in Wake County only", whole_only=True) == [
        "20% off your first deep clean — new customers in Wake County only"
    ]
    assert "Free UK delivery on orders over £40" in headline_forms(
        "Free UK delivery on orders over £40 — order by 2pm for same-day dispatch", whole_only=True
    )


def test_fourth_review_an_eyebrow_after_a_pull_quote_is_no_author_but_a_name_under_what_clients_say_is() -> None:
    own = """<p>“We build every kitchen as if it were our own family's home.”</p><p>Pricing</p><h2>Plans</h2>"""
    assert not [f for f in _facts(own) if f.kind == "testimonial"]
    said = """<h2>What our neighbors say</h2><p>“Honest pricing and they cleaned up after themselves every single time.”</p>
<p>Jennifer Alvarez</p>"""
    assert [f.subject for f in _facts(said) if f.kind == "testimonial"] == ["Jennifer Alvarez"]


def test_fourth_review_short_names_with_fee_like_words_are_still_products() -> None:
    body = "<div><p>60 Min $90</p><p>Tax Return $150</p><p>Value Meal $9</p><p>Down Duvet $199</p><p>Corkage $15</p></div>"
    subjects = {f.subject for f in _facts(body) if f.kind == "price"}
    assert {"60 Min", "Tax Return", "Value Meal", "Down Duvet"} <= subjects and "Corkage" not in subjects


def test_fourth_review_check_in_perks_and_surcharge_free_atms_are_no_house_rules() -> None:
    body = (
        "<p>Self check-in 24/7 with a keypad code.</p><p>Over 30,000 surcharge-free ATMs nationwide for our 12,000 members.</p>"
    )
    assert "policy" not in {f.kind for f in _facts(body)}


def test_fourth_review_free_parking_for_guests_and_energy_savings_are_no_coupons_nor_offers() -> None:
    body = """<div class="perk"><h3>FREE Parking</h3><p>All hotel guests</p></div>
<div class="perk"><h3>FREE Wi-Fi</h3><p>All rooms and suites</p></div>
<h2>Energy Savings</h2><ul><li>Smart thermostat installation</li><li>Whole-home energy audit</li></ul>"""
    texts = {f.text: f.kind for f in _facts(body)}
    assert not any(t.startswith("Free parking on") or t.startswith("Free Wi-Fi on") for t in texts)
    assert texts.get("Smart thermostat installation") != "offer"


def test_fourth_review_a_long_second_statement_after_a_dash_is_cut_even_if_it_says_only() -> None:
    from brandtruth.pipeline.llm.headlines import headline_forms

    line = "Free UK delivery on orders over £40 — order by 2pm and your parcel ships the same day, tracked only with Royal Mail."
    assert "Free UK delivery on orders over £40" in headline_forms(line, whole_only=True)


def test_fourth_review_an_adjective_before_services_makes_no_one_word_title() -> None:
    body = """<section><h2>Reliable Plumbing Services</h2>
<div class="box"><h3>Honest</h3><p>We quote every job up front, before any work starts.</p></div>
<div class="box"><h3>Fast</h3><p>Most repairs are done the same day you call us.</p></div></section>"""
    assert all(f.subject not in ("Honest", "Fast") for f in _facts(body))
    tagline = "<header class='site-header'><p class='site-description'>Custom WordPress websites for Ohio small businesses</p>"
    assert profile_of(tagline + "</header><h1>Welcome</h1>", "Buckeye Web").tagline == (
        "Custom WordPress websites for Ohio small businesses"
    )


def test_fifth_review_names_under_common_review_headings_and_review_titles_are_testimonials() -> None:
    body = """<section><h2>Don't just take our word for it</h2><h3>Great crew</h3>
<p>“Best roofing company in Denver, hands down, and they cleaned up every nail.”</p><p>Mike Thompson</p></section>"""
    assert [f.subject for f in _facts(body) if f.kind == "testimonial"] == ["Mike Thompson"]


def test_fifth_review_trade_services_headings_our_special_offers_and_free_delivery_coupons() -> None:
    pests = """<section><h2>Pest Control Services</h2>
<div class="box"><h3>Termites</h3><p>Liquid barriers and bait stations, with a one-year warranty.</p></div>
<div class="box"><h3>Rodents</h3><p>Exclusion work that seals every entry point we find.</p></div></section>"""
    assert {f.subject for f in _facts(pests)} >= {"Termites", "Rodents"}
    offers = "<h2>Our Special Offers</h2><ul><li>Complimentary breakfast for two</li></ul>"
    assert {f.kind for f in _facts(offers)} == {"offer"}
    coupon = "<div class='c'><h3>FREE Delivery</h3><p>All mattresses and bed frames</p></div>"
    coupon += "<div class='c'><h3>FREE Engraving</h3><p>All wedding bands</p></div>"
    assert "Free delivery on all mattresses and bed frames" in {f.text for f in _facts(coupon)}


def test_fifth_review_an_offers_condition_stays_and_hotel_times_in_any_form_are_terms() -> None:
    from brandtruth.pipeline.llm.headlines import headline_forms

    line = "20% off your first cleaning — for new customers who book online before March 31"
    assert headline_forms(line, whole_only=True) == [line]
    hours = ("Check-in 4 p.m., check-out 11 a.m., $35 per extra guest.", "Check-in 15:00, check-out 11:00, breakfast €15 each.")
    for said in hours:
        assert {f.kind for f in _facts(f"<p>{said}</p>")} == {"policy"}, said
    assert "policy" not in {f.kind for f in _facts("<p>Self check-in 24/7 with a keypad code.</p>")}


def test_fifth_review_invitations_and_free_or_fee_words_in_short_price_lines() -> None:
    body = "<div><p>Free-Range Eggs $6</p><p>Delivery $5</p><p>Deposit required $50</p></div>"
    subjects = {f.subject for f in _facts(body) if f.kind == "price"}
    assert "Free-Range Eggs" in subjects and not subjects & {"Delivery", "Deposit required"}
    assert {f.subject for f in _facts("<p>Check out our Summer Special: two hours of kayaking for $45.</p>")} == {
        "Summer Special"
    }
    wp = "<header class='site-header'><p class='site-description'>Just another WordPress.com site</p></header><h1>Welcome</h1>"
    assert profile_of(wp, "Maple Lane").tagline == ""
