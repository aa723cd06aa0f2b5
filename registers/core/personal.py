"""Personal data of private persons, and how it is masked for those who may not see it.

A model names its fields that hold a private person's data in ``personal_fields``
(field name → ``PersonalKind``): an applicant's or plaintiff's name, an inspected business's
legal representative and telephone. Whoever ``permissions.may_see_personal_data`` refuses
(an API client whose token has no personal-data grant) gets them masked, in records and in
exports alike: the family name stays so that a record can still be told apart by a person
who knows the case, the rest does not leave the system (个人信息保护法 art. 6: the minimum).
"""

from __future__ import annotations

import copy

from django.db import models
from django.utils.translation import gettext_lazy as _

MASK = "*"


class PersonalKind(models.TextChoices):
    NAME = "name", _("姓名或名称")
    PHONE = "phone", _("电话号码")
    IDENTITY_NUMBER = "identity_number", _("身份证件号码")


def mask_name(value: str) -> str:
    """张三 → 张**: the first character, then a fixed mask (the length is not told)."""
    return value[:1] + MASK * 2 if value else value


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; a short number keeps its last two digits only."""
    if len(value) >= 11:
        return value[:3] + MASK * 4 + value[-4:]
    return MASK * 4 + value[-2:] if value else value


def mask_identity_number(value: str) -> str:
    """A resident identity number keeps its region (6) and check part (4) only."""
    if len(value) >= 15:
        return value[:6] + MASK * 8 + value[-4:]
    return MASK * len(value)


MASKS = {
    PersonalKind.NAME: mask_name,
    PersonalKind.PHONE: mask_phone,
    PersonalKind.IDENTITY_NUMBER: mask_identity_number,
}


def personal_fields_of(model) -> dict[str, PersonalKind]:
    return getattr(model, "personal_fields", {})


def mask_for(field) -> object | None:
    """The mask of a model field that holds personal data, or None."""
    model = getattr(field, "model", None)
    kind = personal_fields_of(model).get(getattr(field, "name", None)) if model else None
    return MASKS[kind] if kind else None


def masked(value, mask):
    return mask(value) if isinstance(value, str) else value


def masked_str(record: models.Model) -> str:
    """``str(record)`` with the record's personal fields masked: 咸安复〔2017〕1号（刘某某）
    → 咸安复〔2017〕1号（刘**）."""
    shown = copy.copy(record)
    for name, kind in personal_fields_of(type(record)).items():
        setattr(shown, name, masked(getattr(record, name), MASKS[kind]))
    return str(shown)


def mask_representation(model, data: dict) -> dict:
    """A serialized record of ``model`` with its personal fields masked."""
    for name, kind in personal_fields_of(model).items():
        if name in data:
            data[name] = masked(data[name], MASKS[kind])
    return data
