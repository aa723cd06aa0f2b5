"""Plain text: what every text field accepts, and what every file written from it carries.

A control character (U+0000–U+001F but tab, line feed and carriage return; U+007F–U+009F)
is invisible, never meant, and breaks the files made from the text: an .xlsx or .docx is
XML, which cannot hold one. So every text field of the project's models refuses one
(``guard_text_fields``, run once at start-up: the admin's forms, the API's serializers, the
workspace's forms and the Excel uploads all validate through the model's fields), and every
writer passes values through ``printable`` for what was stored before the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Control characters but tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: What XML 1.0 (so .xlsx and .docx) cannot hold at all: the above, lone surrogates and the
#: two non-characters U+FFFE, U+FFFF.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def validate_plain_text(value) -> None:
    """Refuse text holding a control character, saying which one and where."""
    if not isinstance(value, str):
        return
    match = CONTROL_CHARACTERS.search(value)
    if match is None:
        return
    raise ValidationError(
        _(
            "不能包含控制字符（第 %(position)s 个字符是不可见的 U+%(code)s），"
            "这通常是从其他软件复制时带入的，请删除后重新填写。"
        ),
        code="control_character",
        params={"position": match.start() + 1, "code": f"{ord(match.group()):04X}"},
    )


def printable(value):
    """``value`` with what a file cannot hold removed; anything not text unchanged."""
    if isinstance(value, str):
        return UNWRITABLE.sub("", value)
    return value


def _is_text_field(field) -> bool:
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def guard_text_fields(model_classes: Iterable[type[models.Model]]) -> None:
    """Give every free-text field of the project's own models ``validate_plain_text``."""
    base = Path(settings.BASE_DIR).resolve()
    for model in model_classes:
        if not Path(model._meta.app_config.path).resolve().is_relative_to(base):
            continue  # Django's and libraries' models keep their own rules
        for field in model._meta.get_fields():
            if _is_text_field(field) and validate_plain_text not in field.validators:
                # On the field's validators, not its declared ones (``_validators``): the
                # rule is the platform's, not a change of schema for the migrations.
                field.validators = [*field.validators, validate_plain_text]


#: One past the largest key or revision a database column holds (a signed 64-bit integer).
KEY_LIMIT = 2**63
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(text) -> int | None:
    """A key, a revision or a page as a form, a query string or a header writes it: ASCII
    digits only, below ``KEY_LIMIT``; None for anything else. ``str.isdigit`` would let
    "²" through (``int`` refuses it) and "10**30" (the database refuses it), each a 500."""
    if isinstance(text, str) and _ASCII_DIGITS.fullmatch(text):
        number = int(text)
        return number if number < KEY_LIMIT else None
    return None
