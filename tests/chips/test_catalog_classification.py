"""The shipped catalog, run through the shipped 3A090 tests, matches the public record.

Each expectation below is a fact reported outside the catalog (a vendor statement
that a part was built to pass a rule, or that a licence became necessary), so a
wrong figure in the catalog or a wrong threshold in a regime pack makes it fail.
"""

from __future__ import annotations

from datetime import date

import pytest

from chipgate.chips.catalog import Catalog, default_catalog
from chipgate.chips.classify import ClassificationTests, classify_chip
from chipgate.regimes.library import default_library
from chipgate.regimes.view import resolve

H100_REFERENCE_TPP = 15_832

# In force 2023-11-17 .. 2025-05-12: the TPP / performance-density tests.
AC_2023 = ("ac-2023", date(2024, 6, 1))
# In force 2022-10-07 .. 2023-11-16: the I/O bandwidth and TPP test.
AC_2022 = ("ac-2022", date(2023, 6, 1))


def _tests(regime: tuple[str, date]) -> ClassificationTests:
    view = resolve(default_library(), *regime)
    return ClassificationTests.model_validate(view.value("eccn.3a090_tests"))


def _paragraph(catalog: Catalog, chip: str, regime: tuple[str, date]) -> str | None:
    item = catalog.lookup(chip)
    assert item is not None, f"{chip!r} is not in the catalog"
    return classify_chip(item.chip, _tests(regime)).paragraph


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


def test_the_engine_loads_every_catalogued_chip(catalog: Catalog) -> None:
    assert len(catalog) >= 30
    assert catalog.lookup("H100").chip.tpp == H100_REFERENCE_TPP  # type: ignore[union-attr]


def test_a_superchip_resolves_to_its_two_gpus(catalog: Catalog) -> None:
    item = catalog.lookup("GB200")
    assert item is not None
    assert item.is_system
    assert item.chips_per_unit == 2


@pytest.mark.parametrize(
    ("regime", "chip", "paragraph"),
    [
        # 2023 rule. NVIDIA: licence needed for H100, H800, A100, A800, L40, L4, RTX 4090.
        (AC_2023, "H100 SXM5", "3A090.a.1"),
        (AC_2023, "H800", "3A090.a.1"),
        (AC_2023, "A100", "3A090.a.1"),
        (AC_2023, "A800", "3A090.a.1"),
        (AC_2023, "L40", "3A090.b.1"),
        (AC_2023, "L4", "3A090.a.2"),
        (AC_2023, "RTX 4090", "3A090.a.1"),
        # Parts NVIDIA designed to pass the 2023 tests.
        (AC_2023, "H20", None),
        (AC_2023, "L20", None),
        (AC_2023, "L2", None),
        (AC_2023, "RTX 4090 D", None),
        (AC_2023, "RTX 5090 D", None),
        # 2022 rule: A100/H100 caught; A800/H800 built for China to pass it.
        (AC_2022, "A100", "3A090.a"),
        (AC_2022, "H100 SXM5", "3A090.a"),
        (AC_2022, "A800", None),
        (AC_2022, "H800", None),
        (AC_2022, "RTX 4090", None),
    ],
)
def test_outcomes_match_the_public_record(
    catalog: Catalog, regime: tuple[str, date], chip: str, paragraph: str | None
) -> None:
    assert _paragraph(catalog, chip, regime) == paragraph


def test_every_chip_gets_a_determined_2023_outcome_or_names_its_gap(
    catalog: Catalog,
) -> None:
    tests = _tests(AC_2023)
    for spec in catalog.chips:
        figures = catalog.figures(spec.name)
        result = classify_chip(figures, tests)
        if result.paragraph is None and result.undetermined:
            # Only a missing die area, or a chip with no public rate at all, may leave
            # the outcome open.
            allowed = (
                ("needs pd", "needs tpp") if figures.tpp is None else ("needs pd",)
            )
            assert all(gap.endswith(allowed) for gap in result.undetermined), spec.name


def test_chips_without_public_rates_stay_undetermined(catalog: Catalog) -> None:
    tests = _tests(AC_2023)
    for name in ("Ascend 910D", "MI308X"):
        item = catalog.lookup(name)
        assert item is not None
        assert item.chip.tpp is None
        assert classify_chip(item.chip, tests).paragraph is None
