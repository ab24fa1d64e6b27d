"""Extraction on the structures real sites use (issue 14), one small page per class of HTML.

Each page is written the way themes write it (WordPress, Shopify, Tailwind, pricing cards), and each
test names what a person reading the page takes from it.
"""

from __future__ import annotations

import re

import lxml.html

from brandtruth.pipeline.extract import brand as kit
from brandtruth.pipeline.extract.cards import MAX_CARDS
from brandtruth.pipeline.extract.facts import MAX_FACTS, extract_facts, split_sentences
from brandtruth.pipeline.extract.page import ParsedPage, element_text, parse_page
from brandtruth.pipeline.extract.regions import MAX_BLOCKS
from brandtruth.pipeline.llm.phrases import pick_cta
from brandtruth.pipeline.models import Fact

URL = "https://brand.test/"
GLUED = re.compile(r"[a-z][$€£]|\d[A-Z][a-z]|[a-z]\.[A-Z]")


def page(body: str, url: str = URL, lang: str = "en", head: str = "") -> ParsedPage:
    return parse_page(f"<html lang='{lang}'><head><title>Brand</title>{head}</head><body>{body}</body></html>", url)


def facts_of(*bodies: str, lang: str = "en") -> list[Fact]:
    return extract_facts([page(b, lang=lang) for b in bodies])


def by_evidence(facts: list[Fact], evidence: str) -> Fact:
    found = [f for f in facts if f.evidence == evidence]
    assert found, f"no fact with evidence {evidence!r} in {[f.evidence for f in facts]}"
    return found[0]


PRICING_CARDS = """
<section class="pricing"><h2>Our Prices</h2><div class="grid">
<div class="price-card"><h3>Drain Clear</h3><span class="amount">$129–$249</span><p>Single fixture</p>\
<a class="btn" href="/book">Book now</a></div>
<div class="price-card"><h3>Leak Detection</h3><span class="amount">$189</span><p>Includes thermal camera scan</p>\
<a class="btn" href="/book">Book now</a></div>
</div></section>
"""


def test_card_text_keeps_block_boundaries_never_glued() -> None:
    card = lxml.html.fragment_fromstring(
        "<div class='card'><h3>Drain Clear</h3><span>$129–$249</span><p>Single fixture</p></div>"
    )
    flex = lxml.html.fragment_fromstring("<div class='stat'><span>1000+</span><span>Projects Completed</span></div>")
    inline = lxml.html.fragment_fromstring("<p>Over <b>1,200</b> homes<br>re-roofed since <span>2013</span>.</p>")
    price = lxml.html.fragment_fromstring("<div class='price'><span>$</span><span>29</span><span>/mo</span></div>")

    assert element_text(card) == "Drain Clear $129–$249 Single fixture"
    assert element_text(flex) == "1000+ Projects Completed"
    assert element_text(inline) == "Over 1,200 homes re-roofed since 2013."
    assert element_text(price) == "$29/mo"


def test_pricing_card_is_one_fact_with_its_product_and_no_button() -> None:
    facts = facts_of(PRICING_CARDS)

    drain = by_evidence(facts, "Drain Clear $129–$249 Single fixture")
    assert (drain.kind, drain.subject, drain.value, drain.region) == ("price", "Drain Clear", "$129–$249", "pricing")
    assert drain.text == "Drain Clear: $129–$249 — single fixture"
    assert by_evidence(facts, "Leak Detection $189 Includes thermal camera scan").subject == "Leak Detection"
    assert not any("Book now" in f.evidence or GLUED.search(f.evidence) for f in facts)
    assert not any(f.evidence == "Our Prices" for f in facts)


def test_shop_grid_prices_name_their_product_and_drop_the_staff_test_item() -> None:
    item = (
        "<li class='grid__item'><div class='card'><img src='/{slug}.jpg' alt='{name}'>"
        "<h3 class='card__heading'><a href='/p/{slug}'>{name}</a></h3><div class='price'>"
        "<span class='visually-hidden'>Regular price</span> <span class='price-item'>{price}</span></div>"
        "<form action='/cart/add'><button type='submit'>Add to Cart</button></form></div></li>"
    )
    grid = "".join(
        item.format(slug=s, name=n, price=p)
        for s, n, p in [("loaf", "Country Sourdough", "$7.75"), ("knot", "Cardamom Knot", "$4.25"),
                        ("test", "TEST ITEM - staff only do not purchase", "$0.50")]
    )  # fmt: skip
    parsed = page(f"<h2>Featured collection</h2><ul class='grid'>{grid}</ul>")
    facts = extract_facts([parsed])

    prices = {f.subject: f.value for f in facts if f.kind == "price"}
    assert prices == {"Country Sourdough": "$7.75", "Cardamom Knot": "$4.25"}
    assert by_evidence(facts, "Country Sourdough $7.75").text == "Country Sourdough: $7.75"
    assert not any(re.search(r"Add to Cart|Regular price|TEST|\$0\.50", f"{f.evidence} {f.text}") for f in facts)
    assert kit.business_type([parsed]) == "shop"


def test_stat_cards_join_number_and_label() -> None:
    stats = """<section class="stats-section"><div class="container stats-row">
      <div class="stat"><span class="num">1000+</span> <span class="label">Projects Completed</span></div>
      <div class="stat"><span class="num">98%</span> <span class="label">Customer Satisfaction</span></div>
      <div class="stat"><h3>25</h3><p>Years in business</p></div>
    </div></section>"""
    facts = facts_of(stats)

    projects = by_evidence(facts, "1000+ Projects Completed")
    assert (projects.kind, projects.value, projects.subject, projects.text) == (
        "stat", "1000+", "Projects Completed", "1000+ projects completed"
    )  # fmt: skip
    assert by_evidence(facts, "98% Customer Satisfaction").text == "98% customer satisfaction"
    years = by_evidence(facts, "25 Years in business")
    assert (years.value, years.subject) == ("25", "Years in business")


def test_badge_strip_splits_into_separate_facts_and_value_props() -> None:
    home = page(
        "<section class='hero'><h1>Roofs built for Colorado weather</h1></section>"
        "<div class='badge-strip'><span>Residential &amp; Commercial Roofing Experts | 10+ Years Experience | "
        "Licensed &amp; Insured | 0% Financing Available</span></div>"
        "<ul class='trust'><li>Family owned<br>Free estimates<br>Same-day service</li></ul>"
    )
    facts = extract_facts([home])

    assert by_evidence(facts, "10+ Years Experience").kind == "stat"
    assert by_evidence(facts, "Licensed & Insured").kind == "certification"
    assert by_evidence(facts, "0% Financing Available").kind == "offer"
    assert not any("|" in f.evidence for f in facts)
    props = kit.value_props(home)
    assert {"Residential & Commercial Roofing Experts", "10+ Years Experience", "Free estimates"} <= set(props)
    assert not any("|" in p for p in props)


def test_testimonials_are_whole_with_author_place_and_rating() -> None:
    body = """<section class="testimonials"><h2>What Our Customers Say</h2><div class="row">
      <div class="col testimonial-card"><div class="stars" aria-label="5 out of 5">★★★★★</div>
        <p class="testimonial-text">&ldquo;After the June hailstorm they had a crew on our roof within a day.
        They handled the whole insurance claim for us.&rdquo;</p>
        <div class="testimonial-author"><strong>Dana Whitfield</strong>, <span class="town">Longmont</span></div></div>
      <div class="col testimonial-card"><p class="testimonial-text">&ldquo;Great.&rdquo;</p></div>
    </div></section>"""
    parsed = page(body)
    quotes = kit.testimonials([parsed])

    assert len(quotes) == 1
    q = quotes[0]
    assert q.quote == (
        "After the June hailstorm they had a crew on our roof within a day. They handled the whole insurance claim for us."
    )
    assert (q.author, q.place, q.rating) == ("Dana Whitfield", "Longmont", "5/5")
    facts = extract_facts([parsed])
    assert [f.kind for f in facts] == ["testimonial"] and facts[0].subject == "Dana Whitfield"
    assert not any(f.evidence.startswith(("“", "”")) or f.evidence == "What Our Customers Say" for f in facts)


BOILERPLATE = """
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><nav class="main-navigation"><a href="/">Home</a><a href="/about">About Us</a></nav>
  <a class="btn header-btn" href="/contact">Get a Free Estimate</a></header>
<section class="hero"><h1>Drains cleared today</h1><p>We fix blocked drains across the city, usually the same day.</p>
  <a class="btn" href="/contact">Get a Free Estimate</a> <a class="btn" href="/about">Learn more</a></section>
<section class="about"><h2>About Us</h2><p>Every plumber on our team is licensed by the State of Minnesota.</p></section>
<section class="callback"><form class="wpcf7-form"><h3>Request a Callback</h3><label>Your Name</label><input name="n">
  <p class="form-notice">Your information will be processed in line with GDPR and never shared with 3 third parties.</p>
  <button type="submit">Call Me Back</button></form></section>
<div id="cookie-notice" class="cookie-bar"><p>We use cookies to give you the best experience, with 100% consent.</p>
  <button>Accept</button></div>
<div class="modal newsletter-popup"><p>Get 10% off your first order when you join our list!</p></div>
<footer class="site-footer"><p>Open 7 days a week since 1998.</p><p>We are a registered 501(c)(3) nonprofit.</p>
  <p>&copy; 2024 Brand. All rights reserved.</p></footer>
"""


def test_boilerplate_regions_are_never_facts_or_copy_material() -> None:
    home = page(BOILERPLATE)
    facts = extract_facts([home])
    material = " ".join([*(f.evidence for f in facts), *kit.value_props(home), *kit.features([home])])

    for boiler in ("Skip to content", "About Us", "Request a Callback", "Your Name", "GDPR", "Call Me Back", "cookies",
                   "10% off", "Open 7 days", "All rights reserved", "Get a Free Estimate", "Learn more"):  # fmt: skip
        assert boiler not in material, boiler
    assert by_evidence(facts, "Every plumber on our team is licensed by the State of Minnesota.").region == "section"
    assert by_evidence(facts, "We are a registered 501(c)(3) nonprofit.").region == "footer"
    regions = {b.text: b.region for b in home.blocks}
    assert regions["Request a Callback"] == "form" and regions["Accept"] == "cookie" and regions["Home About Us"] == "nav"
    assert regions["Drains cleared today"] == "hero"


def test_primary_cta_is_the_sites_own_main_action() -> None:
    home = page(BOILERPLATE)
    contact = page(
        "<header><nav><a class='btn' href='/x'>Menu</a></nav><a class='btn' href='/c'>Get a Free Estimate</a></header>"
        "<main><p>Call us today for a quote on any repair.</p><a class='btn' href='/more'>Read more</a></main>",
        url=URL + "contact",
    )

    assert kit.primary_cta([home, contact]) == "Get a Free Estimate"
    assert "Accept" not in kit.ctas([home, contact]) and "Home" not in kit.ctas([home, contact])


def test_business_type_from_jsonld_and_from_what_the_site_asks() -> None:
    bakery = page(
        "<p>Fresh bread daily.</p>",
        head='<script type="application/ld+json">{"@context":"https://schema.org","@type":"Bakery","name":"B"}</script>',
    )
    charity = page("<p>Your gift feeds a family.</p><a class='btn' href='/d'>Donate</a><a class='btn'>Volunteer</a>")
    software = page(
        "<p>Start your free trial.</p><a class='btn' href='/dl'>Download for Mac</a><a class='btn'>Download for Windows</a>"
    )
    roofer = page("<p>Roof repairs and free estimates.</p><a class='btn' href='/c'>Book an inspection</a>")

    assert [kit.business_type([p]) for p in (bakery, charity, software, roofer)] == [
        "food", "nonprofit", "software", "service"
    ]  # fmt: skip


def test_french_german_spanish_facts_stats_and_prices() -> None:
    fr = facts_of(
        "<p>Depuis plus de 20 ans, nous pétrissons notre pain à la main.</p>"
        "<div class='chiffres'><div class='chiffre'><strong>1 000</strong> <span>clients chaque semaine</span></div>"
        "<div class='chiffre'><strong>48 h</strong> <span>de fermentation</span></div></div>"
        "<ul class='produits'><li class='produit'><h3>Tarte aux pommes</h3><p class='prix'>12,50 €</p></li>"
        "<li class='produit'><h3>Baguette tradition</h3><p class='prix'>1,30 €</p></li></ul>"
        "<p>Livraison gratuite dès 30 € d’achat.</p>",
        lang="fr",
    )
    de = facts_of(
        "<p>Seit über 25 Jahren fertigen wir Möbel nach Maß.</p><p>Auf alle Möbel geben wir 5 Jahre Garantie.</p>"
        "<div class='karten'><div class='karte'><h3>Einbauschrank</h3><p>ab 1.490 €</p></div>"
        "<div class='karte'><h3>Holztreppe</h3><p>ab 6.800 €</p></div></div>",
        lang="de",
    )
    es = facts_of(
        "<p>Llevamos más de 30 años cultivando olivos.</p><p>Más de 8.000 clientes ya reciben nuestro aceite.</p>"
        "<p>Casa Olivar es una almazara familiar fundada en 1989.</p><p>Envío gratis a partir de 50 €.</p>",
        lang="es",
    )

    assert by_evidence(fr, "Depuis plus de 20 ans, nous pétrissons notre pain à la main.").kind == "stat"
    assert by_evidence(fr, "1 000 clients chaque semaine").value == "1 000"
    tarte = by_evidence(fr, "Tarte aux pommes 12,50 €")
    assert (tarte.kind, tarte.subject, tarte.value) == ("price", "Tarte aux pommes", "12,50 €")
    # Free delivery from a threshold is an offer, as "Free shipping on orders over $40" is in English.
    assert by_evidence(fr, "Livraison gratuite dès 30 € d’achat.").kind == "offer"
    assert by_evidence(de, "Auf alle Möbel geben wir 5 Jahre Garantie.").kind == "guarantee"
    assert by_evidence(de, "Seit über 25 Jahren fertigen wir Möbel nach Maß.").kind == "stat"
    schrank = by_evidence(de, "Einbauschrank ab 1.490 €")
    assert (schrank.subject, schrank.value) == ("Einbauschrank", "1.490 €")
    assert by_evidence(es, "Llevamos más de 30 años cultivando olivos.").kind == "stat"
    assert by_evidence(es, "Más de 8.000 clientes ya reciben nuestro aceite.").kind == "customers"
    assert by_evidence(es, "Casa Olivar es una almazara familiar fundada en 1989.").kind == "founded"
    envio = by_evidence(es, "Envío gratis a partir de 50 €.")
    assert (envio.kind, envio.subject, envio.value) == ("offer", "Envío", "50 €")  # an offer, as in French and English


def test_a_price_sentence_names_what_it_prices() -> None:
    facts = facts_of(
        "<p>Celebration cakes start at $36 for a 6-inch cake.</p><p>Free local delivery on orders over $40.</p>"
        "<p>The $89 diagnosis fee is waived if you go ahead with the repair.</p>"
        "<p>A gift of $50 provides 150 meals.</p><p>There is never an extra charge for nights or weekends.</p>"
    )

    subjects = [f.subject for f in facts if f.kind in ("price", "offer")]
    assert subjects == ["Celebration cakes", "local delivery", "diagnosis fee", "gift"]
    assert by_evidence(facts, "Free local delivery on orders over $40.").kind == "offer"  # free, whatever it also costs
    assert by_evidence(facts, "There is never an extra charge for nights or weekends.").kind == "guarantee"


def test_a_giant_page_is_read_within_bounds() -> None:
    card = "<div class='card'><h3>Item {i}</h3><span>${i}</span><p>Nice thing</p></div>"
    parsed = page("<div class='grid'>" + "".join(card.format(i=i) for i in range(3000)) + "</div>" + "<p>x</p>" * 6000)

    assert len(parsed.cards) <= MAX_CARDS
    assert len(parsed.blocks) <= MAX_BLOCKS and "blocks" in parsed.capped
    assert len(extract_facts([parsed])) <= MAX_FACTS


def test_tailwind_cards_and_buttons_are_read_by_structure_not_class_names() -> None:
    card = (
        "<div class='rounded-2xl p-8 ring-{ring}'><h3 class='text-lg font-semibold'>{name}</h3>"
        "<p class='mt-4 flex items-baseline'><span class='text-4xl font-bold'>{price}</span>"
        "<span class='text-sm'>/month</span></p><p class='mt-2 text-sm'>{note}</p>"
        "<a href='#' class='mt-8 block rounded-lg bg-emerald-600 px-3 py-2 text-white'>Download for Mac</a></div>"
    )
    grid = card.format(ring="1 ring-gray-200", name="Free", price="$0", note="Up to 3 projects, forever.")
    grid += card.format(ring="2 ring-emerald-600 relative", name="Pro", price="$8", note="Billed yearly at $96.")
    parsed = page(f"<main><div class='mx-auto grid gap-8'>{grid}</div></main>", url=URL + "pricing")
    facts = extract_facts([parsed])

    pro = by_evidence(facts, "Pro $8/month Billed yearly at $96.")
    assert (pro.subject, pro.value, pro.region) == ("Pro", "$8/month", "pricing")
    assert by_evidence(facts, "Free $0/month Up to 3 projects, forever.").subject == "Free"
    assert kit.primary_cta([parsed]) == "Download for Mac"


def test_announcement_bar_offers_and_service_promises_are_facts() -> None:
    facts = facts_of(
        "<div class='announcement-bar'><p>Free local delivery on orders over $40</p></div>"
        "<header><nav><a href='/'>Shop</a></nav></header>"
        "<section><p>Order by 2pm for pickup the next morning.</p></section>"
    )

    delivery = by_evidence(facts, "Free local delivery on orders over $40")
    assert (delivery.region, delivery.subject) == ("announcement", "local delivery")
    assert by_evidence(facts, "Order by 2pm for pickup the next morning.").kind == "service"


def test_founding_story_and_what_the_brand_is_in_each_language() -> None:
    facts = facts_of(
        "<section><p>Boulangerie Lumière a ouvert ses portes en 2003, quand Hélène a repris le four.</p>"
        "<p>Tobias Brandl hat die Schreinerei 1998 in einer alten Scheune gegründet.</p>"
        "<p>Quillpad is a note-taking app that keeps every note as a plain Markdown file.</p>"
        "<p>This is a great place to start.</p>"
        "<ul class='reasons'><li>✓ Workmanship on every repair is guaranteed for one full year.</li></ul>"
        "<p>Students and non-profits get Pro for half price.</p></section>"
    )

    kinds = {f.evidence: f.kind for f in facts}
    assert kinds["Boulangerie Lumière a ouvert ses portes en 2003, quand Hélène a repris le four."] == "founded"
    assert kinds["Tobias Brandl hat die Schreinerei 1998 in einer alten Scheune gegründet."] == "founded"
    assert kinds["Quillpad is a note-taking app that keeps every note as a plain Markdown file."] == "about"
    assert kinds["Workmanship on every repair is guaranteed for one full year."] == "guarantee"
    assert kinds["Students and non-profits get Pro for half price."] == "offer"
    assert "This is a great place to start." not in kinds


def test_an_offer_keeps_its_terms() -> None:
    home = page(
        "<section class='offer-banner'><div class='offer-inner'><strong class='offer-title'>$25 off your first service"
        "</strong><span class='offer-text'> &mdash; mention this website when you book.</span>"
        "<p class='offer-terms'>New customers only. Not valid on installations. Expires December 31, 2024.</p></div></section>"
    )
    facts = extract_facts([home])

    offer = by_evidence(facts, "$25 off your first service")
    terms = by_evidence(facts, "New customers only. Not valid on installations. Expires December 31, 2024.")
    assert (offer.kind, terms.kind, terms.subject) == ("offer", "terms", "$25 off your first service")
    assert kit.offers(facts)[0] == (
        "$25 off your first service (New customers only. Not valid on installations. Expires December 31, 2024)"
    )


def test_testimonial_attribution_outside_the_quote_and_roles() -> None:
    body = (
        "<div class='row'><div class='col'><blockquote class='blockquote'><p>“The only class I have kept going to "
        "for three years.”</p></blockquote><figcaption class='blockquote-footer'>Aisha Grant, "
        "<cite title='Source Title'>Dartmouth</cite></figcaption></div></div>"
        "<figure><blockquote><p>“I used to lose an hour every Friday on my timesheet.”</p></blockquote>"
        "<figcaption><span>Lena Okoro</span> <span>— freelance UX designer, Lisbon</span></figcaption></figure>"
        "<blockquote class='testimonial'><p>“We replaced three reporting tools with one.”</p>"
        "<cite>Maya Okafor, VP Finance at Lumen Bikes</cite></blockquote>"
    )
    quotes = {t.quote: (t.author, t.place) for t in kit.testimonials([page(body)])}

    assert quotes == {
        "The only class I have kept going to for three years.": ("Aisha Grant", "Dartmouth"),
        "I used to lose an hour every Friday on my timesheet.": ("Lena Okoro", "Lisbon"),
        "We replaced three reporting tools with one.": ("Maya Okafor, VP Finance at Lumen Bikes", ""),
    }


def test_features_and_value_props_leave_out_faqs_attributions_addresses_and_link_strips() -> None:
    home = page(
        "<table><tr><td><b>Home</b> | <a href='/p'>Products</a> | <a href='/a'>About Kessler</a> | "
        "<a href='/r'>Repair Service</a></td></tr></table>"
        "<main><h1>Track your hours</h1><p>Sproutly turns tracked hours into a PDF invoice in one click.</p>"
        "<section class='features'><div class='grid'>"
        "<div class='feature'><h3>Offline</h3><p>Sproutly keeps running without internet and syncs later.</p></div>"
        "<div class='feature'><h3>Private</h3><p>Time entries are stored on your computer, not on our servers.</p></div>"
        "</div></section>"
        "<section class='faq'><div class='q'><h3>Does Sproutly run on Windows?</h3><p>Yes. It runs on Windows 10 or later"
        " and macOS 12.</p></div><div class='q'><h3>Can I cancel any time?</h3><p>Yes. You keep every invoice you "
        "created.</p></div></section>"
        "<section class='services'><ul><li>— Dana R., night nurse</li><li>1521 Lower Water St, Halifax</li>"
        "<li>✓ Invoices in your own currency</li></ul></section></main>"
    )

    assert kit.features([home]) == [
        "Sproutly keeps running without internet and syncs later.",
        "Time entries are stored on your computer, not on our servers.",
        "Invoices in your own currency",
    ]
    assert kit.value_props(home) == [
        "Sproutly turns tracked hours into a PDF invoice in one click.",
        "Invoices in your own currency",
    ]
    assert kit.tagline(home, "Sproutly") == "Track your hours"


FAQ = """
<section class="faq"><h2>Questions</h2>
<details><summary>Do you charge extra for evenings?</summary>
<p>No. Evening visits until 7pm cost the same as daytime visits, and every plumber is licensed.</p></details>
<details><summary>Do you offer financing?</summary><p>Yes, on jobs over $1,000 through our lending partner.</p></details>
<details><summary>Do you work weekends?</summary><p>Yes, we do.</p></details>
<details><summary>Livrez-vous ?</summary><p>Oui, nous livrons gratuitement pour 5 € dans tout Lyon.</p></details>
<details><summary>Gibt es Rabatt?</summary><p>Ja, für Studierende 10 % Rabatt ab 20 € Bestellwert.</p></details>
</section>
<ul class="perks"><li>Late arrival? Your service call is free.</li><li>No hidden fees on any repair, ever.</li></ul>
"""


def test_faq_answers_stand_alone_without_their_answer_word_or_are_left_out() -> None:
    facts = facts_of(FAQ)
    evening = by_evidence(facts, "No. Evening visits until 7pm cost the same as daytime visits, and every plumber is licensed.")
    assert evening.text == "Evening visits until 7pm cost the same as daytime visits, and every plumber is licensed"
    livrons = [f for f in facts if f.evidence.startswith("Oui, nous livrons")]
    assert livrons and livrons[0].text.startswith("Nous livrons gratuitement")
    texts = " ".join(f.text + " " + f.evidence for f in facts)
    assert "lending partner" not in texts  # a fragment: it needs its question
    assert "we do" not in texts and "Studierende" not in texts
    # A short premise keeps its answer's condition: alone, "Your service call is free" promises
    # every customer a free visit.
    assert by_evidence(facts, "Late arrival? Your service call is free.").text == "Late arrival? Your service call is free"
    assert not any(f.evidence == "Your service call is free." for f in facts)
    assert any(f.text.startswith("No hidden fees") for f in facts)  # "No" as a word, not an answer


def test_what_comes_included_is_a_feature_fact_in_each_language() -> None:
    lede = "<section class='classes'><h2>Classes</h2><p class='lead'>All mats, blocks and straps are provided.</p></section>"
    perks = "<section><h2>Visit us</h2><ul><li>Free parking</li><li>Tools included</li><li>Free estimates</li></ul></section>"
    facts = facts_of(lede, perks)
    assert by_evidence(facts, "All mats, blocks and straps are provided.").kind == "feature"
    assert by_evidence(facts, "Free parking").kind == "feature"
    assert by_evidence(facts, "Tools included").kind == "feature"
    assert by_evidence(facts, "Free estimates").kind == "offer"  # an offer stays an offer
    fr = facts_of("<section><h2>Stages</h2><p>Le repas de midi et le matériel sont tout compris.</p></section>", lang="fr")
    de = facts_of("<section><h2>Kurse</h2><p>Werkzeug und Material sind im Kurspreis inklusive.</p></section>", lang="de")
    es = facts_of("<section><h2>Clases</h2><p>Las esterillas y los bloques están incluidos.</p></section>", lang="es")
    assert [f.kind for f in fr] == ["feature"] and [f.kind for f in de] == ["feature"] and [f.kind for f in es] == ["feature"]


HARDWARE = """
<h1>Deutsche Qualität since 1952</h1>
<p>We stock over 18,000 items, from hinges to hand planes. Voted best hardware store in town.</p>
<section><h2>Repair Service</h2><p>Most repairs are ready within 3 days. Screen repair from $15 per panel.</p>
<p>Lawn mower repairs and tool sharpening at our repair desk.</p></section>
"""


def test_a_shop_with_a_repair_desk_is_a_store_and_its_cta_sends_people_there() -> None:
    counter_only = kit.business_type([page(HARDWARE)])
    online = kit.business_type([page(HARDWARE + "<a class='btn' href='/shop'>Shop online</a>")])
    assert (counter_only, online) == ("store", "shop")
    assert pick_cta("", "", [], counter_only, "en", 30) == "Get Directions"
    assert pick_cta("", "", [], counter_only, "fr", 30) == "Itinéraire"
    assert pick_cta("", "", [], online, "en", 30) == "Shop Now"
    # A plumber who sells parts is still a plumber.
    plumber = page("<p>Drain repairs and water heater installation. We sell parts too.</p><a class='btn'>Book a plumber</a>")
    assert kit.business_type([plumber]) == "service"


def test_a_visitors_instructions_are_house_rules_not_proof() -> None:
    en = facts_of("<section class='hero'><p>Cancel up to 12 hours before class for a full credit.</p>"
                  "<p>Over 1,200 students have taken a class with us.</p></section>")  # fmt: skip
    fr = facts_of("<section><h2>Gâteaux</h2><p>Commandez vos gâteaux 48 heures à l’avance.</p></section>", lang="fr")
    assert by_evidence(en, "Cancel up to 12 hours before class for a full credit.").kind == "policy"
    assert by_evidence(en, "Over 1,200 students have taken a class with us.").kind == "customers"
    assert [f.kind for f in fr] == ["policy"]
    # Behind the short question it answers (a notice on a booking page), still an instruction.
    notice = facts_of("<section class='hero'><div class='alert' role='alert'>First class? Arrive 10 minutes early so "
                      "your teacher can say hello.</div></section>")  # fmt: skip
    assert [f.kind for f in notice] == ["policy"], notice


def test_price_notes_with_abbreviations_are_one_sentence_and_no_fact() -> None:
    note = "Alle Preise inkl. 19 % MwSt., zzgl. Anfahrt außerhalb von 30 km."
    assert split_sentences(note) == [note]
    assert facts_of(f"<section><h2>Preise</h2><p>{note}</p></section>", lang="de") == []


def test_a_rank_written_no_dot_is_a_claim_not_an_answer() -> None:
    facts = facts_of("<section><h2>Why us</h2><p>No. 1 rated plumber in Portland, voted by 4,000 homeowners.</p></section>")
    assert by_evidence(facts, "No. 1 rated plumber in Portland, voted by 4,000 homeowners.").text.startswith("No. 1")


def test_a_lazily_loaded_image_is_read_from_where_its_loader_keeps_it() -> None:
    """lazysizes, WP Rocket and jQuery lazyload leave a placeholder in src (a data: URI, a blank.gif) and
    the photo in a data- attribute: the photo is the image, the placeholder never is."""
    gif = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    parsed = page(
        f"<img class='lazyload' src='{gif}' data-src='/img/oven.jpg' alt='Our oven'>"
        f"<img src='/wp-content/plugins/lazy/blank.gif' data-lazy-src='/img/loaf.jpg' alt='A loaf'>"
        f"<img src='{gif}' data-original='/img/shop.jpg' alt='The shop'>"
        f"<img src='{gif}' data-srcset='/img/team-480.jpg 480w, /img/team-1200.jpg 1200w' alt='The team'>"
        "<picture><source data-srcset='/img/cake-800.webp 800w, /img/cake-1600.webp 1600w'>"
        f"<img src='{gif}' alt='A cake'></picture>"
        "<img src='/img/plain.jpg' srcset='/img/plain-2x.jpg 2x' alt='Plain'>"
        f"<img src='{gif}' alt='Nothing behind it'>"
    )
    assert [i.url for i in parsed.images] == [
        URL + "img/oven.jpg",
        URL + "img/loaf.jpg",
        URL + "img/shop.jpg",
        URL + "img/team-1200.jpg",
        URL + "img/cake-1600.webp",
        URL + "img/plain-2x.jpg",
    ]
