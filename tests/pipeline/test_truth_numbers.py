"""The truth check reads numbers as French, German and Spanish sites write them (issue 14)."""

from __future__ import annotations

import pytest

from brandtruth.pipeline.models import Fact
from brandtruth.pipeline.truth import check_copy


def fact(evidence: str) -> Fact:
    return Fact(id="f1", text=evidence, evidence=evidence, source_url="https://brand.test/")


@pytest.mark.parametrize(
    ("copy", "evidence"),
    [
        ("Tarte aux pommes : 12,50 €", "Tarte aux pommes 12,50 € 6 parts"),
        ("Plus de 1 000 clients chaque semaine", "1 000 clients chaque semaine"),
        ("Über 1.200 Projekte umgesetzt", "1.200 Projekte umgesetzt"),
        ("Einbauschrank ab 1.490 €", "Einbauschrank nach Maß ab 1.490 € Für Dachschrägen"),
        ("Más de 30 años de aceite", "Llevamos más de 30 años cultivando olivos."),
        ("Depuis 20 ans", "Depuis plus de 20 ans, nous pétrissons notre pain à la main."),
        ("1.200 projects", "1,200 projects completed"),
    ],
)
def test_european_number_forms_in_copy_are_backed_by_the_same_number(copy: str, evidence: str) -> None:
    report = check_copy([copy], [], ["f1"], [fact(evidence)])

    assert report.verdict == "supported", report.unsupported


@pytest.mark.parametrize(
    ("copy", "evidence"),
    [
        ("Tarte aux pommes : 12,90 €", "Tarte aux pommes 12,50 € 6 parts"),
        ("2 000 clients", "1 000 clients chaque semaine"),
        ("Ab 1.490 $", "ab 1.490 €"),
        ("12.5 clients", "12,500 clients"),
        ("Hasta 30 años de garantía", "Más de 20 años de garantía"),
    ],
)
def test_a_different_number_or_currency_is_unsupported(copy: str, evidence: str) -> None:
    report = check_copy([copy], [], ["f1"], [fact(evidence)])

    assert report.verdict == "unsupported"


def test_a_menus_bare_amount_is_a_price_in_the_pages_currency_and_nothing_more() -> None:
    """A price fact read from "Margherita 14" on a page of "$" prices backs "$14"; a price written with its own
    currency, or "up to", backs no other reading, and "$4.2 Million" is no $4.20."""
    menu = Fact(id="f1", text="Margherita: $14", evidence="Margherita 14 San Marzano tomato", source_url="u", kind="price",
                subject="Margherita", value="$14")  # fmt: skip
    ceiling = Fact(id="f2", text="Roof repairs up to $500", evidence="Roof repairs up to $500", source_url="u", kind="price",
                   value="$500")  # fmt: skip
    espresso = Fact(id="f3", text="Espresso: $4.20", evidence="Espresso $4.20", source_url="u", kind="price", value="$4.20")
    assert check_copy(["Margherita for $14"], [], [], [menu]).verdict == "supported"
    assert check_copy(["Margherita for €14"], [], [], [menu]).verdict == "unsupported"
    assert check_copy(["Roof repairs for $500"], [], [], [ceiling]).verdict == "unsupported"
    assert check_copy(["Over $4.2 Million recovered"], [], [], [espresso]).verdict == "unsupported"
