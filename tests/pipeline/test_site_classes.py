"""Kinds of pages every builder writes, read and written up as a marketer would: an offer box with its
footnote, a SaaS hero over pricing cards, a list of what a price buys, a hotel whose German sentence opens
with the words a heading also uses. Each test fails on the reading that came before it."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from brandtruth.pipeline.extract import build_profile
from brandtruth.pipeline.extract.facts import classify
from brandtruth.pipeline.extract.lexicon import PRICE
from brandtruth.pipeline.extract.page import parse_page
from brandtruth.pipeline.extract.pieces import price_subject
from brandtruth.pipeline.generate import generate_copy
from brandtruth.pipeline.generate.platforms import limits_for
from brandtruth.pipeline.lint import lint_copy
from brandtruth.pipeline.llm import OfflineProvider
from brandtruth.pipeline.llm.angles import Angles
from brandtruth.pipeline.llm.base import CopyRequest, Slot
from brandtruth.pipeline.llm.headlines import headline_forms
from brandtruth.pipeline.llm.offline import Writer, material
from brandtruth.pipeline.match import match_images
from brandtruth.pipeline.models import BrandProfile, CopyVariant, Fact, GenerateInput, MatchInput
from tests.pipeline.creative_factory import VARIANTS, make_brand, new_store

URL = "https://brand.test/"


def profile_of(body: str, title: str = "Brand", lang: str = "en") -> BrandProfile:
    html = f"<html lang='{lang}'><head><title>{title}</title></head><body>{body}</body></html>"
    return build_profile(URL, [parse_page(html, URL)], [], [], None, [], [])


def variants_of(profile: BrandProfile, number: int = 5) -> list[CopyVariant]:
    out = asyncio.run(generate_copy(GenerateInput(run_id="r", brand=profile, num_variants=number), OfflineProvider()))
    return out.variants


# WordPress blocks: the offer is a group of its own (a "card" among its sibling groups), its price
# sentence ends on an asterisk, and the fine print it points to follows in a small paragraph.
DENTAL = """<div class="wp-block-cover hero"><h1>Gentle Dentistry for the Whole Family</h1>
<p>Dr. Priya Raman and her team have cared for Plano smiles since 2009, from first checkups to same-day crowns.</p>
<a class="wp-block-button__link" href="/book/">Schedule Your Visit</a></div>
<div class="wp-block-group new-patient-special"><h2>New Patient Special</h2>
<p><strong>$79</strong> exam, cleaning &amp; X-rays for new patients without insurance.*</p>
<p class="has-small-font-size">*Cannot be combined with other offers.
Not valid for patients with active dental insurance.</p></div>
<div class="wp-block-group"><h2>Teeth Whitening</h2><p>Up to eight shades whiter in a single 90-minute visit.</p></div>
<div class="wp-block-group"><h2>Dental Implants</h2>
<p>Permanent replacement teeth that look, feel and chew like your own.</p></div>"""


def test_an_offer_named_by_its_heading_heads_its_ad_and_its_footnote_is_its_terms() -> None:
    profile = profile_of(DENTAL, "Willow Creek Dental")
    kinds = {f.text: (f.kind, f.subject) for f in profile.facts}
    assert kinds["$79 exam, cleaning & X-rays for new patients without insurance"] == ("offer", "New Patient Special")
    terms = [f for f in profile.facts if f.kind == "terms"]
    fine_print = "Cannot be combined with other offers. Not valid for patients with active dental insurance"
    assert [t.text for t in terms] == [fine_print]
    assert not any(f.kind != "terms" and "combined" in f.text for f in profile.facts)  # the fine print claims nothing
    assert kinds["Up to eight shades whiter in a single 90-minute visit"][0] != "plan"  # no plan's allowance
    ads = {(v.headline, v.body) for v in variants_of(profile)}
    assert ("New Patient Special", "$79 exam, cleaning & X-rays for new patients without insurance.") in ads
    assert not any("*" in headline + body for headline, body in ads)


def test_the_line_under_the_heros_headline_is_the_body_the_headline_gets() -> None:
    # The hero sub is a fact here (its year); an announcement bar and an eyebrow sit above the headline.
    dental = variants_of(profile_of(DENTAL, "Willow Creek Dental"))
    assert (dental[0].angle, dental[0].headline) == ("benefit", "Gentle Dentistry for the Whole Family")
    assert dental[0].body.startswith("Dr. Priya Raman and her team have cared for Plano smiles since 2009")
    saas = """<div class="Banner_root"><p>New: Stripe and Xero sync is live. <a href="/new">See what's new</a></p></div>
    <section class="Hero_hero"><span>Invoicing for small agencies</span><h1>Get paid in days, not months</h1>
    <p>Pipewise sends your invoices, chases late payers with polite reminders and matches every payment to your bank feed.</p>
    <a class="btn" href="/signup">Start free trial</a></section>
    <section class="pricing"><div class="plan"><h3>Studio</h3><p>$29/month</p>
    <p>Unlimited invoices for teams of up to 10.</p></div>
    <div class="plan"><h3>Agency</h3><p>Custom</p>
    <p>For teams over 10, with SSO and a named account manager.</p></div></section>"""
    first = variants_of(profile_of(saas, "Pipewise"))[0]
    assert (first.headline, first.body) == (
        "Get paid in days, not months",
        "Pipewise sends your invoices, chases late payers with polite reminders and matches every payment to your bank feed.",
    )


def test_a_price_before_a_short_list_prices_the_whole_list() -> None:
    assert price_subject("$79 exam, cleaning & X-rays for new patients without insurance.*") == "exam, cleaning & X-rays"
    assert price_subject("$45 wash, cut and blow-dry.") == "wash, cut and blow-dry"
    assert price_subject("$10 coffee and cake for two") == "coffee"  # two are no list: "deposit and balance on pickup"
    assert price_subject("$50 deposit and balance on pickup") == "deposit"
    assert price_subject("$285 includes clay, glazes and firing") == ""  # the price is the subject; it names none
    assert price_subject("$129 drain cleaning, any fixture") == "drain cleaning"


def test_a_plans_allowance_is_a_plan_and_money_off_or_a_claim_is_not() -> None:
    assert classify("Up to 5 invoices a month", "") == "plan"
    assert classify("Unlimited projects", "") == "plan"
    assert classify("Up to 50% off everything", "") != "plan"
    assert classify("Up to 3x faster builds", "") != "plan"


def test_a_footnote_is_fine_print_but_a_list_items_star_is_a_bullet() -> None:
    page = parse_page(
        "<html><body><main><p>*Offer ends Sunday. One per household.</p><p>† Terms apply to new members.</p>"
        "<ul><li>*Free parking for every guest</li></ul></main></body></html>",
        URL,
    )
    roles = {b.text: b.role for b in page.blocks}
    assert roles["*Offer ends Sunday. One per household."] == "legal"
    assert roles["† Terms apply to new members."] == "legal"
    assert roles["*Free parking for every guest"] == "text"


def test_a_plan_called_pro_is_not_found_inside_other_words() -> None:
    # "Pro" is a word of "Sproutly" and "non-profits": read as a substring, every ad naming the brand
    # carried the Pro plan, so nothing else that named the brand could run beside the Pro ad.
    body = """<section class="hero"><h1>Track your hours. Send the invoice.</h1>
    <p>Sproutly is a desktop time tracker for freelancers.</p><a class="btn" href="/dl">Download for Mac</a></section>
    <section class="pricing"><div class="plan"><h3>Pro</h3><p>$8/month</p>
    <p>Unlimited projects and invoices.</p></div></section>"""
    profile = profile_of(body, "Sproutly")
    req = CopyRequest(
        run_id="r", brand=profile, platform="meta", limits=limits_for("meta"), slots=[Slot(id="v1", angle="product")], ctas=[]
    )
    writer = Writer(req, material(profile))
    assert writer.material_in("Sproutly is a desktop time tracker for freelancers.") == set()
    assert writer.material_in("Students and non-profits get a discount.") == set()
    assert writer.material_in("Students get Pro for half price.") == {"p:pro"}


def test_a_body_never_repeats_the_headlines_figure_in_the_same_words() -> None:
    body = """<section class="hero"><h1>Deutsche Qualität since 1952</h1>
    <p>Family owned and operated since 1952 by three generations of the Kessler family.</p>
    <a class="btn" href="/visit">Visit the store</a></section>
    <section><p>We stock over 18,000 items, from hinges to hand planes.</p>
    <p>Our staff have more than 150 years of combined experience.</p></section>"""
    headed = [v for v in variants_of(profile_of(body, "Kessler Hardware")) if "since 1952" in v.headline]
    assert headed  # the tagline heads an ad, so the check below is about something
    assert all("since 1952" not in v.body for v in headed)


def test_words_a_german_sentence_opens_with_are_no_title_its_middle_must_keep() -> None:
    html = """<html lang="de"><head><title>Landhaus Alpenblick</title>
    <meta name="description" content="Familiengeführtes Landhaus mit 14 Zimmern, Bergblick und Frühstücksbuffet."></head>
    <body><section class="hero"><h1>Ankommen, durchatmen, Berge sehen.</h1>
    <p>Unser familiengeführtes Landhaus liegt ruhig am Ortsrand, nur 5 Gehminuten vom Zentrum.</p>
    <a class="btn" href="/buchen">Verfügbarkeit prüfen</a></section></body></html>"""
    profile = build_profile(URL, [parse_page(html, URL)], [], [], None, [], [])
    said = "Unser familiengeführtes Landhaus liegt ruhig am Ortsrand, nur 5 Gehminuten vom Zentrum."
    assert [f.code for f in lint_copy("Ankommen, durchatmen, Berge sehen", said, "Verfügbarkeit prüfen", profile)] == []


def test_proof_goes_under_proof_before_a_line_that_proves_nothing() -> None:
    body = """<section class="hero"><h1>We build brands that people remember</h1>
    <p>We help ambitious companies find their voice, then build the websites that carry it.</p>
    <a class="btn" href="/start">Start a project</a></section>
    <section class="stats"><div class="stat"><span>12</span><span>Years in business</span></div>
    <div class="stat"><span>240+</span><span>Projects launched</span></div></section>"""
    angles = Angles(material(profile_of(body, "Northpeak Studio")), limits_for("meta"))
    first = next(built for built in angles.by_name("social_proof") if built.body)  # one with nothing under it never runs
    assert (first.headline, first.body) == ("12 years in business", ["240+ projects launched."])


# A Shopify (Dawn) shop in Italian: a sale card, an award, a newsletter box at the bottom.
OLIO = """<div class="announcement-bar"><p>Spedizione gratuita in tutta Italia per ordini sopra i 49 €</p></div>
<section class="banner"><h2>Dalla nostra terra alla tua tavola</h2><p>Tre generazioni di frantoiani tra Bari e Monopoli.</p>
<a class="button button--primary" href="/collections/olio">Scopri i nostri oli</a></section>
<ul class="grid product-grid"><li class="grid__item"><div class="card"><h3 class="card__heading">Coratina Bio 500 ml</h3>
<div class="price"><span class="price-item price-item--regular">€14,90 EUR</span></div></div></li>
<li class="grid__item"><div class="card"><h3 class="card__heading">Latta Peranzana 3 L</h3>
<div class="price price--on-sale"><span class="price-item price-item--sale">€49,00 EUR</span>
<s class="price-item price-item--regular">€58,00 EUR</s></div></div></li></ul>
<section class="rich-text"><h2>Premiato a Sol d'Oro 2025</h2>
<p>La nostra Coratina ha vinto la Medaglia d'Oro nella categoria fruttato intenso.</p></section>
<section class="newsletter"><h2>Iscriviti alla newsletter</h2><p>Ricevi le novità dal frantoio.</p>
<form><input type="email" placeholder="Email"><button>Iscriviti</button></form></section>"""


def test_an_italian_shop_is_written_up_in_italian_and_its_newsletter_button_is_no_cta() -> None:
    profile = profile_of(OLIO, "Oleificio Ferraro", "it")
    facts = {f.text: f.kind for f in profile.facts}
    assert facts["Latta Peranzana 3 L: €49,00 (invece di €58,00)"] == "price"  # the struck price, in Italian
    assert facts["La nostra Coratina ha vinto la Medaglia d'Oro nella categoria fruttato intenso"] == "award"
    assert "Iscriviti" not in profile.ctas
    variants = variants_of(profile)
    assert {v.cta for v in variants} == {"Scopri i nostri oli"}
    copy = " ".join(f"{v.headline} {v.body}" for v in variants)
    assert "Coratina Bio 500 ml a €14,90" in copy
    assert not re.search(r"\b(for|was|and|from)\b", copy)


def test_a_newsletter_box_in_english_gives_no_cta_either_but_a_hero_sign_up_does() -> None:
    english = OLIO.replace("Iscriviti alla newsletter", "Join our newsletter").replace("<button>Iscriviti", "<button>Subscribe")
    assert "Subscribe" not in profile_of(english.replace("Scopri i nostri oli", "Shop our oils"), "Ferraro").ctas
    hero = """<section class="hero"><h1>Notes from the olive grove</h1><p>A letter every Sunday from our grove.</p>
    <form class="newsletter-form"><input type="email"><button type="submit">Subscribe</button></form></section>"""
    assert "Subscribe" in profile_of(hero, "Grove Letters").ctas  # a newsletter's own main action


BIKE_NL = """<section class="hero"><h1>Uw fiets weer als nieuw, vaak nog dezelfde dag</h1>
<p>Al meer dan 25 jaar dé fietsenmaker van Utrecht-Oost.</p><a class="btn" href="/afspraak">Afspraak maken</a></section>
<section class="usps"><ul><li>✔ Gratis ophalen en terugbrengen binnen de ring</li>
<li>✔ Specialist in e-bikes van Gazelle, Sparta en Batavus</li></ul></section>
<section class="prijzen"><h2>Tarieven</h2><table><tr><td>Band plakken</td><td>€ 12,50</td></tr>
<tr><td>Kleine onderhoudsbeurt</td><td>€ 49,-</td></tr></table></section>
<section class="reviews"><div class="kiyoh"><span>9,4</span> <span>uit 1.150 beoordelingen op Kiyoh</span></div></section>"""


def test_a_dutch_repair_shop_gets_its_prices_offer_and_rating_read_and_joined_in_dutch() -> None:
    profile = profile_of(BIKE_NL, "De Spaak", "nl")
    kinds = {f.text: f.kind for f in profile.facts}
    assert kinds["Gratis ophalen en terugbrengen binnen de ring"] == "offer"
    assert kinds["9,4 uit 1.150 beoordelingen op Kiyoh"] in ("customers", "stat")
    assert kinds["Al meer dan 25 jaar dé fietsenmaker van Utrecht-Oost"] == "stat"
    variants = variants_of(profile)
    copy = " ".join(f"{v.headline} {v.body}" for v in variants)
    assert "Band plakken voor € 12,50" in copy
    assert "Specialist in e-bikes van Gazelle" not in [v.headline for v in variants]  # a list is never cut after its first
    assert {v.cta for v in variants} <= {"Afspraak maken", "Nu boeken"}


def test_a_counter_over_since_is_the_founding_year_read_in_order() -> None:
    body = """<section class="stats"><div class="elementor-counter"><span class="elementor-counter-number"
    data-to-value="1987">0</span><div class="elementor-counter-title">Desde</div></div>
    <div class="elementor-counter"><span class="elementor-counter-number" data-to-value="14">0</span>
    <div class="elementor-counter-title">Arroces en carta</div></div></section>"""
    facts = {f.text: f.kind for f in profile_of(body, "Casa Marisol", "es").facts}
    assert facts["Desde 1987"] == "founded"


def test_a_long_testimonial_is_quoted_from_its_turn_not_from_the_fear_it_opens_with() -> None:
    body = """<section class="hero"><h1>Gentle dentistry in Plano</h1><p>Family and cosmetic dentistry since 2009.</p>
    <a class="btn" href="/book">Book a Visit</a></section>
    <section class="testimonials"><blockquote><p>I've been terrified of the dentist my whole life. Dr. Raman was so patient
    and I didn't feel a thing. My kids actually look forward to their cleanings now!</p>
    <cite>Jennifer Alvarez</cite></blockquote></section>"""
    quoted = [v.body for v in variants_of(profile_of(body, "Willow Creek Dental")) if v.angle == "testimonial"]
    assert quoted and all("terrified" not in q and "Dr. Raman was so patient" in q for q in quoted)


def test_two_prices_with_words_between_them_are_no_sale_and_a_steps_number_is_no_stat() -> None:
    body = """<section class="how-it-works"><h2>How it works</h2><div class="row">
    <div class="item"><p>01</p><p>Discovery call</p><p>A free 30-minute call to see if we're a fit.</p></div>
    <div class="item"><p>02</p><p>Your plan</p><p>We map your goals, your gaps and a 12-week plan to close them.</p></div>
    <div class="item"><p>03</p><p>Weekly sessions</p><p>Twelve 60-minute sessions, with Slack support between them.</p></div>
    </div></section>
    <section class="programs"><div class="card"><h3>The 12-Week Program</h3><p>$2,400, or three payments of $850.</p>
    <p>Includes 12 sessions and my negotiation playbook.</p></div>
    <div class="card"><h3>Single Session</h3><p>$240</p><p>One 60-minute session on the question of your choice.</p></div>
    </section>"""
    facts = extract_facts_of(body)
    assert not any(f.kind == "stat" and f.text.startswith("0") for f in facts)  # "01 discovery call" counts nothing
    program = next(f for f in facts if f.subject == "The 12-Week Program")
    assert (program.kind, program.value) == ("price", "$2,400")
    assert "(was" not in program.text and "three payments of $850" in program.text


def extract_facts_of(body: str) -> list[Fact]:
    return profile_of(body, "Maya Lindqvist Coaching").facts


def test_a_price_per_seat_and_month_keeps_both_units() -> None:
    body = """<section class="hero"><h1>Projects that stay on schedule</h1>
    <a class="button" href="/trial">Start free trial</a></section>
    <section class="pricing"><div class="plan"><h3>Studio</h3><p class="price">$24/user/month</p><p>Unlimited projects.</p></div>
    <div class="plan"><h3>Practice</h3><p class="price">$39 / user / mo</p><p>Resource planning and fee tracking.</p></div>
    </section>"""
    values = {f.subject: f.value for f in profile_of(body, "Loomwell").facts if f.kind == "price"}
    assert values == {"Studio": "$24/user/month", "Practice": "$39 / user / mo"}  # never "$24/user", as if once


def test_blog_teasers_and_job_ads_on_a_home_page_state_nothing_an_ad_could_claim() -> None:
    body = """<section class="hero"><h1>Gentle care for every pet in Boise</h1>
    <p>Checkups, vaccines, dental care and surgery, with fear-free handling from our certified team.</p>
    <a class="btn" href="/book">Book an Appointment</a></section>
    <section class="wp-block-latest-posts"><h2>From Our Blog</h2>
    <article class="post-card"><p>March 3, 2025</p><h3>5 Signs Your Dog Needs a Dental Cleaning</h3>
    <p>Bad breath is more than a nuisance. Here are five signs it's time to book a dental visit.</p></article>
    <article class="post-card"><p>February 12, 2025</p><h3>Heartworm: 90% of Cases Are Preventable</h3>
    <p>Most heartworm infections can be prevented with one monthly chew.</p></article></section>
    <section class="careers"><h2>We're hiring!</h2><p>Join a team that has cared for Boise pets since 2011.</p></section>
    <section class="news"><p>Our new surgery suite has treated more than 500 pets since May.</p></section>"""
    texts = [f.text for f in profile_of(body, "Bright Paws").facts]
    assert not any(word in t for t in texts for word in ("Bad breath", "heartworm", "Heartworm", "Join a team"))
    assert "Our new surgery suite has treated more than 500 pets since May" in texts  # its own news is its record


def test_a_logo_in_capitals_with_a_descriptor_takes_the_titles_spelling_of_the_name() -> None:
    body = """<header><a href="/" class="logo">DANA WHITFIELD <span>REAL ESTATE</span></a></header>
    <section class="hero"><h1>Sell for more, stress less</h1><a class="btn" href="/value">Get Your Home Value</a></section>"""
    assert profile_of(body, "Dana Whitfield | Denver Real Estate Agent | Compass").name == "Dana Whitfield"


def test_a_stat_cards_sentence_case_label_reads_on_in_lower_case() -> None:
    body = """<section class="hero"><h1>Sell for more, stress less</h1>
    <a class="btn" href="/value">Get Your Home Value</a></section>
    <section class="stats"><div class="stat"><span>18</span><span>Days on market, on average</span></div>
    <div class="stat"><span>400+</span><span>Families helped home</span></div></section>"""
    copy = " ".join(f"{v.headline} | {v.body}" for v in variants_of(profile_of(body, "Dana Whitfield")))
    assert "18 Days" not in copy and "400+ Families" not in copy
    assert "18 days on market, on average" in copy


DINER = """<section class="hero"><h1>Rosie's Diner</h1><h2>All-day breakfast since 1979</h2>
<p>Pancakes, hash browns and pie made from scratch every morning on Boston Avenue.</p><a class="btn" href="/menu">See the Menu</a>
</section><section class="menu-highlights"><h2>Favorites</h2>
<div class="item"><h3>Short Stack</h3><p>Three buttermilk pancakes with whipped butter. $8.50</p></div>
<div class="item"><h3>Chicken Fried Steak</h3><p>Hand-breaded, with cream gravy and two eggs. $14.95</p></div>
<div class="item"><h3>Pie of the Day</h3><p>Ask your server. $5 a slice.</p></div></section>
<section><p>Voted Best Breakfast in Tulsa by Tulsa World readers, 2023 and 2024.</p></section>"""


def test_a_menu_item_titled_pie_of_the_day_makes_day_no_proper_noun_that_blocks_every_ad() -> None:
    # "Day" capitalised inside a title ("Pie of the Day") was read as a proper noun, so "All-day" broke the
    # casing lint in every draft, and a diner with five good facts got no ad at all.
    profile = profile_of(DINER, "Rosie's Diner")
    assert profile.tagline == "All-day breakfast since 1979"  # the h1 is the name: the hero's next heading
    variants = variants_of(profile)
    assert len(variants) == 5
    assert ("All-day breakfast since 1979", "benefit") in {(v.headline, v.angle) for v in variants}
    assert "Pie of the Day for $5 a slice" in {v.headline for v in variants}  # "a slice" is its unit, not a range


# What a review of this round's rules found too broad, each kept narrow.


def test_italian_dutch_portuguese_and_spanish_copy_is_never_flagged_for_each_others_everyday_words() -> None:
    cases = [
        ("it", "Forno a legna", "Una pizza al forno a legna con ingredienti del territorio."),
        ("pt", "Padaria Sol", "Somos uma padaria artesanal desde 1987, para toda a família, por um preço justo."),
        ("nl", "Bakkerij Jansen", "Sinds 1952 bakken we brood. Ons brood is elke dag vers gebakken."),
        ("es", "Tienda Sol", "Envío gratuito y devolución gratuita. Compre en línea o reserve su mesa."),
    ]
    for lang, name, body in cases:
        profile = profile_of(f"<section class='hero'><h1>{name}</h1><p>{body}</p></section>", name, lang)
        assert [f.code for f in lint_copy(name, body, "", profile) if "language" in f.code] == [], lang


def test_a_newsletter_heading_beside_a_button_outside_its_form_leaves_the_button_a_cta() -> None:
    carrd = """<div class="inner"><h1>Maya Lee Coaching</h1><p>Coaching for founders who want calm.</p>
    <ul class="buttons"><li><a class="button" href="/book">Book a free call</a></li></ul>
    <h2>Join my newsletter</h2><form><input type="email"><button>Subscribe</button></form></div>"""
    assert profile_of(carrd, "Maya Lee Coaching").ctas == ["Book a free call"]


def test_allowances_per_month_or_per_user_are_plans() -> None:
    for line in ("Up to 50 invoices per month", "Up to 3 users and 1 printer", "Unlimited customer records"):
        assert classify(line, "") == "plan", line


def test_sale_labels_in_any_words_still_make_a_sale() -> None:
    def sale(line: str, lang: str = "en") -> str:
        body = f"""<div class="products"><div class="product-card"><h3>Cedar candle</h3><p>{line}</p></div>
        <div class="product-card"><h3>Fig candle</h3><p>$20.00</p></div></div>"""
        return next(f.text for f in profile_of(body, "Wick", lang).facts if f.subject == "Cedar candle")

    assert sale("Reg. $32.00 Sale $26.00") == "Cedar candle: $26.00 (was $32.00)"
    assert sale("Original price: $32.00 Current price: $26.00") == "Cedar candle: $26.00 (was $32.00)"
    assert sale("Prix habituel 12,00 € Prix soldé 9,50 €", "fr") == "Cedar candle: 9,50 € (au lieu de 12,00 €)"


def test_lines_typed_with_a_star_bullet_or_new_in_stars_are_claims_not_fine_print() -> None:
    body = """<section><p>* Every roof comes with a 25-year workmanship warranty.</p>
    <p>*NEW* We now offer same-day emergency tarping across the valley.</p></section>"""
    kinds = {f.kind for f in profile_of(body, "Summit Roofing").facts}
    assert {"guarantee", "service"} <= kinds


def test_a_contractors_recent_jobs_and_a_posts_widget_of_services_are_no_blog() -> None:
    body = """<section class="recent-jobs"><h2>Recent jobs</h2>
    <p>We repaired hail damage on 14 homes in Loveland after the June storm.</p></section>
    <div class="elementor-posts"><article class="elementor-post"><h3>Roof Replacement</h3>
    <p>Asphalt, metal and flat roofs, torn off and replaced in as little as two days.</p></article></div>"""
    texts = [f.text for f in profile_of(body, "Summit Roofing").facts]
    assert "We repaired hail damage on 14 homes in Loveland after the June storm" in texts


def test_a_stat_labels_name_keeps_its_capital() -> None:
    body = """<section class="hero"><h1>Painters Boise trusts</h1><p>We paint homes across Boise and Meridian.</p>
    <a class="btn" href="/q">Get a Quote</a></section><section class="stats">
    <div class="stat"><span>4.9</span><span>Google rating</span></div>
    <div class="stat"><span>600+</span><span>Boise homes painted</span></div></section>"""
    proof = [s.text for s in material(profile_of(body, "Ridge Painting")).proof]
    assert proof == ["4.9 Google rating", "600+ Boise homes painted"]


def test_a_card_line_for_over_25_years_is_a_claim_not_whom_a_plan_is_for() -> None:
    body = """<section class="features"><div class="card"><h3>Made in Alabama</h3>
    <p>For over 25 years, knitted on the same Lonati machines in Fort Payne.</p></div>
    <div class="card"><h3>Cushioned</h3><p>Every pair has a cushioned sole for long days on your feet.</p></div></section>"""
    texts = [s.text for s in material(profile_of(body, "Fort Payne Socks")).proof]
    assert any(t.startswith("For over 25 years") for t in texts)


def test_spanish_and_french_en_is_no_dutch_and_of_a_list() -> None:
    assert headline_forms("Café de especialidad, tostado en Valencia cada semana.", False, "es")[-1] == "Café de especialidad"
    assert headline_forms("Specialist in e-bikes van Gazelle, Sparta en Batavus", False, "nl") == [
        "Specialist in e-bikes van Gazelle, Sparta en Batavus"
    ]


def test_a_fault_in_the_one_description_line_every_draft_shares_costs_no_ad(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every draft of a run takes the same short line as its link description: a lint fault in that line
    # alone (as "All-day" had) failed every draft, and the run with it.
    monkeypatch.setattr(Writer, "description", lambda self, built, body: "Click here to read more")
    variants = variants_of(profile_of(DINER, "Rosie's Diner"))
    assert len(variants) == 5
    assert {v.description for v in variants} == {"Rosie's Diner"}


SALON = """<section class="hero"><h1>Color that grows out beautifully</h1>
<p>Lived-in color, precision cuts and curly-hair specialists in West Asheville.</p><a class="btn" href="/book">Book Online</a>
</section><section class="services"><h2>Services</h2><table class="menu">
<tr><td>Women's Haircut</td><td>$65+</td></tr><tr><td>Men's Haircut</td><td>$40+</td></tr>
<tr><td>Balayage</td><td>$220+</td></tr><tr><td>Curly Cut (DevaCut)</td><td>$95</td></tr></table>
<p>A 50% deposit is required for color services over $150.</p></section>
<section><p>"Jess is a genius with balayage. Six months later it still looks great." – Ashley P.</p></section>"""


def test_a_salons_price_menu_gets_its_ads_with_plus_prices_as_starting_prices() -> None:
    # "men's Haircut" was found inside "Women's Haircut" and "DevaCut" read as glued words: every product
    # draft failed the lint, and a menu of four services got no product ad.
    profile = profile_of(SALON, "Bloom Hair Studio")
    assert next(f.kind for f in profile.facts if f.text.startswith("A 50% deposit")) == "policy"  # a house rule
    variants = variants_of(profile)
    headlines = {v.headline for v in variants}
    assert "Women's Haircut from $65" in headlines  # "$65+": from $65
    faults = lint_copy(
        "Curly Cut (DevaCut) for $95", "Women's Haircut from $65 and Men's Haircut from $40.", "Book Online", profile
    )
    assert faults == []  # the site's own trademark, and "Men's" only where the site writes it
    assert not any("deposit" in v.body for v in variants)


def test_spanish_todo_is_a_word_and_a_capitalised_todo_a_placeholder() -> None:
    profile = profile_of("<section class='hero'><h1>Clínica Sonríe</h1></section>", "Clínica Sonríe", "es")
    assert lint_copy("Clínica Sonríe", "Todo el tratamiento en una sola clínica.", "", profile) == []
    assert "placeholder" in [f.code for f in lint_copy("Clínica Sonríe", "TODO texto de la oferta.", "", profile)]


def test_a_brazilian_cafe_gets_its_real_prices_its_tagline_and_its_free_shipping_offer() -> None:
    body = """<section class="hero"><h1>O café que a gente torra aqui mesmo</h1>
    <p>Grãos de pequenos produtores do Sul de Minas, torrados toda semana na nossa loja da Savassi.</p>
    <a class="btn" href="/pedido">Peça pelo WhatsApp</a></section>
    <section class="destaques"><ul><li>✔ Mais de 12.000 clientes atendidos por mês</li>
    <li>✔ Frete grátis para pedidos acima de R$ 150</li></ul></section>
    <section class="cardapio"><div class="produto"><h3>Café coado</h3><p>R$ 9,00</p><p>Método V60 com o grão da semana.</p></div>
    <div class="produto"><h3>Pão de queijo</h3><p>R$ 6,50</p><p>Receita da avó, com queijo da Canastra.</p></div></section>"""
    profile = profile_of(body, "Café Aurora", "pt")
    kinds = {f.text: (f.kind, f.value) for f in profile.facts}
    assert kinds["Mais de 12.000 clientes atendidos por mês"][0] == "customers"  # people a month, no price
    assert kinds["Frete grátis para pedidos acima de R$ 150"][0] == "offer"
    variants = variants_of(profile)
    headlines = {v.headline for v in variants}
    assert "O café que a gente torra aqui mesmo" in headlines  # "O" is Portuguese's "the", not Spanish "or"
    assert "Café coado por R$ 9,00" in headlines  # the real, not "$ 9,00"


def test_a_donation_tier_is_what_a_gift_does_never_a_product_or_a_contradicting_price() -> None:
    body = """<section class="hero"><h1>Every pet deserves a second chance</h1>
    <p>We rescue dogs and cats from overcrowded shelters and find them loving homes.</p>
    <a class="btn" href="/donate">Donate Today</a></section>
    <section class="donate-tiers"><h2>Your gift at work</h2>
    <div class="tier"><h3>$25</h3><p>Vaccinates one puppy</p></div>
    <div class="tier"><h3>$75</h3><p>Spays or neuters a cat</p></div></section>"""
    profile = profile_of(body, "Second Chance Animal Rescue")
    texts = {f.text: f.disputed for f in profile.facts}
    assert texts == {"$25 vaccinates one puppy": False, "$75 spays or neuters a cat": False}
    assert not any("Vaccinates one puppy for" in v.headline for v in variants_of(profile))


def test_second_review_a_waived_term_is_no_house_rule_and_a_letter_before_a_dollar_is_no_currency() -> None:
    body = """<p>0% financing on training packs, and no down payment is required.</p>
    <p>Trusted by 2,000 members and no membership is required to try a class.</p>
    <p>A 50% deposit is required for color services over $150.</p>"""
    kinds = [f.kind for f in profile_of(body, "Iron Gym").facts]
    assert kinds == ["offer", "customers", "policy"]
    assert [PRICE.search(t).group() for t in ("PLANS$9", "ABS$4 off", "R$ 9,00")] == ["$9", "$4", "R$ 9,00"]


def test_second_review_glued_spans_stay_a_lint_fault_and_spanish_o_still_leans_back() -> None:
    glued = profile_of("<p><span>Country</span><span>Sourdough</span>: $8 for a big crusty loaf.</p>", "Crumb")
    assert "glued_tokens" in [f.code for f in lint_copy("CountrySourdough for $8", "Fresh every morning.", "", glued)]
    body = """<section class="hero"><h1>Clínica Sonríe</h1><p>Tu sonrisa, en las mejores manos.</p></section>
    <p>O escríbenos por WhatsApp y te respondemos en menos de una hora.</p>"""
    copy = " ".join(f"{v.headline} {v.body}" for v in variants_of(profile_of(body, "Clínica Sonríe", "es")))
    assert "O escríbenos" not in copy


def test_second_review_only_a_test_items_own_words_hide_its_photo(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    brand = make_brand(store)
    near = [img.model_copy(update={"nearby_text": "TEST ITEM - staff only do not purchase"}) for img in brand.images]
    out = match_images(MatchInput(run_id="run1", brand=brand.model_copy(update={"images": near}), variants=VARIANTS), store)
    assert any(m.image is not None for m in out.matches)  # a grid's text beside a photo hides nothing
