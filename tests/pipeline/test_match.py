"""Match: relevance, resolution limits, spreading, the logo rule and the background fallback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brandtruth.pipeline.compose.crop import MAX_UPSCALE, upscale_factor
from brandtruth.pipeline.compose.layout import layout_for_image
from brandtruth.pipeline.match import is_logo, match_images, tokens
from brandtruth.pipeline.models import ALL_FORMATS, BrandProfile, CopyVariant, ImageAsset, MatchInput
from tests.pipeline.creative_factory import VARIANTS, logo_png, make_brand, new_store, put_image, scene


def _by(matches, variant_id, fmt):
    return next(m for m in matches if m.variant_id == variant_id and m.format == fmt)


def test_one_match_per_variant_and_format_with_a_one_line_reason(tmp_path):
    store = new_store(tmp_path)
    out = match_images(MatchInput(run_id="run1", brand=make_brand(store), variants=VARIANTS), store)
    assert [(m.variant_id, m.format) for m in out.matches] == [(v.id, f) for v in VARIANTS for f in ALL_FORMATS]
    for m in out.matches:
        assert m.reason and "\n" not in m.reason and len(m.reason) < 240


def test_copy_picks_the_image_whose_words_it_shares(tmp_path):
    store = new_store(tmp_path)
    out = match_images(MatchInput(run_id="run1", brand=make_brand(store), variants=VARIANTS), store).matches
    assert _by(out, "v1", "landscape").image.url.endswith("bread-oven.jpg")
    assert _by(out, "v2", "landscape").image.url.endswith("delivery-van.jpg")
    assert _by(out, "v3", "square").image.url.endswith("coffee-cup.jpg")
    assert "delivery" in _by(out, "v2", "square").reason


def test_tiny_images_are_never_upscaled_past_the_limit(tmp_path):
    store = new_store(tmp_path)
    out = match_images(MatchInput(run_id="run1", brand=make_brand(store), variants=VARIANTS), store).matches
    assert all(not m.image.url.endswith("tiny-icon.png") for m in out if m.image)


def test_only_small_images_means_brand_background_with_a_reason(tmp_path):
    store = new_store(tmp_path)
    # A thumbnail: even whole in a card of its own shape at 1.5x it would be icon-sized.
    key = put_image(store, "run1/images/small.jpg", scene((240, 180), (200, 200, 200), (50, 50, 50), (200, 0, 0)))
    brand = BrandProfile(
        url="https://x.example", name="X", images=[ImageAsset(url="https://x.example/s.jpg", key=key, alt="bread")]
    )
    out = match_images(MatchInput(run_id="run1", brand=brand, variants=VARIANTS[:1]), store).matches
    assert all(m.background and m.image is None for m in out)
    assert "large enough" in out[0].reason


def test_no_images_means_brand_background(tmp_path):
    store = new_store(tmp_path)
    brand = make_brand(store, images=False, with_logo=False)
    out = match_images(MatchInput(run_id="run1", brand=brand, variants=VARIANTS), store).matches
    assert all(m.background for m in out) and "no brand images" in out[0].reason


def test_logo_is_never_the_hero_even_when_it_is_big_and_relevant(tmp_path):
    store = new_store(tmp_path)
    big_logo = logo_png().resize((2400, 2400))
    key = put_image(store, "run1/images/brand-mark.png", big_logo, "PNG")
    named = put_image(store, "run1/images/logo-sourdough.jpg", scene((2000, 2000), (9, 9, 9), (9, 9, 9), (9, 9, 9)))
    logo = ImageAsset(url="https://b.example/brand-mark.png", alt="sourdough bread oven", key=key, role="logo")
    brand = BrandProfile(
        url="https://b.example",
        name="B",
        logo=logo,
        images=[
            logo,
            ImageAsset(url="https://b.example/brand-mark.png", alt="sourdough bread oven", key=key),  # same file
            ImageAsset(url="https://b.example/logo-sourdough.jpg", alt="sourdough bread", key=named),
        ],
    )
    out = match_images(MatchInput(run_id="run1", brand=brand, variants=VARIANTS), store).matches
    assert all(m.background for m in out), [m.image for m in out]


def test_images_are_spread_across_variants_when_alternatives_exist(tmp_path):
    store = new_store(tmp_path)
    brand = make_brand(store)
    same = [CopyVariant(id=f"v{i}", headline="Hello there", body="Nothing in common.", cta="Go") for i in (1, 2, 3)]
    out = match_images(MatchInput(run_id="run1", brand=brand, variants=same, formats=["landscape"]), store).matches
    assert len({m.image.key for m in out}) == 3


def test_images_missing_from_the_store_are_skipped(tmp_path):
    store = new_store(tmp_path)
    brand = make_brand(store)
    brand.images.append(
        ImageAsset(
            url="https://bakery.example/img/sourdough-bread-oven.jpg",
            alt="sourdough bread oven fresh",
            key="run1/images/never-downloaded.jpg",
        )
    )
    brand.images.append(ImageAsset(url="https://bakery.example/img/nokey.jpg", alt="sourdough bread oven"))
    out = match_images(MatchInput(run_id="run1", brand=brand, variants=VARIANTS), store).matches
    assert all(m.image.key != "run1/images/never-downloaded.jpg" for m in out if m.image)
    assert all(m.image.key for m in out if m.image)


def test_tokens_drop_stopwords_and_file_noise():
    assert tokens("The_hero-IMG_2048.jpg of our Breads") == ["bread"]
    assert is_logo(ImageAsset(url="https://a.example/assets/Logo-dark.svg"), BrandProfile(url="u", name="n"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.tuples(st.integers(50, 2600), st.integers(50, 2600)), min_size=0, max_size=5), logo_first=st.booleans())
def test_every_choice_respects_upscale_limit_and_logo_rule(tmp_path_factory, sizes, logo_first):
    store = new_store(tmp_path_factory.mktemp("m"))
    images = []
    for i, (w, h) in enumerate(sizes):
        key = put_image(store, f"run1/images/i{i}.jpg", scene((w, h), (100, 150, 200), (50, 90, 40), (240, 200, 0)))
        images.append(
            ImageAsset(
                url=f"https://p.example/i{i}.jpg",
                alt="fresh sourdough",
                key=key,
                role="logo" if logo_first and i == 0 else "image",
            )
        )
    brand = BrandProfile(url="https://p.example", name="P", images=images, logo=images[0] if logo_first and images else None)
    out = match_images(MatchInput(run_id="run1", brand=brand, variants=VARIANTS), store).matches
    assert len(out) == len(VARIANTS) * len(ALL_FORMATS)
    for m in out:
        if m.background:
            assert m.image is None
            continue
        assert m.image is not None and not (logo_first and m.image.url.endswith("/i0.jpg"))
        w, h = sizes[int(m.image.url.rsplit("/i", 1)[1].split(".")[0])]
        lay = layout_for_image(m.format, (w, h))
        assert lay.has_hero and upscale_factor((w, h), lay.hero_size) <= MAX_UPSCALE + 1e-9


def test_an_image_too_small_to_fill_a_format_is_offered_as_an_inset_card(tmp_path):
    store = new_store(tmp_path)
    key = put_image(store, "run1/images/mid.jpg", scene((700, 460), (200, 200, 200), (50, 50, 50), (200, 0, 0)))
    brand = BrandProfile(
        url="https://x.example", name="X", images=[ImageAsset(url="https://x.example/mid.jpg", key=key, alt="bread")]
    )
    out = match_images(MatchInput(run_id="run1", brand=brand, variants=VARIANTS[:1]), store).matches
    square = _by(out, "v1", "square")
    assert square.image is not None and "inset card" in square.reason
    assert upscale_factor((700, 460), layout_for_image("square", (700, 460)).hero_size) <= MAX_UPSCALE


def test_an_older_sites_small_shop_photo_is_used_whole_in_a_card_and_a_thumbnail_is_not(tmp_path):
    store = new_store(tmp_path)
    shop = put_image(store, "run1/images/shop.jpg", scene((400, 260), (200, 200, 200), (50, 50, 50), (200, 0, 0)))
    thumb = put_image(store, "run1/images/thumb.jpg", scene((200, 150), (200, 200, 200), (50, 50, 50), (200, 0, 0)))
    for key, used in ((shop, True), (thumb, False)):
        brand = BrandProfile(
            url="https://x.example", name="X", images=[ImageAsset(url=f"https://x.example/{key}", key=key, alt="bread")]
        )
        out = match_images(MatchInput(run_id="run1", brand=brand, variants=VARIANTS[:1]), store).matches
        for fmt in ALL_FORMATS:
            m = _by(out, "v1", fmt)
            assert (m.image is not None) == used, (key, fmt, m.reason)
            assert used or "no image is large enough" in m.reason


def test_a_test_products_placeholder_photo_is_never_an_ads_image(tmp_path):
    # A shop's staff-only test item shares a word with the copy ("only"): its placeholder became a feature ad's photo.
    store = new_store(tmp_path)
    brand = make_brand(store)
    key = put_image(store, "run1/images/placeholder.jpg", scene((1600, 1600), (240, 240, 240), (200, 200, 200), (180, 120, 60)))
    test_item = ImageAsset(url="https://bakery.test/placeholder.jpg", alt="TEST ITEM - staff only do not purchase", key=key)
    brand = brand.model_copy(update={"images": [*brand.images, test_item]})
    only = CopyVariant(
        id="v9", angle="feature", headline="Local flour", body="We bake only with stone-milled flour.", cta="Order"
    )
    out = match_images(MatchInput(run_id="run1", brand=brand, variants=[only]), store).matches
    assert all(m.image is None or not m.image.url.endswith("placeholder.jpg") for m in out)
