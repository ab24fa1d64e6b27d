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
