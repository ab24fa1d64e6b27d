"""Brand identity read the way a person reads a site: the primary colour is the one on its buttons,
links, header and logo (never a pale tint, a grey or the browser's default link blue), and the name
is the one that repeats across pages (never a page title, a generic word or a glued-on description)."""

from __future__ import annotations

import pytest

from brandtruth.pipeline.extract.colors import assign_roles, delta_e, parse_css
from brandtruth.pipeline.extract.naming import brand_name
from brandtruth.pipeline.extract.page import ParsedPage, parse_page
from brandtruth.pipeline.extract.primary import usable

SCALE = """:root {
  --primary-50: #eef0fb; --primary-100: #d9ddf5; --primary-200: #b3bbeb; --primary-300: #8c99e0;
  --primary-400: #6677d6; --primary-500: #4055cb; --primary-600: #34459f; --primary-700: #2e3892;
  --primary-800: #1f2766; --primary-900: #121739; --accent: #f59e0b;
}
body { color: #1f2937; background: #ffffff; }
a { color: var(--primary-700); }
a:hover { color: var(--primary-800); }
.site-header { background: var(--primary-50); }
.hero { background: linear-gradient(180deg, var(--primary-50), #ffffff); }
.button { background: var(--primary-700); color: var(--primary-50); }
.button:hover { background: var(--primary-800); }
.button--secondary { background: var(--primary-100); color: var(--primary-900); }
.badge { background: var(--primary-100); color: var(--primary-800); }
"""


def page(body: str, url: str = "https://brand.example/", head: str = "") -> ParsedPage:
    return parse_page(f"<!doctype html><html><head>{head}</head><body>{body}</body></html>", url)


def test_colour_scale_primary_is_the_shade_buttons_and_links_use_not_the_palest() -> None:
    home = page('<header class="site-header"><a href="/">Quill</a></header><a class="button" href="/get">Get it</a>')
    colors = assign_roles(parse_css([SCALE]), None, [], [home])
    assert delta_e(colors.primary, "#2e3892") < 3, colors.primary  # --primary-700, not --primary-50 (#eef0fb)
    assert usable(colors.primary)
    assert usable(colors.accent), colors.accent  # the CTA colour is never the secondary button's pale tint


def test_tailwind_cdn_page_primary_comes_from_class_names() -> None:
    home = page(
        '<header class="sticky top-0 bg-white/90 border-b border-gray-100">'
        '<a class="flex items-center" href="/"><span class="text-xl font-bold text-emerald-700">Sprout</span></a>'
        '<nav class="text-sm text-gray-600"><a class="hover:text-gray-900" href="#f">Features</a></nav>'
        '<a class="rounded-lg bg-emerald-600 px-4 py-2 text-white hover:bg-emerald-700" href="/dl">Download</a></header>'
        '<section class="bg-gradient-to-b from-emerald-50 to-white"><h1 class="text-gray-900">Grow</h1>'
        '<p class="text-gray-600">Plain text in grey, on many lines.</p><p class="text-gray-600">More grey.</p>'
        '<a class="rounded-lg bg-emerald-600 px-6 py-3 text-white" href="/dl">Download for Mac</a></section>',
        head='<script src="https://cdn.tailwindcss.com"></script>',
    )
    colors = assign_roles(parse_css([]), None, [], [home])
    assert delta_e(colors.primary, "#059669") < 3, colors.primary  # emerald-600, the buttons


def test_near_white_theme_color_and_grey_text_never_win() -> None:
    css = parse_css(["body{color:#111827;background:#fafafa} p{color:#374151} .btn-primary{background:#c2410c}"])
    colors = assign_roles(css, "#ffffff", [], [page('<a class="btn-primary" href="/q">Quote</a>')])
    assert delta_e(colors.primary, "#c2410c") < 3, colors.primary


def test_browser_default_link_blue_loses_to_the_brand_colour() -> None:
    legacy = '<table><tr><td bgcolor="#8b1a1a">Kessler</td></tr><tr><td bgcolor="#8b1a1a">Tools</td></tr></table>'
    pages = [page(f'<body link="#0000ee">{legacy}<a href="/p{i}">Products</a></body>') for i in range(4)]
    css = parse_css([c for p in pages for c in p.inline_css])
    assert delta_e(assign_roles(css, None, [], pages).primary, "#8b1a1a") < 3


def _site(*pages: tuple[str, str, str]) -> list[ParsedPage]:
    """(path, title, body) per page; every page shares the header and footer a real theme repeats."""
    return [page(body, f"https://lb.example/{path}", f"<title>{title}</title>") for path, title, body in pages]


def test_logo_alt_with_a_glued_description_is_cut_to_the_name() -> None:
    logo = '<img class="custom-logo" src="/logo.png" alt="Boulangerie LB, boulangerie artisanale">'
    header = f'<header><a href="/">{logo}</a></header>'
    pages = _site(
        ("", "Pains au levain à Lyon", header + "<h1>Nos pains</h1><p>Du levain depuis 1998.</p>"),
        ("a-propos", "À propos", header + "<h1>À propos</h1><p>Une histoire de famille.</p>"),
        ("contact", "Contact", header + "<h1>Contact</h1><p>Venez nous voir.</p>"),
    )
    assert brand_name(pages) == "Boulangerie LB"


def test_first_page_title_and_generic_words_are_never_the_name() -> None:
    footer = "<footer><p>© 2024 Fournil Martin SARL. Tous droits réservés.</p></footer>"
    og = '<meta property="og:site_name" content="Boulangerie">'
    pages = [
        page(f"<h1>About Us</h1><p>Our story.</p>{footer}", "https://fm.example/about", f"<title>About Us</title>{og}"),
        page(f"<h1>Home</h1><p>Bread.</p>{footer}", "https://fm.example/", f"<title>Home</title>{og}"),
        page(f"<h1>Menu</h1><p>Croissants.</p>{footer}", "https://fm.example/menu", f"<title>Menu</title>{og}"),
    ]
    assert brand_name(pages) == "Fournil Martin"


def test_the_title_part_that_repeats_wins_over_each_page_s_own_part() -> None:
    pages = _site(
        ("", "Quillpad — Notes that stay yours", "<p>Write.</p>"),
        ("pricing", "Pricing — Quillpad", "<p>Plans.</p>"),
        ("features", "Features — Quillpad", "<p>Sync.</p>"),
    )
    assert brand_name(pages) == "Quillpad"


def test_thousands_of_colours_and_classes_cost_little(monkeypatch: pytest.MonkeyPatch) -> None:
    # Counted, not timed: colour differences are the costly, possibly quadratic part.
    from coloraide import Color

    from brandtruth.pipeline.extract import primary

    compared = 0
    real_delta_e = Color.delta_e

    def counted(self: Color, *args: object, **kw: object) -> float:
        nonlocal compared
        compared += 1
        return real_delta_e(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Color, "delta_e", counted)
    css = "".join(f".btn-{i} {{ background: #{i * 97 % 0xFFFFFF:06x}; color: rgb({i % 255}, 80, 120) }}\n" for i in range(5000))
    body = "".join(
        f'<a class="btn bg-emerald-{(i % 9 + 1) * 100} text-rose-{(i % 9 + 1) * 100}" href="/{i}">x</a>' for i in range(3000)
    )
    home = page(body)
    colors = assign_roles(parse_css([css]), None, [], [home] * 6)
    assert compared <= primary.MAX_CANDIDATES**2, f"{compared:,} colour comparisons for 5,000 colours"
    assert usable(colors.primary)
