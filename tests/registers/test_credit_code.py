import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from registers.creditcode import (
    CHARSET,
    WEIGHTS,
    check_character,
    is_valid_credit_code,
    make_credit_code,
    normalise_credit_code,
    organisation_code_check_character,
    validate_credit_code,
)

# Stand-alone runs (without pytest-django) still need settings for gettext.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)

# Real codes as printed on business licences / in public company disclosures. Every one
# passes both the GB 32100 check (position 18) and the GB 11714 organisation code check
# (position 17).
REAL_CODES = [
    "91350100M000100Y43",  # widely used example; "M..." subject identifier issued after 2015
    "91110000600037341L",  # example used by python-stdnum's cn.uscc module
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 腾讯科技（深圳）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
]


def _error(code: str, **kwargs: bool) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code, **kwargs)
    return excinfo.value


def test_weights_are_powers_of_three_mod_31():
    assert len(CHARSET) == 31
    assert not set(CHARSET) & set("IOZSV")
    assert list(WEIGHTS) == [pow(3, i, 31) for i in range(17)]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    validate_credit_code(code)
    validate_credit_code(code, check_organisation_code=True)
    assert is_valid_credit_code(code)
    assert check_character(code[:17]) == code[17]
    assert make_credit_code(code[:17]) == code
    assert organisation_code_check_character(code[8:16]) == code[16]


def _weighted_sum_mod_31(body: str) -> int:
    return sum(CHARSET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 31


def test_check_value_31_is_written_as_zero_and_30_as_y():
    # 421202 is the division code of 咸安区.
    assert _weighted_sum_mod_31("91421202MA4F00001") == 0
    assert check_character("91421202MA4F00001") == "0"
    assert _weighted_sum_mod_31("91421202MA4F0000B") == 1
    assert check_character("91421202MA4F0000B") == "Y"


def test_normalise_strips_spaces_folds_width_and_upper_cases():
    assert normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalise_credit_code("9135 0100\tM000 100Y43\n") == "91350100M000100Y43"
    # Full-width characters and ideographic space, as typed with a Chinese IME.
    assert (
        normalise_credit_code("９１３５０１００ｍ０００１００ｙ４３\u3000") == "91350100M000100Y43"
    )
    assert normalise_credit_code("9135-0100") == "9135-0100"


def test_lowercase_is_rejected_until_normalised():
    assert not is_valid_credit_code("91350100m000100y43")
    assert is_valid_credit_code(normalise_credit_code("91350100m000100y43"))


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_wrong_length(code):
    error = _error(code)
    assert error.code == "credit_code_length"
    assert error.params == {"expected": 18, "length": len(code)}
    assert f"当前为{len(code)}位" in error.messages[0]


@pytest.mark.parametrize(
    ("code", "position", "character"),
    [
        ("91350100M000100O43", 16, "O"),  # letter O is not in the alphabet
        ("I1350100M000100Y43", 1, "I"),
        ("91350100M0001-0Y43", 14, "-"),
        ("91350100M000100Y4三", 18, "三"),
        ("9135A100M000100Y43", 5, "A"),  # division code must be digits
    ],
)
def test_illegal_character(code, position, character):
    error = _error(code)
    assert error.code == "credit_code_character"
    assert error.params == {"position": position, "character": character}
    assert f"第{position}位的字符“{character}”" in error.messages[0]


def test_division_code_message_explains_digits_only():
    assert "行政区划码" in _error("9135A100M000100Y43").messages[0]


def test_wrong_check_character_says_what_was_expected():
    error = _error("91350100M000100Y44")
    assert error.code == "credit_code_check"
    assert error.params == {"expected": "3", "actual": "4"}
    assert "应为“3”" in error.messages[0]


def test_organisation_code_check_is_opt_in():
    # Position 17 altered and position 18 recomputed: GB 32100 itself is satisfied.
    code = make_credit_code("91350100M000100Y5")
    validate_credit_code(code)
    error = _error(code, check_organisation_code=True)
    assert error.code == "credit_code_organisation_check"
    assert error.params == {"expected": "4", "actual": "5"}
    assert not is_valid_credit_code(code, check_organisation_code=True)


def test_letters_allowed_outside_division_code():
    # e.g. a rural collective economic organisation registered by 农业农村 (authority "N").
    code = make_credit_code("N2421202MA4F0000" + "1")
    validate_credit_code(code)


def test_make_credit_code_and_check_character_reject_bad_bodies():
    for body in ["9135", "91350100M000100Y43", "91350100M000100O4", "9135010oM000100Y4"]:
        with pytest.raises(ValueError):
            make_credit_code(body)
    with pytest.raises(ValueError):
        organisation_code_check_character("M000100")


def test_is_valid_never_raises():
    assert not is_valid_credit_code(None)
    assert not is_valid_credit_code(91350100)
    assert not is_valid_credit_code("")


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_single_substitution_is_detected(code):
    for index in range(len(code)):
        for replacement in CHARSET:
            if replacement == code[index]:
                continue
            altered = code[:index] + replacement + code[index + 1 :]
            assert not is_valid_credit_code(altered), altered


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_adjacent_transposition_in_body_is_detected(code):
    for index in range(16):
        if code[index] == code[index + 1]:
            continue
        swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
        assert not is_valid_credit_code(swapped), swapped


def _run_without_settings(code: str) -> None:
    """Run ``code`` in a fresh interpreter with no Django settings at all."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    check = "import sys; assert not any(m.startswith('django.db') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", f"{code}\n{check}"], cwd=root, env=env, check=True)


def test_pure_helpers_need_no_settings_and_no_database():
    _run_without_settings(
        "from registers.creditcode import *\n"
        "assert is_valid_credit_code('91350100M000100Y43')\n"
        "assert not is_valid_credit_code('91350100M000100Y44', check_organisation_code=True)\n"
        "assert make_credit_code('91421202MA4F00001') == '91421202MA4F000010'\n"
        "validate_credit_code('91350100M000100Y43', check_organisation_code=True)"
    )
