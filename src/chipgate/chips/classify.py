"""ECCN 3A090 / 4A090 classification as data-driven tests, evaluated on chip figures.

The paragraph tests (TPP and performance-density bands, the datacenter note, the 2022
interconnect test) are parameters of each regime, so this module holds no threshold:
it only evaluates the conditions it is given, in order, first match wins.

A chip whose figures leave a paragraph open (e.g. TPP 3,152 and no published die
area, so 3A090.a.2 turns on a density nobody can compute) is not cleared: it is
classified under the first paragraph its known figures do not rule out, the
paragraphs being listed strictest first, and the classification says which figure
it was assumed for. Without it an unknown die area read as "not controlled", and a
chip that may well be 3A090.a went to China with no license required.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from chipgate.chips.figures import ChipFigures

Metric = Literal[
    "tpp",
    "pd",
    "io_bandwidth_gbs",
    "memory_bandwidth_gbs",
    "memory_bandwidth_density",
    "datacenter",
    "hbm",
]
Op = Literal[">=", ">", "<", "<=", "=="]

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}


class Condition(BaseModel):
    """One comparison of a chip metric with a threshold."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: Metric
    op: Op
    value: float

    def holds(self, figures: ChipFigures) -> bool | None:
        """True/False, or None when the metric is unknown for this chip."""
        actual = _metric(figures, self.metric)
        if actual is None:
            return None
        return _OPS[self.op](actual, self.value)

    def describe(self) -> str:
        """Plain words, e.g. ``tpp >= 1000``."""
        flag = self.metric in ("datacenter", "hbm")
        shown = bool(self.value) if flag else f"{self.value:g}"
        return f"{self.metric} {self.op} {shown}"


class ParagraphTest(BaseModel):
    """An ECCN paragraph and the conditions that all must hold for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    paragraph: str
    all: tuple[Condition, ...]


class ClassificationTests(BaseModel):
    """The 3A090 tests of one regime: exclusions first, then paragraphs in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exclusions: tuple[ParagraphTest, ...] = ()
    paragraphs: tuple[ParagraphTest, ...]
    computer_eccn: dict[str, str]


@dataclass(frozen=True, slots=True)
class Classification:
    """The ECCN of one chip, with the tests that decided it."""

    eccn: str | None
    paragraph: str | None
    reasons: tuple[str, ...]
    undetermined: tuple[str, ...] = ()
    assumed_for: tuple[str, ...] = ()
    """The unknown metrics ``paragraph`` was assumed for (empty when the known
    figures decided it): the item is then treated as that paragraph, the strictest
    its known figures allow, until it is classified."""

    @property
    def assumed(self) -> bool:
        """Whether the paragraph is an assumption for want of figures."""
        return bool(self.assumed_for)

    @property
    def family(self) -> str | None:
        """``3A090.a`` for ``3A090.a.1``; None when not controlled."""
        if self.paragraph is None:
            return None
        parts = self.paragraph.split(".")
        return ".".join(parts[:2])


_METRIC_WORDS: dict[str, str] = {
    "tpp": "TPP",
    "pd": "die area",
    "io_bandwidth_gbs": "interconnect bandwidth",
    "memory_bandwidth_gbs": "memory bandwidth",
    "memory_bandwidth_density": "memory bandwidth density",
}


def metric_words(metric: str) -> str:
    """How a missing figure is named to people (``pd`` is the die area that
    performance density needs)."""
    return _METRIC_WORDS.get(metric, metric)


def _metric(figures: ChipFigures, metric: Metric) -> float | None:
    if metric == "tpp":
        # a memory stack has no processing units, and TPP is aggregated over the
        # processing units of the IC (Technical Note to 3A090): nil, not unknown
        return 0.0 if figures.hbm and figures.tpp is None else figures.tpp
    if metric == "pd":
        return figures.performance_density
    if metric == "datacenter":
        return 1.0 if figures.datacenter else 0.0
    if metric == "hbm":
        return 1.0 if figures.hbm else 0.0
    if metric == "memory_bandwidth_density":
        return figures.memory_bandwidth_density
    value: float | None = getattr(figures, metric)
    return value


def _all_hold(test: ParagraphTest, figures: ChipFigures) -> tuple[bool, list[str]]:
    unknown: list[str] = []
    for condition in test.all:
        result = condition.holds(figures)
        if result is None:
            unknown.append(condition.metric)
        elif not result:
            return False, []
    return (not unknown), unknown


def classify_chip(figures: ChipFigures, tests: ClassificationTests) -> Classification:
    """Classify one chip against the 3A090 tests of a regime.

    >>> from chipgate.chips.figures import figures_from_user
    >>> tests = ClassificationTests(
    ...     paragraphs=(ParagraphTest(paragraph="3A090.a.1", all=(
    ...         Condition(metric="tpp", op=">=", value=1000),)),),
    ...     computer_eccn={"3A090.a": "4A090.a"})
    >>> f = figures_from_user("x", tpp=1000, die_area_mm2=None, datacenter=True)
    >>> classify_chip(f, tests).paragraph
    '3A090.a.1'
    """
    for exclusion in tests.exclusions:
        matched, _ = _all_hold(exclusion, figures)
        if matched:
            reason = f"{exclusion.paragraph}: " + " and ".join(
                c.describe() for c in exclusion.all
            )
            return Classification(None, None, (reason,))
    undetermined: list[str] = []
    open_first: tuple[ParagraphTest, list[str]] | None = None
    for test in tests.paragraphs:
        matched, unknown = _all_hold(test, figures)
        if matched and open_first is None:
            reason = f"{test.paragraph}: " + " and ".join(
                c.describe() for c in test.all
            )
            return Classification(
                test.paragraph.rsplit(".", 1)[0], test.paragraph, (reason,)
            )
        if unknown and open_first is None:
            open_first = (test, unknown)
        undetermined.extend(
            dict.fromkeys(f"{test.paragraph} needs {m}" for m in unknown)
        )
    if open_first is None:
        return Classification(None, None, ("no 3A090 paragraph applies",))
    return _assumed(*open_first, tuple(undetermined))


def _assumed(
    test: ParagraphTest, unknown: list[str], undetermined: tuple[str, ...]
) -> Classification:
    """The strictest paragraph the known figures leave open, marked as assumed."""
    missing = tuple(dict.fromkeys(unknown))
    words = " and ".join(metric_words(m) for m in missing)
    reason = (
        f"assumed {test.paragraph} because {words} "
        f"{'is' if len(missing) == 1 else 'are'} unknown (the strictest paragraph "
        f"its known figures allow: {' and '.join(c.describe() for c in test.all)}); "
        "classify it to settle"
    )
    return Classification(
        test.paragraph.rsplit(".", 1)[0],
        test.paragraph,
        (reason,),
        undetermined,
        missing,
    )


def computer_eccn(chip_eccn: str | None, tests: ClassificationTests) -> str | None:
    """ECCN of a computer that holds chips of ``chip_eccn`` (e.g. 4A090.a)."""
    if chip_eccn is None:
        return None
    return tests.computer_eccn.get(chip_eccn)
