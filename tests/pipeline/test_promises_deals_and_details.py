"""More pages small businesses publish, read as their marketer reads them: a brewery's tap list and happy hour,
a course's guarantee and payment plan, a cleaner's happiness guarantee, a florist's freshness promise, a vet's
new-client special, an agency's stats and recognition, an auto shop's coupons. Each test fails on the reading
that came before it."""

from __future__ import annotations

from brandtruth.pipeline.extract.page import parse_page
from brandtruth.pipeline.generate.distinct import too_similar
from brandtruth.pipeline.llm.products import product_line
from brandtruth.pipeline.models import Fact
from brandtruth.pipeline.truth import check_copy
from tests.pipeline.test_site_classes import URL, profile_of, variants_of

TAPS = """<section class="hero"><h1>Small batch. Big flavor.</h1>
<p>Independent craft beer brewed in the River Arts District since 2014.</p></section>
<section><h2>On Tap Now</h2>
<div class="beer"><h4>River Rat IPA</h4><p>American IPA · 6.8% ABV · 65 IBU</p>
<p>Citra and Mosaic hops, big grapefruit nose, dry finish.</p></div>
<div class="beer"><h4>Foggy Bottom Hazy</h4><p>New England IPA · 7.2% ABV</p>
<p>Juicy, soft and hazy with notes of mango.</p></div>
</section>
<section><h2>Awards</h2><ul><li>Gold Medal – Great American Beer Festival 2024 (Kölsch)</li></ul></section>
<section><h2>Happy Hour</h2><p>$2 off all pints Monday–Thursday, 3–6pm.</p></section>"""


def _by_text(body: str, title: str = "Brand") -> dict[str, Fact]:
    return {f.text: f for f in profile_of(body, title).facts}


def test_money_off_under_a_heading_is_an_offer_never_the_price_of_the_heading() -> None:
    facts = _by_text(TAPS, "Copper Kettle Brewing Co.")
    happy = facts["$2 off all pints Monday–Thursday, 3–6pm"]
    assert (happy.kind, happy.subject) == ("offer", "Happy Hour")  # not "Happy Hour: $2 …", priced at $2
    headlines = [v.headline for v in variants_of(profile_of(TAPS, "Copper Kettle Brewing Co."))]
    assert "Happy Hour for $2" not in headlines
    lunch = _by_text("<section><h2>Lunch</h2><p>Save $5 on any large pizza before 3pm.</p></section>")
    assert lunch["Save $5 on any large pizza before 3pm"].kind == "offer"


def test_a_drinks_strength_is_no_stat_and_its_tasting_note_is_named_by_its_heading() -> None:
    facts = _by_text(TAPS, "Copper Kettle Brewing Co.")
    assert not any("ABV" in text for text in facts)  # "6.8% ABV" is what the beer is, not 6.8% of anything
    assert facts["Citra and Mosaic hops, big grapefruit nose, dry finish"].subject == "River Rat IPA"
    assert facts["Juicy, soft and hazy with notes of mango"].subject == "Foggy Bottom Hazy"
    ads = {v.headline: v.body for v in variants_of(profile_of(TAPS, "Copper Kettle Brewing Co."))}
    assert ads["River Rat IPA"] == "Citra and Mosaic hops, big grapefruit nose, dry finish."
    # An award too long for a headline heads no unrelated feature: the business's name heads it.
    assert ads["Copper Kettle Brewing Co."].startswith("Gold Medal – Great American Beer Festival 2024")
    assert not any("Gold Medal" in body for headline, body in ads.items() if headline != "Copper Kettle Brewing Co.")
    # A share with "alc." or "vol." is a strength too; a share of anything else is still a stat.
    assert "12.5% vol" not in _by_text("<p>Our Riesling, 12.5% vol, is dry and bright.</p>")
    assert _by_text("<p>Our members save 12.5% on every order they place.</p>")


COURSE = """<section class="hero"><h1>Bake bakery-quality sourdough at home</h1><p>A self-paced online course that takes you
from your first starter to an open-crumb loaf, with no special equipment.</p>
<a class="btn" href="/enroll">Join the Academy</a></section>
<section class="pricing"><div class="plan"><h3>Pay in full</h3><p class="price">$197</p><p>One payment</p></div>
<div class="plan"><h3>Payment plan</h3><p class="price">3 x $69</p><p>Monthly payments</p></div></section>
<section class="guarantee"><h2>30-Day Money-Back Guarantee</h2><p>Try the course for 30 days. If it's not for you, email us
and we'll refund every cent — no questions asked.</p></section>
<section><h2>What's inside</h2><p>Includes 42 HD video lessons, printable recipe cards and lifetime access.</p></section>"""


def test_a_guarantee_heading_and_what_it_promises_are_the_guarantee() -> None:
    facts = _by_text(COURSE, "The Sourdough Academy")
    assert facts["30-Day Money-Back Guarantee"].kind == "guarantee"
    assert facts["Try the course for 30 days"].kind == "guarantee"  # not a stat of 30 days
    assert facts["Includes 42 HD video lessons, printable recipe cards and lifetime access"].kind == "feature"
    offer = next(v for v in variants_of(profile_of(COURSE, "The Sourdough Academy")) if v.angle == "offer")
    assert offer.headline == "30-Day Money-Back Guarantee" and "refund" in offer.body
    # A promise named by its card's heading; a heading that only labels a section of guarantees states none.
    bloom = (
        "<div class=\"card\"><h3>7-day freshness promise</h3><p>If your flowers don't last 7 days, we'll replace them.</p></div>"
    )
    assert _by_text(bloom)["If your flowers don't last 7 days, we'll replace them"].kind == "guarantee"
    labels = _by_text("<section><h2>Our Guarantees</h2><p>Every repair is backed by a written two-year warranty.</p></section>")
    assert "Our Guarantees" not in labels


def test_a_guarantees_ad_says_what_it_promises_before_any_deal() -> None:
    clean = """<section class="hero"><h1>Sparkle &amp; Shine Cleaning</h1></section>
<section><p>Save 15% when you book weekly or biweekly cleanings.</p></section>
<section><h2>Our 200% Happiness Guarantee</h2><p>Not happy with your clean? Let us know within 24 hours and we'll re-clean
for free. Still not happy? We'll refund you in full.</p></section>"""
    facts = _by_text(clean, "Sparkle & Shine Cleaning")
    assert facts["Let us know within 24 hours and we'll re-clean for free"].kind == "guarantee"  # not an offer
    # The next section, with no heading of its own, is no part of the guarantee.
    after = _by_text(clean + '<section class="promo"><p>Save 10% on move-out cleans if you book today.</p></section>')
    assert after["Save 10% on move-out cleans if you book today"].kind == "offer"
    ads = {v.headline: v.body for v in variants_of(profile_of(clean, "Sparkle & Shine Cleaning"))}
    assert "re-clean for free" in ads["Our 200% Happiness Guarantee"]


def test_a_payment_plan_is_no_product_and_an_instalment_keeps_how_many() -> None:
    facts = _by_text(COURSE, "The Sourdough Academy")
    plans = [f for f in facts.values() if f.kind == "price"]
    assert plans and all(product_line(f, "en", "The Sourdough Academy") is None for f in plans)  # "Pay in full for $197"
    table = Fact(id="f1", text="Oak Dining Table: 4 payments of $250", evidence="Oak Dining Table 4 payments of $250",
                 source_url=URL, kind="price", subject="Oak Dining Table", value="$250")  # fmt: skip
    line = product_line(table, "en", "Brand")
    assert line is not None and line.text == "Oak Dining Table for 4 payments of $250"  # never "for $250"
    sofa = Fact(id="f2", text="Linen Sofa: 3 x $400", evidence="Linen Sofa 3 x $400", source_url=URL, kind="price",
                subject="Linen Sofa", value="$400")  # fmt: skip
    sofa_line = product_line(sofa, "en", "Brand")
    assert sofa_line is not None and sofa_line.text == "Linen Sofa for 3 x $400"


def test_an_offers_fine_print_is_said_under_it_and_a_free_in_a_name_is_no_offer() -> None:
    vet = """<section class="hero"><h1>Compassionate care for your best friend</h1></section>
<section class="callout"><h2>New Client Special</h2><p>$25 off your first exam*</p>
<p class="fine">*Valid for new clients only. Cannot be combined with other offers.</p></section>
<section class="why"><h2>Why Choose Us?</h2><ul><li>Fear Free Certified® team</li>
<li>Same-day sick appointments</li></ul></section>"""
    variants = variants_of(profile_of(vet, "Poudre Valley Animal Hospital"))
    offer = next(v for v in variants if v.angle == "offer")
    assert offer.headline == "$25 off your first exam"
    assert offer.body.startswith("Valid for new clients only.")
    assert not any(v.angle == "offer" and "Fear Free" in v.headline for v in variants)


def test_a_stats_plus_and_a_free_things_coupon() -> None:
    agency = """<div class="stats"><div class="stat"><div class="stat-number">$140M+</div><div class="stat-label">in ad spend
managed</div></div><div class="stat"><div class="stat-number">312%</div><div class="stat-label">average increase in demo
requests</div></div></div>"""
    facts = _by_text(agency)
    assert "$140M+ in ad spend managed" in facts  # the plus says "more than"
    coupon = """<div class="coupon"><div class="coupon-title">Free Check Engine Light Scan</div>
<div class="coupon-desc">With any repair over $100</div><a href="/print">Print Coupon</a></div>
<div class="coupon"><div class="coupon-title">Brake Special</div><div class="coupon-price">$50 OFF</div>
<div class="coupon-desc">Brake pad replacement, per axle</div></div>"""
    scan = _by_text(coupon)["Free check engine light scan with any repair over $100"]
    assert scan.kind == "offer"  # not a product called "Free Check Engine Light Scan" priced at $100


def test_a_theme_without_an_h1_has_its_heros_heading_as_its_tagline() -> None:
    florist = """<header><h1><a href="/"><img src="/logo.png" alt="Wild Fern Florals"></a></h1></header>
<section class="hero banner"><h2>Flowers grown close to home</h2>
<p>Seasonal bouquets from Pacific Northwest farms.</p></section>"""
    assert profile_of(florist, "Wild Fern Florals – Flower Delivery in Seattle").tagline == "Flowers grown close to home"
    cleaner = (
        """<section class="hero"><h2>Welcome to Sparkle</h2></section><section><p>Come home to a spotless house.</p></section>"""
    )
    assert profile_of(cleaner, "Sparkle | House Cleaning in Austin").tagline == "House Cleaning in Austin"


def test_a_testimonials_name_and_title_spans_are_its_byline_never_a_quote() -> None:
    widget = """<section><h2>Reviews</h2><div class="elementor-testimonial"><div class="elementor-testimonial__text">Reliable,
thorough and always on time. Best cleaning service we've used in ten years.</div>
<cite class="elementor-testimonial__cite"><span class="elementor-testimonial__name">Mark D.</span>
<span class="elementor-testimonial__title">Owner, Round Rock Realty</span></cite></div></section>"""
    page = parse_page(f"<html><body>{widget}</body></html>", URL)
    assert [(q.author, q.place) for q in page.testimonials] == [("Mark D., Owner", "Round Rock Realty")]
    assert all("Round Rock Realty" not in q.quote for q in page.testimonials)  # the cite's title is no quote
    # A widget's list of reviews, each box with a name part: every review is read, each under its own name.
    trustindex = """<div class="ti-reviews-container"><div class="ti-review-item"><div class="ti-name">Lucía Fernández</div>
<div class="ti-review-content">Me pusieron dos implantes y no sentí nada. El trato es cercano.</div></div>
<div class="ti-review-item"><div class="ti-name">Carlos M.</div><div class="ti-review-content">Mis hijos ya no tienen miedo
al dentista. ¡Gracias al equipo!</div></div></div>"""
    read = parse_page(f"<html><body>{trustindex}</body></html>", URL).testimonials
    assert [q.author for q in read] == ["Lucía Fernández", "Carlos M."]


def test_a_headlines_rotating_words_read_as_the_one_shown() -> None:
    hero = """<section class="hero"><h2>We make dental visits <span class="elementor-headline-dynamic-wrapper">
<span class="elementor-headline-dynamic-text elementor-headline-text-active">easy</span>
<span class="elementor-headline-dynamic-text">painless</span><span class="elementor-headline-dynamic-text">affordable</span>
</span></h2></section>"""
    assert profile_of(hero, "Harbor Dental Group | Family Dentist in Portland").tagline == "We make dental visits easy"


def test_review_a_question_about_a_guarantee_states_none_and_its_answers_stay_what_they_were() -> None:
    faq = """<section class="faq"><h2>FAQ</h2><div class="faq-item"><h3>Do you offer a 30-day money-back guarantee?</h3>
<p>No. Because you get instant access to every workout, all sales are final.</p></div></section>"""
    profile = profile_of(faq, "Forge Fitness")
    assert not [f for f in profile.facts if f.kind == "guarantee"]
    assert check_copy(["Our 30-day money-back guarantee."], [], [], profile.facts).verdict == "unsupported"
    claim = """<section class="faq"><h3>How do I make a warranty claim?</h3><p>If something goes wrong, fill in the form on
our contact page and we will call you.</p></section>"""
    assert not [f for f in profile_of(claim).facts if f.kind == "guarantee"]
    # Under a guarantee heading, financing stays an offer with its fine print, and a share of customers stays proof.
    financing = """<section><h2>Warranty &amp; Financing</h2><p>Get 0% financing for 18 months if you qualify.*</p>
<p class="disclaimer">*Subject to credit approval.</p></section>"""
    kinds = {f.text: f.kind for f in profile_of(financing).facts}
    assert kinds == {"Get 0% financing for 18 months if you qualify": "offer", "Subject to credit approval": "terms"}
    german = """<section><h2>Unser Versprechen</h2><p>Mehr als 95 % unserer Kunden empfehlen uns weiter.</p></section>"""
    assert _by_text(german)["Mehr als 95 % unserer Kunden empfehlen uns weiter"].kind == "stat"


def test_review_elementors_own_testimonial_widget_and_bylines_of_name_parts_or_stars() -> None:
    widget = """<div class="elementor-testimonial-wrapper"><div class="elementor-testimonial-content">Dana and her crew repainted
our whole house in three days and it looks amazing.</div><div class="elementor-testimonial-meta">
<div class="elementor-testimonial-meta-inner"><div class="elementor-testimonial-details">
<div class="elementor-testimonial-name">Karen W.</div><div class="elementor-testimonial-job">Homeowner, Cedar Park</div>
</div></div></div></div>"""
    assert [q.author for q in parse_page(f"<html><body>{widget}</body></html>", URL).testimonials] == ["Karen W."]
    for cite, author in [
        ('<cite><span class="first-name">Sarah</span> <span class="last-name">Kowalski</span></cite>', "Sarah Kowalski"),
        ('<cite><span class="reviewer-first">Sarah</span><span class="reviewer-last">Kowalski</span></cite>', "Sarah Kowalski"),
    ]:
        box = f'<div class="testimonial"><p>They were wonderful from start to finish, thank you.</p>{cite}</div>'
        assert [q.author for q in parse_page(f"<html><body>{box}</body></html>", URL).testimonials] == [author]


def test_review_labels_greetings_and_sales_in_a_hero_are_no_tagline_and_a_cards_back_face_is_read() -> None:
    logo = '<header><h1><a href="/"><img src="/l.png" alt="Clay"></a></h1></header>'
    for heading in ["Willkommen bei Bäckerei Schmidt", "Summer Sale", "Free Consultation", "Get a free quote today"]:
        hero = f'{logo}<section class="hero"><h2>{heading}</h2><p>Wheel-thrown stoneware in small batches.</p></section>'
        assert profile_of(hero, "Clay | Handmade Ceramics in Vermont").tagline == "Handmade Ceramics in Vermont", heading
    candles = "<section><p>Limited-edition soy candles hand-poured in small batches in our Vermont studio.</p></section>"
    assert profile_of(candles, "Glow").description.startswith("Limited-edition soy candles")
    flip = """<div class="flip-card"><div class="flip-card-inner"><span class="flip-card-front active">Same-day crowns</span>
<span class="flip-card-back">Crowns milled in-house and fitted in a single 2-hour visit.</span></div></div>"""
    assert any("fitted in a single 2-hour visit" in f.text for f in profile_of(flip).facts)


def test_review_an_off_peak_price_is_a_price_and_a_dotted_award_line_is_not_split() -> None:
    golf = '<div class="card"><h3>Weekday Round</h3><p>$45 off-peak</p><p>18 holes with cart, Monday to Thursday.</p></div>'
    assert [f.kind for f in profile_of(golf).facts] == ["price"]
    award = "<section><h2>Awards</h2><p>Best Italian Restaurant · SF Weekly · 2023</p></section>"
    assert "Best Italian Restaurant" not in _by_text(award)


def test_a_pricing_pages_billing_toggle_is_no_call_to_action_and_a_table_rows_number_is_no_stat() -> None:
    pricing = """<section class="hero"><h1>Simple pricing for every clinic</h1><p>Start with a 14-day free trial.</p>
<div class="billing-toggle" role="group"><button class="active">Monthly</button>
<button>Annual <span>Save 20%</span></button></div>
<a class="btn btn-primary" href="/signup">Start free trial</a></section>
<section class="compare"><h2>Compare plans</h2><table><tr><th>Feature</th><th>Solo</th><th>Clinic</th></tr>
<tr><td>Practitioners</td><td>1</td><td>10</td></tr></table></section>"""
    profile = profile_of(pricing, "Cadence")
    assert profile.primary_cta == "Start free trial"
    assert not {"Monthly", "Annual Save 20%"} & set(profile.ctas)
    assert not [f for f in profile.facts if "practitioners" in f.text.lower()]  # never "1 practitioners"


def test_a_members_perk_says_whose_it_is_and_an_up_to_coupon_or_a_free_shipping_card_is_an_offer() -> None:
    club = """<section class="club"><h2>Join the Comfort Club</h2><p class="club-price">Just $14.95/month</p>
<ul><li>Two precision tune-ups a year</li><li>15% off all repairs</li></ul></section>"""
    assert "Comfort Club members: 15% off all repairs" in _by_text(club)  # not "15% off all repairs" to anyone
    coupon = """<section class="specials"><h2>Specials</h2><div class="special"><h3>Up to $1,500 Off</h3>
<p>a new high-efficiency AC system</p><small>With approved credit. See store for details.</small></div>
<div class="special"><h3>$79 AC Tune-Up</h3><p>21-point inspection and cleaning.</p></div></section>"""
    facts = _by_text(coupon)
    assert facts["Up to $1,500 off a new high-efficiency AC system"].kind == "offer"
    assert facts["With approved credit. See store for details"].kind == "terms"
    shipping = """<div class="cms-block"><h2>Kostenloser Versand ab 50 €</h2><p>Wir versenden gekühlt in recycelbarer
Wollisolierung.</p></div><div class="cms-block"><h2>Gold beim World Cheese Award 2025</h2></div>"""
    assert _by_text(shipping)["Kostenloser Versand ab 50 €"].kind == "offer"  # no product called "Kostenloser Versand"


def test_a_short_founding_heading_is_a_fact_an_age_range_is_none_and_fine_print_ending_a_paragraph_is_terms() -> None:
    about = "<section><h2>Family-Owned Since 1998</h2><p>We have kept Mesa homes cool for over 25 years.</p></section>"
    assert _by_text(about)["Family-Owned Since 1998"].kind == "founded"
    assert "Awards" not in _by_text("<section><h2>Awards</h2><ul><li>Best of Mesa 2024</li></ul></section>")
    ages = '<div class="program card"><h3>Infants</h3><p class="ages">6 weeks – 12 months</p><p>Loving care, 1:4 ratio.</p></div>'
    assert "6 weeks – 12 months" not in _by_text(ages)
    intro = """<section class="hero"><h1>Sweat. Breathe. Glow.</h1><p>Heated vinyasa and pilates in Seminole Heights.</p>
</section><section class="intro"><h2>New Student Special</h2><p><strong>$39 for 3 weeks unlimited</strong></p>
<p>Try every class and find your favorites. Local residents only, first-time students.</p></section>"""
    facts = _by_text(intro, "Sol Hot Yoga")
    assert facts["Local residents only, first-time students"].kind == "terms"
    offer = next(v for v in variants_of(profile_of(intro, "Sol Hot Yoga")) if v.angle == "offer")
    assert offer.headline == "$39 for 3 weeks unlimited" and offer.body.startswith("Local residents only")


def test_the_same_two_lines_swapped_are_one_ad() -> None:
    assert too_similar(
        "Licensed & Insured",
        "4.9★ from 2,100+ Google Reviews.",
        [("v2", "4.9★ from 2,100+ Google Reviews", "Licensed & Insured.")],
    )


def test_a_proof_cards_heading_heads_its_ad_and_a_sale_price_says_what_it_was_below() -> None:
    tutors = """<section class="hero"><h1>One-to-one tutoring that builds confidence</h1></section>
<section class="usp"><div class="usp-item"><h3>Qualified teachers</h3>
<p>Every tutor holds QTS and an enhanced DBS check.</p></div>
<div class="usp-item"><h3>Proven results</h3>
<p>87% of our GCSE students improved by at least one grade in 2025.</p></div></section>"""
    ads = {v.headline: v.body for v in variants_of(profile_of(tutors, "Bright Minds Tutoring"))}
    assert ads["Proven results"] == "87% of our GCSE students improved by at least one grade in 2025."
    soap = Fact(id="f1", text="Savon à la lavande fine: 6,80 € (au lieu de 8,50 €)", source_url=URL, kind="price",
                evidence="Savon à la lavande fine 8,50 € -20% 6,80 €", subject="Savon à la lavande fine",
                value="6,80 €")  # fmt: skip
    line = product_line(soap, "fr", "Savonnerie du Lubéron")
    assert line is not None and line.text == "Savon à la lavande fine à 6,80 €"
    assert line.full == "Au lieu de 8,50 €"  # not "6,80 € (au lieu de 8,50 €)" under a headline that says 6,80 €


def test_second_review_labels_forms_and_rotating_phrases() -> None:
    shop = """<section class="hero"><h1>Leaf &amp; Cup Tea</h1><p>Loose-leaf teas, blended in small batches.</p></section>
<section><h2>Top Rated Products</h2><ul class="products"><li class="product"><h2>Sencha</h2><span class="price">$12</span></li>
<li class="product"><h2>Assam</h2><span class="price">$10</span></li></ul></section>"""
    assert "Top Rated Products" not in _by_text(shop)  # a shop grid's label, no award
    quote = """<section class="hero"><h1>Cheaper energy, switched for you</h1><form class="switch-form"><input name="postcode">
<button type="submit" class="btn">Get a quote</button></form></section>"""
    assert profile_of(quote, "Bright Energy").primary_cta == "Get a quote"  # a form's own button, in a "switch" form
    rotating = """<section class="hero"><h2>We make <span class="elementor-headline-dynamic-wrapper">
<span class="elementor-headline-dynamic-text elementor-headline-text-active">dental visits easy</span>
<span class="elementor-headline-dynamic-text">every smile a little brighter</span></span></h2></section>"""
    assert profile_of(rotating, "Harbor Dental | Dentist in Portland").tagline == "We make dental visits easy"


def test_second_review_bylines_tables_free_named_products_and_perks() -> None:
    for cite, author in [
        ('<span class="reviewer-name">Sophie L.</span> <span class="review-stars">★★★★★</span>', "Sophie L."),
        ('<span class="reviewer-name">Tom H.</span> <span class="review-date">2 weeks ago</span>', "Tom H."),
    ]:
        box = f'<div class="testimonial"><p>They were wonderful from start to finish, thank you.</p><cite>{cite}</cite></div>'
        assert [q.author for q in parse_page(f"<html><body>{box}</body></html>", URL).testimonials] == [author]
    stats = """<table class="stats"><tr><td class="stat-number">350+</td><td>weddings photographed</td></tr>
<tr><td class="stat-number">12</td><td>years behind the camera</td></tr></table>"""
    assert "350+ weddings photographed" in _by_text(stats)
    farm = """<ul class="products"><li class="product"><h3>Free Range Eggs</h3><p>$6.00</p><p>A dozen from our own hens.</p></li>
<li class="product"><h3>Raw Honey</h3><p>$12.00</p><p>Wildflower honey from our hives.</p></li></ul>"""
    assert _by_text(farm)["Free Range Eggs: $6.00 — a dozen from our own hens."].kind == "price"  # a product, no offer
    referral = """<section><h2>Referral Rewards</h2><ul><li>Your friend gets 20% off their first treatment</li></ul></section>
<section><h2>Join the Comfort Club</h2><ul><li>Save $50 on your joining fee this month</li><li>15% off all repairs</li></ul>
</section>"""
    offers = [f.text for f in profile_of(referral).facts if f.kind == "offer"]
    assert "Your friend gets 20% off their first treatment" in offers
    assert "Save $50 on your joining fee this month" in offers  # for whoever joins, not for members
    assert "Comfort Club members: 15% off all repairs" in offers


def test_second_review_paragraph_claims_greetings_and_builders_guarantees() -> None:
    physio = """<section><h2>New Patient Offer</h2><p>£45 initial assessment and treatment.</p>
<p>We treat back pain of every kind. Conditions we treat include sciatica, arthritis and whiplash.</p></section>"""
    assert not [f for f in profile_of(physio).facts if f.kind == "terms"]  # "Conditions we treat …" is no fine print
    diner = """<section class="hero"><h1>Rosie's Diner</h1><h2>Welcome to Rosie's Diner!</h2></section>"""
    assert profile_of(diner, "Rosie's Diner | All-Day Breakfast in Boise").tagline == "All-Day Breakfast in Boise"
    elementor = """<section class="elementor-section elementor-top-section"><div class="elementor-container">
<div class="elementor-column"><div class="elementor-widget-wrap"><div class="elementor-element elementor-widget-heading">
<h2 class="elementor-heading-title">Our 100% Happiness Guarantee</h2></div><div class="elementor-element
elementor-widget-text-editor"><p>If you are not happy, let us know within 24 hours and we will re-clean it for free.</p>
</div></div></div></div></section><section class="elementor-section"><div class="elementor-widget-text-editor">
<p>Save 10% on move-out cleans if you book today.</p></div></section>"""
    facts = _by_text(elementor)
    assert facts["If you are not happy, let us know within 24 hours and we will re-clean it for free"].kind == "guarantee"
    assert facts["Save 10% on move-out cleans if you book today"].kind == "offer"
    french = """<section><h2>Notre garantie satisfaction</h2><p>Si un détail ne vous convient pas, nous revenons
gratuitement sous 7 jours.</p></section>"""
    assert _by_text(french)["Si un détail ne vous convient pas, nous revenons gratuitement sous 7 jours"].kind == "guarantee"
    for slogan in ["Simply Good Sourdough", "New York's favorite bagels since 1976", "Free Range, Slow Grown"]:
        logo = '<header><h1><a href="/"><img src="/l.png" alt="Hearth"></a></h1></header>'
        hero = f'{logo}<section class="hero"><h2>{slogan}</h2></section>'
        assert profile_of(hero, "Hearth Bakery").tagline == slogan


def test_third_review_memberships_conditions_fine_print_switchers_labels_names_and_gifts() -> None:
    for heading, whose in [("Join Our Maintenance Plan", "Maintenance Plan members"), ("Member Benefits", "Members")]:
        plan = f"<section><h2>{heading}</h2><ul><li>15% off all repairs</li><li>Priority scheduling</li></ul></section>"
        assert f"{whose}: 15% off all repairs" in _by_text(plan)
    nantes = """<section><h2>Notre garantie</h2><p>Toutes nos fenêtres sont garanties 10 ans.</p>
<p>Si vous habitez hors de Nantes, des frais de déplacement s'appliquent pour chaque visite.</p></section>"""
    assert "guarantee" not in {f.kind for f in profile_of(nantes).facts if f.text.startswith("Si vous habitez")}
    intro = """<section><h2>Intro Offer</h2><p>20 % Rabatt auf Ihren ersten Monat.</p>
<p>Probieren Sie alle Kurse aus. Nur für Neukunden.</p></section>"""
    assert _by_text(intro)["Nur für Neukunden"].kind == "terms"
    switcher = """<header><div class="dropdown language-switcher">
<button class="btn dropdown-toggle" type="button">English</button></div></header>
<section class="hero"><h1>Fresh bread daily</h1></section>"""
    assert profile_of(switcher).primary_cta != "English"
    best = """<header><h1><a href="/"><img src="/l.png" alt="Rosie's Bakery"></a></h1></header>
<section class="hero"><h2>Best Sellers</h2></section>"""
    assert profile_of(best, "Rosie's Bakery | Fresh bread daily in Leeds").tagline == "Fresh bread daily in Leeds"
    for cite, author in [
        ('<span class="prenom">Marie</span> <span class="nom">Dupont</span>', "Marie Dupont"),
        ('<span class="name">Sarah</span> <span class="initial">K.</span>', "Sarah K."),
    ]:
        box = f'<div class="testimonial"><p>Un accueil chaleureux et un travail impeccable, merci.</p><cite>{cite}</cite></div>'
        assert [q.author for q in parse_page(f"<html><body>{box}</body></html>", URL).testimonials] == [author]
    typed = """<section><div class="typed-text"><span class="active">We have cared for Austin families since 1998.</span>
<span>Same-day crowns in a single visit.</span></div></section>"""
    assert "Same-day crowns in a single visit" in _by_text(typed)  # sentences shown in turn, none hidden
    gift = """<div class="cms-block"><h2>Kostenloses Geschenk</h2><p>Ab 60 € Bestellwert</p></div>
<div class="cms-block"><h2>Gold beim World Cheese Award 2025</h2></div>"""
    assert [f.kind for f in profile_of(gift).facts if "Geschenk" in f.text] == ["offer"]


def test_fourth_review_remedies_in_any_language_slogans_names_with_companies_and_lone_buttons() -> None:
    heading = "<section><h2>Unsere Frische-Garantie</h2><p>Alle unsere Produkte kommen frisch vom Hof.</p><p>{}</p></section>"
    for said in [
        "Wenn Ihre Blumen nicht 7 Tage halten, ersetzen wir sie kostenlos.",
        "Si el producto llega dañado, lo reemplazamos gratis.",
        "Se il prodotto arriva danneggiato, lo sostituiamo subito.",
    ]:
        assert _by_text(heading.format(said))[said.rstrip(".")].kind == "guarantee", said
    logo = '<header><h1><a href="/"><img src="/l.png" alt="Hearth"></a></h1></header>'
    for slogan in ["Discover the taste of Provence", "Neue Ideen für Ihr Zuhause", "Our products are handmade in Vermont"]:
        assert profile_of(f'{logo}<section class="hero"><h2>{slogan}</h2></section>', "Hearth Bakery").tagline == slogan
    for cite, who in [
        ('<span class="client-name">Sarah K.</span><span class="company-name">Acme Inc</span>', ("Sarah K.", "Acme Inc")),
        ('<span class="name">Rosa D.</span><span class="meta last">Austin, TX</span>', ("Rosa D.", "Austin, TX")),
    ]:
        box = f'<div class="testimonial"><p>They were wonderful from start to finish, thank you.</p><cite>{cite}</cite></div>'
        assert [(q.author, q.place) for q in parse_page(f"<html><body>{box}</body></html>", URL).testimonials] == [who]
    for box in ['<div class="cta-switch"><button class="btn">Order Online</button></div>',
                '<div class="billing-cta"><button>Start free trial</button></div>']:  # fmt: skip
        hero = f'<section class="hero"><h1>Wood-fired pizza in Austin</h1>{box}</section>'
        assert profile_of(hero).primary_cta in ("Order Online", "Start free trial")


def test_fourth_review_rotating_words_in_a_line_gift_hampers_and_non_member_rewards() -> None:
    line = """<section><p>Open <span class="typed-words"><span class="active">7 days a week</span><span>24 hours</span></span>
for walk-ins and appointments alike.</p></section>"""
    assert not any("24 hours" in f.text for f in profile_of(line).facts)
    hamper = """<ul class="products"><li class="product"><h3>Free Range Gift Hamper</h3><p>£45</p><p>Eggs, cheese and chutney
from our farm.</p></li><li class="product"><h3>Honey Jar</h3><p>£8</p><p>Wildflower honey from our hives.</p></li></ul>"""
    assert [f.kind for f in profile_of(hamper).facts if "Hamper" in f.text] == ["price"]
    for heading in ["Shop &amp; Earn Rewards", "Team Members", "Happy Hour Rewards"]:
        rewards = f"<section><h2>{heading}</h2><ul><li>Free shipping on orders over $50</li></ul></section>"
        assert not any("members:" in text for text in _by_text(rewards)), heading


def test_fifth_review_buttons_that_open_dialogs_free_things_under_a_guarantee_and_particles_in_names() -> None:
    for button in ['<button class="btn" aria-haspopup="dialog">Get a quote</button>',
                   '<a class="elementor-button" href="/book" aria-haspopup="true">Book a consultation</a>']:  # fmt: skip
        hero = f'<section class="hero"><h1>Roofing in Leeds, done right</h1>{button}</section>'
        assert profile_of(hero).primary_cta in ("Get a quote", "Book a consultation")
    garantie = "<section><h2>Notre garantie</h2><p>Toutes nos fenêtres sont garanties 10 ans.</p><p>{}</p></section>"
    for said in ["Si vous commandez avant midi, la livraison est gratuite.", "Un devis si simple et toujours gratuit."]:
        assert "guarantee" not in [f.kind for f in profile_of(garantie.format(said)).facts if f.text == said.rstrip(".")]
    box = '<div class="testimonial"><p>They were wonderful from start to finish, thank you.</p><cite>{}</cite></div>'
    first_last = '<span class="first-name">Sarah</span><span class="last-name">van der Berg</span>'
    read = parse_page(f"<html><body>{box.format(first_last)}</body></html>", URL).testimonials
    assert [q.author for q in read] == ["Sarah van der Berg"]


def test_fifth_review_labels_thresholds_and_rotating_sentences() -> None:
    logo = '<header><h1><a href="/"><img src="/l.png" alt="Hearth"></a></h1></header>'
    for label in ["View our menu", "Nuevo menú de temporada", "Explore the collection"]:
        assert profile_of(f'{logo}<section class="hero"><h2>{label}</h2></section>', "Hearth | Bakery in Leeds").tagline != label
    delivery = """<div class="perk"><h3>Free Delivery</h3><p>Spend £40 or more</p></div>
<div class="perk"><h3>Gold at the Great Taste Awards 2025</h3></div>"""
    assert [f.kind for f in profile_of(delivery).facts if "Delivery" in f.text] == ["offer"]
    offers = """<section><p>This week only: <span class="rotating-text"><span class="active">20% off all haircuts for new
clients.</span><span>Free shipping on orders over $50.</span></span></p></section>"""
    assert any("Free shipping on orders over $50" in f.text for f in profile_of(offers).facts)
