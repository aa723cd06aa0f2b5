"""Document numbers (发文字号) such as 咸安政规〔2017〕1号 — parsing and normalising.

GB/T 9704-2012 《党政机关公文格式》 7.2.4: the year is written in full and enclosed in
hexagonal brackets 〔〕, the serial number has no "第" and no leading zeros (1, not 01), and
is followed by 号. Typists often use [] or () (half- or full-width) or 【】 because 〔〕 is hard
to type; those are accepted and stored as 〔〕, and leading zeros are dropped, so the same
document cannot be registered twice under two spellings. Anything else is refused with the
reason.

Pure helpers: no Django models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Bracket pairs accepted around the year, all normalised to 〔〕.
BRACKETS = {"〔": "〕", "[": "]", "［": "］", "(": ")", "（": "）", "【": "】", "〖": "〗"}

_OPENING = re.escape("".join(BRACKETS))
_CLOSING = re.escape("".join(BRACKETS.values()))
_PATTERN = re.compile(
    rf"^(?P<prefix>[^\s{_OPENING}{_CLOSING}]+)"
    rf"(?P<open>[{_OPENING}])(?P<year>\d+)(?P<close>[{_CLOSING}])"
    r"(?P<serial>第?\d+)号$"
)


@dataclass(frozen=True)
class DocumentNumber:
    """A parsed document number: 发文机关代字 (prefix), year and serial."""

    prefix: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.serial}号"


def parse_document_number(text: str) -> DocumentNumber:
    """Parse ``text``; raise ``ValidationError`` (with a code) saying what is wrong."""
    # Spaces and full-width spaces inside a number are typing noise, never meaningful.
    compact = re.sub(r"\s+", "", text or "")
    if not compact:
        raise ValidationError(_("请填写文号。"), code="number_required")
    match = _PATTERN.match(compact)
    if match is None:
        raise ValidationError(
            _("文号“%(number)s”格式不对，应为“机关代字〔年份〕序号号”，如“咸安政规〔2017〕1号”。")
            % {"number": text},
            code="number_format",
        )
    if BRACKETS[match["open"]] != match["close"]:
        raise ValidationError(
            _("文号“%(number)s”的年份括号不成对，请使用六角括号〔〕。") % {"number": text},
            code="number_brackets",
        )
    if len(match["year"]) != 4:
        raise ValidationError(
            _("文号“%(number)s”的年份应写全四位，如〔2017〕。") % {"number": text},
            code="number_year",
        )
    if match["serial"].startswith("第"):
        raise ValidationError(
            _("文号“%(number)s”的序号前不加“第”字，如“咸安政规〔2017〕1号”。") % {"number": text},
            code="number_serial",
        )
    serial = int(match["serial"])
    if serial < 1:
        raise ValidationError(
            _("文号“%(number)s”的序号应从 1 开始。") % {"number": text}, code="number_serial"
        )
    return DocumentNumber(prefix=match["prefix"], year=int(match["year"]), serial=serial)


def normalise_document_number(text: str) -> str:
    """The stored spelling of ``text``: 〔〕 around the year, no leading zeros."""
    return str(parse_document_number(text))
