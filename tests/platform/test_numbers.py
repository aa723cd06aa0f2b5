"""How numbers print: decimals, rounding or truncation, shares that add up."""

from decimal import Decimal

import pytest

from registers.core.numbers import (
    DEFAULT,
    SHARE,
    FormatOptionError,
    NumberFormat,
    Rounding,
    apportion,
)


@pytest.mark.parametrize(
    ("option", "printed"),
    [
        ("1位截断", "62.9"),
        ("1位四舍五入", "63.0"),
        ("1位", "63.0"),
        ("0位", "63"),
        ("整数", "63"),
        ("0位截断", "62"),
        ("2位", "62.96"),
        ("2位截断", "62.96"),
        ("截断", "62.9"),
    ],
)
def test_the_same_rate_prints_by_the_option_written(option, printed):
    fmt = NumberFormat.parse(option)
    assert fmt.format(fmt.percent(17, 27)) == printed


def test_the_default_prints_one_place_half_up_and_a_whole_number_without_fraction():
    assert DEFAULT.format(DEFAULT.percent(17, 27)) == "63"
    assert DEFAULT.format(DEFAULT.percent(2, 3)) == "66.7"
    assert DEFAULT.format(DEFAULT.percent(0, 3)) == "0"
    assert DEFAULT.format(DEFAULT.percent(0, 0)) == "—"


def test_truncation_never_prints_more_than_was_achieved():
    truncate = NumberFormat(1, Rounding.TRUNCATE, trim=False)
    assert truncate.format(truncate.percent(1999, 2000)) == "99.9"
    assert truncate.format(Decimal("-0.04")) == "0.0"


@pytest.mark.parametrize("option", ["3位", "1位向上", "一位", "四舍五入截断", "", "1.5位"])
def test_an_unknown_option_is_refused(option):
    with pytest.raises(FormatOptionError):
        NumberFormat.parse(option)


@pytest.mark.parametrize(
    "counts", [[1, 1, 1], [1, 2, 3, 4, 5, 6, 7], [2, 0, 1], [1, 1, 1, 1, 1, 1], [7]]
)
def test_shares_add_up_to_a_hundred_as_the_counts_add_up_to_their_total(counts):
    shares = apportion(counts, SHARE)
    assert sum(shares) == Decimal("100.00")
    for count, share in zip(counts, shares, strict=True):
        exact = Decimal(100 * count) / sum(counts)
        assert abs(share - exact) < Decimal("0.01")  # never more than one step away
        assert (share == 0) == (count == 0)


def test_shares_of_nothing_are_empty():
    assert apportion([0, 0]) == [None, None]
