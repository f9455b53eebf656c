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
from chipgate.chips.figures import figures_from_user
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
        if result.assumed:
            # Only a missing die area, or a chip with no public rate at all, may leave
            # the outcome open.
            allowed = (
                ("needs pd", "needs tpp") if figures.tpp is None else ("needs pd",)
            )
            assert all(gap.endswith(allowed) for gap in result.undetermined), spec.name


def test_chips_without_public_rates_are_decided_as_the_strictest_paragraph(
    catalog: Catalog,
) -> None:
    """No public rate is no clearance: the item is taken as 3A090.a.1, and says so."""
    tests = _tests(AC_2023)
    for name in ("Ascend 910D", "MI308X"):
        item = catalog.lookup(name)
        assert item is not None
        assert item.chip.tpp is None
        result = classify_chip(item.chip, tests)
        assert result.paragraph == "3A090.a.1"
        assert result.assumed_for == ("tpp",)
        assert result.undetermined
        assert "assumed 3A090.a.1 because TPP is unknown" in result.reasons[0]


@pytest.mark.parametrize("chip", ["TPU v5e", "MLU290", "MTT S4000"])
def test_a_chip_without_a_die_area_is_taken_as_3a090_a_2(
    catalog: Catalog, chip: str
) -> None:
    """TPP >= 1,600 with no die area could be 3A090.a.2 (PD >= 5.92): so decided."""
    item = catalog.lookup(chip)
    assert item is not None
    assert item.chip.die_area_mm2 is None
    result = classify_chip(item.chip, _tests(AC_2023))
    assert (result.paragraph, result.assumed_for) == ("3A090.a.2", ("pd",))
    assert "because die area is unknown" in result.reasons[0]
    assert result.reasons[0].endswith("classify it to settle")


@pytest.mark.parametrize(
    ("tpp", "datacenter"),
    [(1599.0, True), (4799.0, False)],
)
def test_known_figures_that_rule_control_out_still_clear_the_chip(
    tpp: float, datacenter: bool
) -> None:
    """Below TPP 1,600, or a non-datacenter chip below 4,800 (Note 2): no die area
    can make it 3A090, so nothing is assumed."""
    figures = figures_from_user("x", tpp=tpp, die_area_mm2=None, datacenter=datacenter)
    result = classify_chip(figures, _tests(AC_2023))
    assert result.paragraph is None
    assert not result.assumed
    assert not result.undetermined


def test_a_memory_stack_is_never_assumed_a_3a090_a_ic(catalog: Catalog) -> None:
    """An HBM stack has no processing units (TPP nil, not unknown): under the 2022
    interconnect test it is not taken as 3A090.a, and no gap is reported."""
    item = catalog.lookup("SK hynix HBM3E 8-Hi 24GB")
    assert item is not None
    result = classify_chip(item.chip, _tests(AC_2022))
    assert result.paragraph is None
    assert not result.undetermined
