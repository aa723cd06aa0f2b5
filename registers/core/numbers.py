"""How a number is printed: the one place that rounds, truncates and formats figures.

Reports print rates by local convention: some round half up, some truncate (an office may
not print a higher rate than it achieved), to whole numbers, one or two decimals. A
``NumberFormat`` says which; the report text spells it after a placeholder
(``{{ reconsideration.comprehensive_correction_rate:1位截断 }}``), ``NumberFormat.parse``
reads that spelling. A value that does not exist (a rate of nothing) prints as ``EMPTY``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: How a missing value (a rate with nothing to divide by, a year without records) reads.
EMPTY = "—"


class Rounding(models.TextChoices):
    HALF_UP = "half_up", _("四舍五入")
    TRUNCATE = "truncate", _("截断")

    @property
    def decimal_mode(self) -> str:
        return ROUND_DOWN if self is Rounding.TRUNCATE else ROUND_HALF_UP


#: The options a placeholder may carry: "1位", "2位截断", "0位四舍五入", "整数", "截断".
_OPTION = re.compile(r"^(?:(?P<whole>整数)|(?P<places>[012])位)?(?P<rounding>四舍五入|截断)?$")
ALLOWED_DECIMALS = (0, 1, 2)


class FormatOptionError(ValueError):
    """A spelled format that is not one of the allowed ones."""


@dataclass(frozen=True)
class NumberFormat:
    """``decimals`` places, by ``rounding``; ``trim`` drops a zero fraction (66.0 reads 66),
    the default of figures printed without an explicit format."""

    decimals: int = 1
    rounding: Rounding = Rounding.HALF_UP
    trim: bool = True

    def quantize(self, value: Decimal) -> Decimal:
        step = Decimal(1).scaleb(-self.decimals)
        return value.quantize(step, rounding=self.rounding.decimal_mode)

    def format(self, value: Decimal | int | None) -> str:
        if value is None:
            return EMPTY
        shown = self.quantize(Decimal(value))
        if shown == 0:
            shown = abs(shown)  # -0.0 after truncation reads 0
        if self.trim and shown == shown.to_integral_value():
            return str(shown.to_integral_value())
        return str(shown)

    def percent(self, numerator: int, denominator: int) -> Decimal | None:
        """numerator ÷ denominator in per cent, to this format; None for nothing to divide by."""
        exact = exact_percent(numerator, denominator)
        return None if exact is None else self.quantize(exact)

    def describe(self) -> str:
        """How the office reads it in a note: 保留1位小数（截断）."""
        if self.decimals == 0:
            places = gettext("取整")
        else:
            places = gettext("保留%(n)s位小数") % {"n": self.decimals}
        return f"{places}（{self.rounding.label}）"

    @classmethod
    def parse(cls, option: str) -> NumberFormat:
        """Read a placeholder's option: "1位截断", "2位", "0位四舍五入", "整数", "截断".

        An option that names decimals prints exactly that many; one that names only the
        rounding keeps the default one place. Raises ``FormatOptionError`` otherwise.
        """
        match = _OPTION.match(option.strip())
        if not option.strip() or match is None:
            raise FormatOptionError(option)
        if match["whole"]:
            decimals, trim = 0, False
        elif match["places"] is not None:
            decimals, trim = int(match["places"]), False
        else:
            decimals, trim = DEFAULT.decimals, DEFAULT.trim
        rounding = Rounding.TRUNCATE if match["rounding"] == "截断" else Rounding.HALF_UP
        return cls(decimals, rounding, trim)


#: How a figure prints when nothing else is said: one place, half up, 66.0 as 66.
DEFAULT = NumberFormat()
#: Shares of a whole (the inspection results), fixed at two places.
SHARE = NumberFormat(decimals=2, trim=False)

OPTION_HELP = _(
    "可写“0位”“1位”“2位”（小数位数），后接“四舍五入”或“截断”，如“1位截断”；"
    "只写“截断”则保留1位小数。"
)


def exact_percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator × 100 unrounded, None when there is nothing to divide by."""
    if not denominator:
        return None
    return Decimal(100 * numerator) / Decimal(denominator)


def apportion(counts: Sequence[int], fmt: NumberFormat = SHARE) -> list[Decimal | None]:
    """Each count's share of their sum in per cent, so that the printed shares add up to
    100 exactly as the counts add up to their total (largest remainder: the shares rounded
    down, the missing steps given to the largest remainders, ties in order)."""
    total = sum(counts)
    if not total:
        return [None for _count in counts]
    step = Decimal(1).scaleb(-fmt.decimals)
    exact = [Decimal(100 * count) / Decimal(total) for count in counts]
    floors = [value.quantize(step, rounding=ROUND_DOWN) for value in exact]
    missing = int((Decimal(100) - sum(floors)) / step)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += step
    return floors
