"""Property tests: the extractor's parsers on random and malformed pages, stylesheets and images.

Whatever a website serves, extraction either produces a well-formed result or refuses with its own
error (BadImage) — never another exception, never a hang. Each example has a deadline; the worst
cases the parsers are known to meet (deep nesting, expansion bombs, huge declared image sizes) are
also pinned as plain tests.
"""

from __future__ import annotations

import io
import re
import struct
import time
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.compose.output import load_image
from brandtruth.pipeline.extract import brand as kit
from brandtruth.pipeline.extract.colors import assign_roles, fonts_from, parse_css, to_hex
from brandtruth.pipeline.extract.crawl import rank_links
from brandtruth.pipeline.extract.facts import extract_facts, split_sentences
from brandtruth.pipeline.extract.media import MAX_SIDE, BadImage, logo_candidates, normalise_raster, sanitize_svg
from brandtruth.pipeline.extract.page import ParsedPage, parse_page
from brandtruth.pipeline.fetch import decode_html

HEX = re.compile(r"^#[0-9a-f]{6}$")
MAX_PIXELS = 40_000_000  # FetchPolicy's default
PROPS = settings(
    max_examples=120,
    deadline=timedelta(seconds=3),  # generous for a busy CI machine; a real hang is orders of magnitude slower
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ----------------------------------------------------------------------------- HTML

TEXT = st.text(max_size=60)
WORDS = st.sampled_from(
    [
        "Acme",
        "logo",
        "We",
        "shipped",
        "12,000",
        "boxes",
        "since",
        "2019.",
        "40%",
        "faster",
        "$29/mo",
        "ISO",
        "27001",
        "certified.",
        "“Great",
        "product.”",
        "—",
        "Jess",
        "Free",
        "trial",
        "&amp;",
        "&#0;",
        "&bogus;",
        "<",
        ">",
        "\u00a0",
        "\u200b",
        "e.g.",
        "Inc.",
        "?",
        "!",
        "\n",
        "\t",
    ]
)
SENTENCE = st.lists(WORDS, max_size=15).map(" ".join)
URLISH = st.one_of(
    st.sampled_from(
        [
            "/",
            "/about",
            "/pricing/",
            "about.html",
            "../../x",
            "//evil.test/a",
            "http://x.test/features",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "mailto:a@b.c",
            "#top",
            "?page=2",
            "",
            "http://[::1",
            "http://%zz/",
            "/logo.svg",
            "/a.png 1x, /b.png 2x",
            "/x.css",
        ]
    ),
    TEXT,
)
CSS_DECL = st.one_of(
    st.sampled_from(
        [
            "color:#0a7",
            "background:var(--brand)",
            "font-family:'Inter',sans-serif",
            "color:rgb(300,-1,2)",
            "background-color:hsl(200 50% 40% / .3)",
            "--brand:#e11d48",
            "color:var(--a,var(--b,red))",
            "font:12px/1 x",
            "border:1px solid oklch(70% .2 150)",
            "fill:url(#g)",
            "color:",
        ]
    ),
    TEXT,
)
ATTR_VALUES = {
    "class": st.sampled_from(["logo", "btn", "cta", "testimonial", "quote", "header", "footer", "features", "hero", "x"]),
    "id": st.sampled_from(["logo", "pricing", "about", "main"]),
    "href": URLISH,
    "src": URLISH,
    "data-src": URLISH,
    "srcset": st.sampled_from(["/a.png 480w, /b.png 1080w", "/a.png 1x,,", "a 1.5.5x", ", ,", "/c.png 99999999999999999999w"]),
    "style": CSS_DECL,
    "alt": TEXT,
    "rel": st.sampled_from(["stylesheet", "icon", "apple-touch-icon", "mask-icon", "shortcut icon"]),
    "content": TEXT,
    "property": st.sampled_from(["og:image", "og:site_name", "og:title", "og:description"]),
    "name": st.sampled_from(["description", "theme-color", "application-name", "og:image"]),
    "lang": st.sampled_from(["en", "de-DE", "", "x-klingon", "EN"]),
    "bgcolor": st.sampled_from(["#fff", "red", "zz", ""]),
    "color": st.sampled_from(["#123", "blue", "nonsense"]),
    "face": TEXT,
    "type": st.sampled_from(["application/ld+json", "submit", "reset", "text/css"]),
    "role": st.sampled_from(["button", "navigation"]),
    "itemscope": st.just(""),
    "itemtype": st.sampled_from(["http://schema.org/Organization", "https://schema.org/Product"]),
    "itemprop": st.sampled_from(["name", "logo", "url", "price"]),
    "aria-label": TEXT,
    "value": TEXT,
    "viewBox": st.sampled_from(["0 0 10 10", "0,0,1.2.3,4", "", "a b c d", "0 0 99999999999999 1"]),
    "width": st.sampled_from(["10", "1.2.3", "...", "9" * 40, "-1", "100%"]),
    "height": st.sampled_from(["10", "", "1e9"]),
}
TAGS = [
    "html",
    "head",
    "body",
    "title",
    "meta",
    "link",
    "base",
    "style",
    "script",
    "noscript",
    "template",
    "svg",
    "header",
    "nav",
    "footer",
    "main",
    "section",
    "article",
    "div",
    "p",
    "span",
    "a",
    "button",
    "img",
    "picture",
    "source",
    "figure",
    "figcaption",
    "ul",
    "li",
    "table",
    "tr",
    "td",
    "blockquote",
    "q",
    "cite",
    "h1",
    "h2",
    "h3",
    "font",
    "input",
    "br",
    "dl",
    "dt",
    "dd",
    "select",
    "option",
    "textarea",
    "iframe",
    "math",
    "frameset",
]
ATTRS = st.dictionaries(st.sampled_from(sorted(ATTR_VALUES)), st.none(), max_size=4).flatmap(
    lambda keys: st.fixed_dictionaries({k: ATTR_VALUES[k] for k in keys})
)
JSON_LD = st.one_of(
    st.sampled_from(
        [
            '{"@type":"Organization","name":"Acme","logo":"/logo.png"}',
            '{"@graph":[{"@type":["Organization"],"logo":{"url":"/l.svg"}},{"@type":"WebSite","name":7}]}',
            '[{"@type":"Corporation","logo":null}, 3, "x"]',
            '{"@context": "http://schema.org", "@type": "Product", "offers": {"price": "NaN"}}',
            '{"unterminated": ',
            "",
            "null",
            "<!-- -->",
            "{" * 200,
            '{"@id": "_:b0", "@type": "Brand"}',
        ]
    ),
    TEXT,
)


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' if v else f" {k}" for k, v in attrs.items())


def _element(tag: str, attrs: dict[str, str], children: list[str], close: bool) -> str:
    if tag == "script":
        return f'<script{_attrs(attrs)} type="application/ld+json">{"".join(children)}</script>'
    inner = "".join(children)
    return f"<{tag}{_attrs(attrs)}>{inner}" + (f"</{tag}>" if close else "")


NODES = st.recursive(
    st.one_of(SENTENCE, TEXT, JSON_LD.map(lambda j: f'<script type="application/ld+json">{j}</script>')),
    lambda children: st.builds(_element, st.sampled_from(TAGS), ATTRS, st.lists(children, max_size=5), st.booleans()),
    max_leaves=40,
)


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(NODES, min_size=1, max_size=6)))
    doc = draw(st.sampled_from(["", "<!doctype html>", "<?xml version='1.0'?>", "\ufeff"])) + body
    damage = draw(st.sampled_from(["none", "truncate", "splice", "nul"]))
    if damage == "truncate" and doc:
        doc = doc[: draw(st.integers(0, len(doc)))]
    elif damage == "splice":
        at = draw(st.integers(0, len(doc)))
        doc = doc[:at] + draw(st.text(max_size=20)) + doc[at:]
    elif damage == "nul":
        doc = doc.replace("<", "\x00<", draw(st.integers(0, 3)))
    return doc


def _whole_kit(pages: list[ParsedPage]) -> None:
    """Everything extract_brand derives from parsed pages, minus the network."""
    facts = extract_facts(pages)
    blocks = {p.url: " \n".join(b.text for b in p.blocks) for p in pages}
    for fact in facts:  # the grounding promise: evidence is the page's own words, verbatim
        assert fact.evidence in blocks[fact.source_url], fact
    assert len({f.id for f in facts}) == len(facts)
    home = pages[0]
    name = kit.brand_name(pages)
    assert isinstance(name, str)
    kit.tagline(home, name), kit.description(home), kit.value_props(home), kit.features(pages), kit.offers(facts)
    kit.ctas(pages), kit.testimonials(pages), kit.language(pages), kit.voice(pages)
    rank_links(home, home.url, 5)
    logo_candidates(pages)
    css = parse_css(sum((p.inline_css for p in pages), []))
    colors = assign_roles(css, home.meta.get("theme-color"), [])
    assert all(HEX.match(v) for v in colors.model_dump().values()), colors
    fonts_from(css, [s for p in pages for s in p.stylesheets])


@PROPS
@given(html=html_documents())
def test_generated_html_parses_and_builds_a_kit(html: str) -> None:
    page = parse_page(html, "http://brand.test/shop/")
    assert all(isinstance(i.url, str) for i in page.images)
    _whole_kit([page, parse_page(html[::-1], "http://brand.test/shop/about")])


@PROPS
@given(html=st.text(max_size=2000))
def test_arbitrary_text_parses(html: str) -> None:
    _whole_kit([parse_page(html, "http://brand.test/")])


@PROPS
@given(
    body=st.binary(max_size=2000),
    ctype=st.one_of(
        st.none(),
        st.sampled_from(
            [
                "text/html",
                "text/html; charset=utf-8",
                "text/html; charset=bogus-8",
                "text/html; charset=utf-16",
                'text/html; charset="iso-8859-1"',
                "text/html; charset=",
                "application/xhtml+xml; charset=shift_jis",
            ]
        ),
    ),
)
def test_arbitrary_bytes_decode_and_parse(body: bytes, ctype: str | None) -> None:
    encoding, text = decode_html(body, ctype)
    assert isinstance(encoding, str) and isinstance(text, str)
    _whole_kit([parse_page(text, "http://brand.test/")])


@PROPS
@given(text=st.text(max_size=500))
def test_sentences_are_verbatim_slices(text: str) -> None:
    for sentence in split_sentences(text):
        assert sentence in text


@pytest.mark.parametrize("tag", ["div", "li", "blockquote", "section", "table", "a", "span", "svg"])
def test_ten_thousand_deep_nesting_is_fast(tag: str) -> None:
    html = "<html><body>" + f"<{tag} class=x><p>We shipped 12,000 boxes since 2019.</p>" * 10_000 + "</body></html>"
    started = time.monotonic()
    _whole_kit([parse_page(html, "http://brand.test/")])
    assert time.monotonic() - started < 10


# ----------------------------------------------------------------------------- CSS

CSS_TOKENS = st.sampled_from(
    [
        "a",
        "body",
        ".btn",
        ":root",
        "@media (x){",
        "@font-face{font-family:'Brand'}",
        "{",
        "}",
        ";",
        ":",
        "var(--",
        "--x:",
        "#fff",
        "#12345",
        "rgb(",
        ")",
        "!important",
        "/*",
        "*/",
        "\\",
        "'",
        '"',
        "url(",
        "color",
        "background",
        "font-family",
        ",",
        " ",
        "\n",
        "@import",
        "calc(1px + )",
        "oklch(",
        "color-mix(in srgb, red, blue)",
        "hsl(",
        "1e999",
    ]
)
STYLESHEETS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(CSS_TOKENS, TEXT), max_size=80).map("".join),
    st.lists(
        st.tuples(st.sampled_from(["a", "body", ".btn", ":root", "html,body", "button.cta"]), st.lists(CSS_DECL, max_size=6)),
        max_size=8,
    ).map(lambda rules: "".join(f"{sel}{{{';'.join(decls)}}}" for sel, decls in rules)),
)


@PROPS
@given(
    sheets=st.lists(STYLESHEETS, max_size=4),
    theme=st.one_of(st.none(), TEXT, st.sampled_from(["#0a7", "teal", "#zzz"])),
    palette=st.lists(st.sampled_from(["#000000", "#ffffff", "#e11d48", "#0ea5e9", "#777777"]), max_size=5),
)
def test_generated_css_gives_valid_colours(sheets: list[str], theme: str | None, palette: list[str]) -> None:
    css = parse_css(sheets)
    colors = assign_roles(css, theme, palette)
    assert all(HEX.match(v) for v in colors.model_dump().values()), colors
    assert all(HEX.match(hx) for _s, _p, hx in css.uses)
    fonts = fonts_from(css, ["https://fonts.googleapis.com/css2?family=Inter:wght@400&family=", "/x.css"])
    assert len(fonts) <= 5


@PROPS
@given(value=st.text(max_size=80))
def test_to_hex_is_hex_or_none(value: str) -> None:
    result = to_hex(value)
    assert result is None or HEX.match(result)


def test_css_variable_expansion_bomb_is_bounded() -> None:
    # Regression: eight variables naming the previous one 100 times expanded to 100**6 references
    # (a 7 KB stylesheet took minutes and gigabytes). Substitution is now capped in length.
    sheet = (
        ":root{--v0:#e11d48;"
        + "".join(f"--v{i}:" + " ".join([f"var(--v{i - 1})"] * 100) + ";" for i in range(1, 8))
        + "} a{color:var(--v7)} .btn{background:var(--v7)}"
    )
    started = time.monotonic()
    css = parse_css([sheet])
    assign_roles(css, None, [])
    assert time.monotonic() - started < 5
    assert all(len(hx) == 7 for _s, _p, hx in css.uses)
    assert len(css.uses) < 10_000


def test_css_variables_still_resolve_through_fallbacks() -> None:
    css = parse_css([":root{--brand:var(--base, #e11d48);--base:#0ea5e9} .btn{background:var(--brand)}"])
    assert (".btn", "background", "#0ea5e9") in css.uses


# ----------------------------------------------------------------------------- images


def _encoded(fmt: str, size: tuple[int, int], mode: str) -> bytes:
    img = Image.new(mode, size, "red" if mode != "1" else 1)
    buf = io.BytesIO()
    try:
        img.save(buf, fmt)
    except OSError:  # a mode the format cannot hold (P as PPM, RGBA as JPEG)
        buf = io.BytesIO()
        img.convert("RGB").save(buf, fmt)
    return buf.getvalue()


WEB = ["PNG", "JPEG", "GIF", "BMP", "WEBP", "ICO"]
OTHER = ["TIFF", "PPM", "PCX", "TGA", "SGI", "EPS"]  # Pillow reads them; browsers (and so we) do not
VALID_IMAGES = st.builds(
    _encoded,
    st.sampled_from(WEB),
    st.tuples(st.integers(1, 64), st.integers(1, 64)),
    st.sampled_from(["RGB", "RGBA", "L", "P", "1"]),
)


ANY_IMAGES = st.builds(
    _encoded, st.sampled_from(WEB + OTHER[:-1]), st.tuples(st.integers(1, 64), st.integers(1, 64)), st.sampled_from(["RGB", "L"])
)


@st.composite
def damaged_images(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(ANY_IMAGES))
    how = draw(st.sampled_from(["truncate", "flip", "overwrite", "append"]))
    if how == "truncate":
        del data[draw(st.integers(0, len(data))) :]
    elif how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= 1 << draw(st.integers(0, 7))
    elif how == "overwrite":
        i = draw(st.integers(0, len(data)))
        chunk = draw(st.binary(min_size=1, max_size=16))
        data[i : i + len(chunk)] = chunk
    else:
        data += draw(st.binary(max_size=64))
    return bytes(data)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _png_chunk(b"IEND", b"")
    )


def gif_declaring(width: int, height: int) -> bytes:
    return (
        b"GIF89a"
        + struct.pack("<HH", width, height)
        + b"\x00\x00\x00"
        + b"\x2c"
        + struct.pack("<HHHH", 0, 0, width, height)
        + b"\x00\x02\x02\x44\x01\x00\x3b"
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    real = bytearray(_encoded("JPEG", (8, 8), "RGB"))
    sof = real.find(b"\xff\xc0")
    real[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(real)


def bmp_declaring(width: int, height: int) -> bytes:
    header = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + 40 + 16, 0, 0, 54) + header + b"\0" * 16


DECLARING = {"PNG": png_declaring, "GIF": gif_declaring, "JPEG": jpeg_declaring, "BMP": bmp_declaring}
SIDES = {"PNG": 2**31 - 1, "GIF": 65535, "JPEG": 65535, "BMP": 2**31 - 1}


def _check_normalised(data: bytes) -> None:
    try:
        out, ext, width, height, palette = normalise_raster(data, MAX_PIXELS)
    except BadImage:
        return
    assert ext in ("png", "jpg")
    assert 1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE
    assert all(HEX.match(p) for p in palette)
    with Image.open(io.BytesIO(out)) as again:  # what is stored is itself a readable image
        assert again.size == (width, height)


@PROPS
@given(data=st.binary(max_size=4096))
def test_random_bytes_are_refused_as_bad_images(data: bytes) -> None:
    _check_normalised(data)


@PROPS
@given(data=damaged_images())
def test_truncated_and_corrupted_images_are_refused_or_normalised(data: bytes) -> None:
    _check_normalised(data)


@PROPS
@given(data=VALID_IMAGES)
def test_valid_images_normalise(data: bytes) -> None:
    out, ext, width, height, _palette = normalise_raster(data, MAX_PIXELS)
    assert out and ext in ("png", "jpg") and width >= 1 and height >= 1


@pytest.mark.parametrize("fmt", OTHER)
def test_formats_browsers_do_not_show_are_refused(fmt: str) -> None:
    # EPS would be rendered by Ghostscript if it were installed: never for bytes off the web.
    data = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n" if fmt == "EPS" else _encoded(fmt, (8, 8), "RGB")
    with pytest.raises(BadImage, match="not a readable image"):
        normalise_raster(data, MAX_PIXELS)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@PROPS
@given(fmt=st.sampled_from(sorted(DECLARING)), data=st.data())
def test_huge_declared_dimensions_are_refused_without_decoding(fmt: str, data: st.DataObject) -> None:
    side = SIDES[fmt]
    width = data.draw(st.integers(MAX_PIXELS // side + 1, side), label="width")
    height = data.draw(st.integers(MAX_PIXELS // width + 1, side), label="height")  # so width * height > MAX_PIXELS
    payload = DECLARING[fmt](width, height)
    try:
        normalise_raster(payload, MAX_PIXELS)
    except BadImage:
        return
    pytest.fail(f"a {fmt} declaring {width}x{height} ({width * height:,} pixels) was accepted")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("fmt", sorted(DECLARING))
def test_bomb_sized_images_say_why(fmt: str) -> None:
    side = min(SIDES[fmt], 60_000)
    with pytest.raises(BadImage, match="pixel"):
        normalise_raster(DECLARING[fmt](side, side), MAX_PIXELS)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalArtifactStore:
    return LocalArtifactStore(Path(tmp_path_factory.mktemp("fuzz-store")))


@PROPS
@given(data=st.one_of(st.binary(max_size=2048), damaged_images(), VALID_IMAGES), mode=st.sampled_from(["RGB", "RGBA"]))
def test_compose_load_image_returns_image_or_none(store: LocalArtifactStore, data: bytes, mode: str) -> None:
    key = store.put("run-fuzz/src/blob.bin", data)
    img = load_image(store, key, mode)
    assert img is None or (img.mode == mode and img.width >= 1 and img.height >= 1)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("fmt", sorted(DECLARING))
def test_compose_load_image_refuses_bombs(store: LocalArtifactStore, fmt: str) -> None:
    key = store.put(f"run-fuzz/src/bomb-{fmt.lower()}.bin", DECLARING[fmt](SIDES[fmt], SIDES[fmt]))
    assert load_image(store, key) is None


# ----------------------------------------------------------------------------- SVG

SVG_PARTS = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<foreignObject><div>x</div></foreignObject>",
        '<a href="javascript:alert(1)">x</a>',
        '<image href="http://169.254.169.254/x"/>',
        '<use xlink:href="#a"/>',
        '<rect onclick="x()" onload="y()"/>',
        '<circle r="5" fill="#e11d48"/>',
        "<title>Acme</title>",
        "<!-- c -->",
        "<![CDATA[ x ]]>",
        "&x;",
        "&lol9;",
        "<g>",
        "</g>",
        "<",
    ]
)
SVG_DOCS = st.builds(
    lambda prolog, attrs, parts: (
        f'{prolog}<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink"{_attrs(attrs)}>{"".join(parts)}</svg>'
    ),
    st.sampled_from(
        [
            "",
            '<?xml version="1.0"?>',
            '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            '<!DOCTYPE svg [<!ENTITY x SYSTEM "http://169.254.169.254/latest/meta-data/">]>',
            '<!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            + "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(2, 10))
            + "]>",
        ]
    ),
    st.fixed_dictionaries({}, optional={k: ATTR_VALUES[k] for k in ("width", "height", "viewBox", "class")}),
    st.lists(SVG_PARTS, max_size=8),
)


@PROPS
@given(data=st.one_of(SVG_DOCS.map(str.encode), st.binary(max_size=1024)))
def test_svg_is_sanitised_or_refused(data: bytes) -> None:
    try:
        clean, width, height = sanitize_svg(data)
    except BadImage:
        return
    assert width >= 0 and height >= 0
    text = clean.decode("utf-8", "replace").lower()
    assert "<script" not in text and "foreignobject" not in text
    assert not re.search(r"\son\w+=", text)
    assert "169.254.169.254" not in text and "javascript:" not in text
    assert "root:" not in text and text.count("lol") < 1000  # no external or expanded entities


@pytest.mark.parametrize("size", ["1.2.3", "...", "9" * 400, "1e999", "-0", "NaN"])
def test_svg_with_nonsense_size_is_read_not_crashed(size: str) -> None:
    # Regression: width="1.2.3" raised ValueError and 400 nines OverflowError out of sanitize_svg,
    # which the logo and image pickers do not catch, so one odd inline SVG failed the whole extract.
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="10" viewBox="0 0 {size} {size}"/>'
    _clean, width, height = sanitize_svg(svg.encode())
    assert 0 <= width <= 100_000 and 0 <= height <= 100_000


# ----------------------------------------------------------------------------- the whole step


async def test_hostile_page_extracts_with_warnings_not_a_crash(tmp_path: Path) -> None:
    # Regression for all of the above at once, through extract_brand: an inline SVG logo with a
    # nonsense width, a PPM served as image/png, and a stylesheet that is a var() expansion bomb used
    # to fail (or stall) the whole extract step; now they cost a warning each, or nothing.
    import httpx

    from brandtruth.pipeline.extract import extract_brand
    from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
    from brandtruth.pipeline.models import ExtractInput

    bomb = (
        ":root{--v0:#e11d48;"
        + "".join(f"--v{i}:" + " ".join([f"var(--v{i - 1})"] * 100) + ";" for i in range(1, 8))
        + "} .btn{background:var(--v7)}"
    )
    page = (
        '<html lang="en"><head><title>Hostile Boxes</title><link rel="stylesheet" href="/site.css"></head><body>'
        '<header><svg class="logo" width="1.2.3" viewBox="0 0 ... 9"><title>Hostile Boxes</title></svg></header>'
        "<h1>Hostile Boxes makes sturdy boxes.</h1><p>Our boxes hold 40 kg each. We have shipped 12,000 boxes since 2019.</p>"
        '<img src="/hero.png" alt="A box"></body></html>'
    )
    ppm = _encoded("PPM", (300, 200), "RGB")
    routes = {"/": ("text/html", page.encode()), "/site.css": ("text/css", bomb.encode()), "/hero.png": ("image/png", ppm)}

    def handler(request: httpx.Request) -> httpx.Response:
        ctype, body = routes.get(request.url.path, ("text/plain", b""))
        return httpx.Response(200 if request.url.path in routes else 404, content=body, headers={"Content-Type": ctype})

    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    store = LocalArtifactStore(tmp_path)
    started = time.monotonic()
    async with Fetcher(FetchPolicy(resolver=resolver), transport=httpx.MockTransport(handler)) as fetcher:
        profile = await extract_brand(ExtractInput(run_id="run-hostile", url="http://hostile.test/"), fetcher, store)
    assert time.monotonic() - started < 10
    assert profile.name == "Hostile Boxes"
    assert profile.logo is not None and profile.logo.key and profile.logo.key.endswith(".png")  # drawn, never SVG
    assert profile.images == []
    assert any("image skipped" in w and "hero.png" in w for w in profile.warnings), profile.warnings
    assert any(f.text.startswith("Our boxes hold 40 kg") for f in profile.facts)
