"""A decision: the outcome of one order under one regime, and everything behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chipgate.decide.record import OUTPUT_FIELDS, PER_ORDER_FIELDS
from chipgate.draws import Draw
from chipgate.findings import Effect, Finding, ItemFacts, Outcome, ReviewPolicy


@dataclass(frozen=True, slots=True)
class Decision:
    """The combined judgement of every finding on one order."""

    order_id: str
    outcome: Outcome
    authorization: str | None
    review_policy: ReviewPolicy | None
    regime: str
    as_of: date
    item: ItemFacts | None
    quantity: int
    findings: tuple[Finding, ...]
    draws: tuple[Draw, ...]
    red_flags: tuple[str, ...]
    obligations: tuple[str, ...]
    lists: tuple[str, ...] = ()
    """The restricted-party lists screened against, with their dates."""
    _static: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Parts of the output record that do not depend on the order's id, date or
    quantity; shared by the decisions the engine derives from one template."""

    @property
    def tpp(self) -> float:
        """Total TPP of the order."""
        return self.item.tpp_per_unit * self.quantity if self.item else 0.0

    @property
    def h100_equivalents(self) -> float:
        """Total H100-equivalents of the order."""
        return self.item.h100e_per_unit * self.quantity if self.item else 0.0

    @property
    def rules(self) -> tuple[str, ...]:
        """Codes of the rules that spoke, in order, once each."""
        return tuple(dict.fromkeys(f.code for f in self.findings))

    @property
    def citations(self) -> tuple[str, ...]:
        """Every citation behind the findings, once each."""
        return tuple(
            dict.fromkeys(c.render() for f in self.findings for c in f.citations)
        )

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """Every unconfirmed value a finding of this decision rests on, once each."""
        return tuple(dict.fromkeys(u for f in self.findings for u in f.unconfirmed))

    def explanation(self) -> str:
        """The reasoning in one paragraph: outcome first, then what decided it."""
        deciding = [
            f
            for f in self.findings
            if f.effect in (Effect.PROHIBITION, Effect.REQUIREMENT)
            or (
                f.effect is Effect.AUTHORIZATION
                and f.authorization == self.authorization
            )
            or (f.effect is Effect.NOTE and f.covers and f.review_policy is not None)
        ]
        head = self.outcome.value.replace("_", " ")
        if self.review_policy is not None:
            head += f" ({self.review_policy.value.replace('_', ' ')})"
        if self.authorization:
            head += f" under {self.authorization}"
        parts = [f"[{f.code}] {f.message}" for f in deciding]
        if not parts:
            notes = [f"[{f.code}] {f.message}" for f in self.findings[:1]]
            parts = notes or ["no rule applies to this order"]
        text = f"{head}: " + " | ".join(parts)
        if self.unconfirmed:
            text += " | unconfirmed: " + "; ".join(self.unconfirmed)
        return text

    def shared_record(self) -> dict[str, Any]:
        """The fields of the output record that do not depend on the order's id,
        date or quantity (computed once per decision)."""
        if not self._static:
            self._static.update(
                {
                    "outcome": self.outcome.value,
                    "authorization": self.authorization,
                    "review_policy": self.review_policy.value
                    if self.review_policy
                    else None,
                    "regime": self.regime,
                    "item": self.item.name if self.item else None,
                    "eccn": self.item.eccn if self.item else None,
                    "rules": list(self.rules),
                    "citations": list(self.citations),
                    "red_flags": list(self.red_flags),
                    "obligations": list(self.obligations),
                    "unconfirmed": list(self.unconfirmed),
                    "lists": list(self.lists),
                    "explanation": self.explanation(),
                }
            )
        return self._static

    def to_record(self) -> dict[str, Any]:
        """The output record, its keys in the order of ``OUTPUT_FIELDS``."""
        static = self.shared_record()
        per_order = {
            "id": self.order_id,
            "as_of": self.as_of.isoformat(),
            "quantity": self.quantity,
            "tpp": round(self.tpp, 3),
            "h100_equivalents": round(self.h100_equivalents, 3),
            "draws": [d.to_dict() for d in self.draws],
        }
        return {
            name: per_order[name] if name in PER_ORDER_FIELDS else static[name]
            for name in OUTPUT_FIELDS
        }
