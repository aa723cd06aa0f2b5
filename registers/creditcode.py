"""Unified social credit code (统一社会信用代码) validation, GB 32100-2015.

Structure of the 18 characters (positions are 1-based, as in the standard):

====  ==========================================================================
1     registration authority code (登记管理部门代码), a digit or letter
      (e.g. ``9`` 市场监管/工商, ``5`` 民政, ``1`` 机构编制, ``N`` 农业农村, ``Y`` 其他)
2     organisation category code (机构类别代码)
3-8   administrative division code of the registering authority
      (登记管理机关行政区划码, GB/T 2260), always six digits
9-17  subject identifier (主体标识码), i.e. the GB 11714 organisation code
      (组织机构代码): an 8-character body plus its own check character at position 17
18    check character (校验码) over positions 1-17
====  ==========================================================================

Character set: ``0-9`` and the upper-case letters except ``I O Z S V``, 31 characters with
values 0..30 in the order of :data:`CHARSET`. The weight of position ``i`` is
``3 ** (i - 1) mod 31`` (1, 3, 9, 27, 19, 26, ...); the check value is
``31 - (weighted sum mod 31)``, where 31 is written as ``0``.

Because 31 is prime and no weight is 0 mod 31, the check character detects every
single-character substitution and every transposition of two adjacent characters among
positions 1-17.

The organisation code check (position 17, GB 11714: weights 3 7 9 10 5 8 4 2, letters
valued A=10 ... Z=35, ``11 - sum mod 11`` with 10 → ``X`` and 11 → ``0``) is *not* part of
GB 32100's own check; GB 32100 only says that positions 9-17 are assigned according to
GB 11714. It is therefore offered as an opt-in (``check_organisation_code=True``) rather
than enforced: the overall check character already catches every single-character typo,
and rejecting a code that the national registry actually issued would be worse than the
marginal extra protection. Every real published code we tested passes both checks.

Input from users should go through :func:`normalise_credit_code` first (it removes
whitespace, folds full-width characters and upper-cases); :func:`validate_credit_code`
validates exactly the string it is given, which is what gets stored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "CHARSET",
    "CODE_LENGTH",
    "WEIGHTS",
    "check_character",
    "is_valid_credit_code",
    "make_credit_code",
    "normalise_credit_code",
    "organisation_code_check_character",
    "validate_credit_code",
]

CODE_LENGTH = 18

#: The 31 characters allowed in a credit code, in value order (value = index).
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: value for value, char in enumerate(CHARSET)}

#: Weights for positions 1..17: 3 ** (i - 1) mod 31.
WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: 0-based slice of the administrative division code (positions 3-8), digits only.
_DIVISION = range(2, 8)

#: GB 11714 weights for the 8-character organisation code body.
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalise_credit_code(code: str) -> str:
    """Return ``code`` as it should be stored: no whitespace, ASCII, upper case.

    Full-width characters typed with a Chinese input method (``９１３５``, ``Ｍ``) and the
    ideographic space are folded with NFKC; all whitespace, including inside the code, is
    removed. Nothing else (such as hyphens) is removed, so such input still fails
    validation with a precise message.
    """
    folded = unicodedata.normalize("NFKC", code)
    return "".join(folded.split()).upper()


def _structure_problem(code: str, length: int) -> tuple[str, dict[str, Any]] | None:
    """First structural problem of ``code`` as ``(error code, params)``, or None.

    Deliberately free of translation, so that the non-raising helpers work without
    configured Django settings.
    """
    if len(code) != length:
        return "credit_code_length", {"expected": length, "length": len(code)}
    for index, character in enumerate(code):
        if character not in _VALUES or (index in _DIVISION and not character.isdigit()):
            return "credit_code_character", {"position": index + 1, "character": character}
    return None


def _check_character(first17: str) -> str:
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _problem(code: str, check_organisation_code: bool) -> tuple[str, dict[str, Any]] | None:
    problem = _structure_problem(code, CODE_LENGTH)
    if problem:
        return problem
    expected = _check_character(code[:17])
    if code[17] != expected:
        return "credit_code_check", {"expected": expected, "actual": code[17]}
    if check_organisation_code:
        expected = organisation_code_check_character(code[8:16])
        if code[16] != expected:
            return "credit_code_organisation_check", {"expected": expected, "actual": code[16]}
    return None


def _message(error_code: str, params: Mapping[str, Any]) -> str:
    """The user-facing (translated) message for an error code."""
    if error_code == "credit_code_length":
        return _("统一社会信用代码应为%(expected)d位，当前为%(length)d位。")
    if error_code == "credit_code_character":
        if params["position"] - 1 in _DIVISION:
            return _(
                "统一社会信用代码第%(position)d位的字符“%(character)s”不合法："
                "第3至8位是登记管理机关行政区划码，只能是数字。"
            )
        return _(
            "统一社会信用代码第%(position)d位的字符“%(character)s”不合法："
            "只能使用数字和大写英文字母（不含I、O、Z、S、V）。"
        )
    if error_code == "credit_code_check":
        return _(
            "统一社会信用代码校验位错误：按前17位计算，第18位应为“%(expected)s”，"
            "实际为“%(actual)s”。请核对是否抄录有误。"
        )
    return _(
        "统一社会信用代码中的组织机构代码（第9至17位）校验位错误："
        "第17位应为“%(expected)s”，实际为“%(actual)s”。"
    )


def check_character(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters of a code.

    Raises ValueError if ``first17`` is not 17 characters of the credit code alphabet
    (with digits in positions 3-8).
    """
    problem = _structure_problem(first17, CODE_LENGTH - 1)
    if problem:
        raise ValueError(f"invalid credit code body {first17!r}: {problem[0]} {problem[1]}")
    return _check_character(first17)


def organisation_code_check_character(body8: str) -> str:
    """Return the GB 11714 check character for an 8-character organisation code body.

    ``body8`` is positions 9-16 of a credit code. The result is a digit or ``X``.
    """
    if len(body8) != 8 or not all(char in _VALUES for char in body8):
        raise ValueError(f"invalid organisation code body {body8!r}")
    # GB 11714 values letters by their place in the full Latin alphabet: A=10 ... Z=35.
    total = sum(
        int(char, 36) * weight for char, weight in zip(body8, _ORGANISATION_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def validate_credit_code(code: str, *, check_organisation_code: bool = False) -> None:
    """Validate an already normalised credit code; raise ValidationError if it is invalid.

    Error codes, checked in this order: ``credit_code_length`` (``params``: ``expected``,
    ``length``), ``credit_code_character`` (the first offending character; ``position``,
    ``character``), ``credit_code_check`` (``expected``, ``actual``) and, only with
    ``check_organisation_code=True``, ``credit_code_organisation_check`` (same params).
    """
    problem = _problem(code, check_organisation_code)
    if problem:
        error_code, params = problem
        raise ValidationError(_message(error_code, params), code=error_code, params=params)


def is_valid_credit_code(code: object, *, check_organisation_code: bool = False) -> bool:
    """Return whether ``code`` is a valid (normalised) credit code; never raises.

    Needs no Django settings (no message is built).
    """
    return isinstance(code, str) and _problem(code, check_organisation_code) is None


def make_credit_code(body17: str) -> str:
    """Append the check character to a 17-character body (for demo and test data).

    The organisation code check at position 17 is left as given; use
    :func:`organisation_code_check_character` when building the body if it should hold too.
    """
    return body17 + check_character(body17)
