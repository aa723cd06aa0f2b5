"""A rate the annual report prints, carrying the counts it was computed from.

A rate is never a bare number: the report has to say "3 of 4 (75%)", which cases the
denominator counted and which the numerator did, and a year without cases has no rate at all
(``value`` is None), not 0% and not a division error. How it is printed is the platform's
number format (``registers.core.numbers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise

from registers.core.numbers import DEFAULT, EMPTY, NumberFormat

Text = str | Promise

_FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Rate:
    """``numerator`` ÷ ``denominator``; ``basis`` names what the denominator counted,
    ``definition`` what the numerator counted (when the office chose it)."""

    numerator: int
    denominator: int
    basis: Text = ""
    definition: Text = ""

    @property
    def value(self) -> Decimal | None:
        """The ratio to four decimal places (0.8333), or None when nothing was counted."""
        if not self.denominator:
            return None
        ratio = Decimal(self.numerator) / Decimal(self.denominator)
        return ratio.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)

    @property
    def percent(self) -> Decimal | None:
        """The rate in per cent as printed by default (one place, half up: 83.3), or None."""
        return DEFAULT.percent(self.numerator, self.denominator)

    def display(self, fmt: NumberFormat = DEFAULT) -> str:
        """The percentage as ``fmt`` prints it, without the sign; "—" for no rate."""
        return fmt.format(fmt.percent(self.numerator, self.denominator))

    def __str__(self) -> str:
        shown = self.display()
        shown = shown if shown == EMPTY else f"{shown}%"
        return f"{self.numerator}/{self.denominator}（{shown}）"
