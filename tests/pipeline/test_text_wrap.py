"""Line breaking on creatives: a currency or unit sign, or French spaced punctuation, never starts a line; a
number never ends one without the word it counts."""

from __future__ import annotations

import pytest

from brandtruth.pipeline.compose.text import first_sentences, fit_text, font, pieces, wrap


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Pain de campagne au levain à 6,80 €", "6,80 €"),
        ("Einbauschrank nach Maß ab 1.490 €", "1.490 €"),
        ("Save 20 % on every order today", "20 %"),
        ("Une question ? Écrivez-nous", "question ?"),
    ],
)
def test_a_sign_stays_with_the_word_before_it(text: str, kept: str) -> None:
    assert any(kept in piece for piece, _glued in pieces(text))  # in one piece ("ab 1.490 €" holds "1.490 €")
    f = font("display", 64)
    for width in range(200, 1000, 20):  # every width at which the text wraps at all
        lines = wrap(f, text, width) or []
        assert not any(line.split()[0] in {"€", "%", "?"} for line in lines), (width, lines)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Build next week's schedule in 10 minutes", "10 minutes"),
        ("4.2 hrs saved per manager each week", "4.2 hrs"),
        ("1.200 Projekte umgesetzt in Oberbayern", "1.200 Projekte"),
        ("Trusted by 2,300+ restaurants across America", "2,300+ restaurants"),
        ("Plus de 40 000 clients servis chaque année", "40 000 clients"),
        ("Près de 1 000 000 repas servis à Lyon", "1 000 000 repas"),
        ("Einbauschrank nach Maß ab 1.490 €", "ab 1.490 €"),
        ("Drain cleaning, main line, from $249", "from $249"),
    ],
)
def test_a_number_keeps_the_word_it_counts_and_a_price_its_from_on_its_line(text: str, kept: str) -> None:
    assert kept in [piece for piece, _glued in pieces(text)]
    f = font("display", 64)
    wrapped = [lines for width in range(300, 1000, 20) if (lines := wrap(f, text, width)) and len(lines) > 1]
    assert len(wrapped) >= 5
    for lines in wrapped:
        assert any(kept in line for line in lines), lines  # never broken, wherever the lines end


def test_the_french_price_headline_that_left_its_euro_sign_alone() -> None:
    fitted = fit_text(
        "Pain de campagne au levain à 6,80 €", "display", width=936, max_height=200, max_lines=2, max_size=92, min_size=40
    )
    assert fitted is not None and all(line.strip() != "€" for line in fitted.lines)


@pytest.mark.parametrize(
    "body, first",
    [
        ("Crumb & Co. bakes every morning. Order by 9 pm.", "Crumb & Co. bakes every morning."),
        ("Dr. Hale checks every boiler. Call today!", "Dr. Hale checks every boiler."),
        ("Ranked the No. 1 plumber in Neiva. Book now.", "Ranked the No. 1 plumber in Neiva."),
        ("“I did not dread it.” — Greg P., Waterloo", "“I did not dread it.”"),
    ],
)
def test_a_tight_format_keeps_whole_sentences_as_the_lint_reads_them(body: str, first: str) -> None:
    """The creative's own splitter cut 'Crumb & Co.' off its sentence; it now splits as the lint does."""
    assert first_sentences(body, 1) == first
