"""A rate the annual report prints, carrying the counts it was computed from.

A rate is never a bare number: the report has to say "3 of 4 (75.0%)" and which cases the
denominator counted, and a year without cases has no rate at all (``value`` is None), not 0%
and not a division error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise

Text = str | Promise

_FOUR_PLACES = Decimal("0.0001")
_ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Rate:
    """``numerator`` ÷ ``denominator``; ``basis`` names what the denominator counted."""

    numerator: int
    denominator: int
    basis: Text = ""

    @property
    def value(self) -> Decimal | None:
        """The ratio to four decimal places (0.8333), or None when nothing was counted."""
        if not self.denominator:
            return None
        ratio = Decimal(self.numerator) / Decimal(self.denominator)
        return ratio.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)

    @property
    def percent(self) -> Decimal | None:
        """The rate in per cent to one decimal place (83.3), or None."""
        if not self.denominator:
            return None
        ratio = Decimal(100 * self.numerator) / Decimal(self.denominator)
        return ratio.quantize(_ONE_PLACE, rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        percent = self.percent
        shown = "—" if percent is None else f"{percent}%"
        return f"{self.numerator}/{self.denominator}（{shown}）"
