"""The report text: sections of paragraphs with figure placeholders such as
``{{ reconsideration.accepted }}``, rendered against a set of figure values.

A percentage's placeholder may say how to print it after a colon: decimals (0, 1 or 2, "位")
and rounding (四舍五入 or 截断), ``{{ reconsideration.comprehensive_correction_rate:1位截断 }}``
(``registers.core.numbers.NumberFormat.parse``). A rate with nothing to divide by prints "—",
and a "%" written right after it is dropped ("负责人—出庭", never "—%").

Paragraph kinds follow the official layout: a section heading (一、) is level 1; a line
such as "(一)抓改革,简政放权" is a level-2 heading; a paragraph that opens with
"(一)扎实推进法治政府建设。" carries a run-in level-2 heading followed by body text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registers.core import numbers
from registers.core.numbers import FormatOptionError, NumberFormat

PLACEHOLDER = re.compile(
    r"\{\{\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)\s*(?:[:：]\s*([^{}]*?)\s*)?\}\}"
)
LOOSE_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
LEVEL2 = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
# Placeholders every report understands besides the figures.
BUILT_INS = {"report.year": "报告年度"}
# Placeholders a unit's report (and its template) understands besides those.
UNIT_BUILT_INS = {"unit.name": "单位名称"}


def placeholders_in(text: str) -> list[str]:
    return [match.group(1) for match in PLACEHOLDER.finditer(text)]


def _spelled(name: str, option: str | None = None) -> str:
    return f"{{{{ {name}:{option} }}}}" if option else f"{{{{ {name} }}}}"


def validate_placeholders(
    texts: Iterable[str], valid: Iterable[str], formattable: Iterable[str] = ()
) -> None:
    """Refuse unknown or malformed placeholders, naming the valid ones, and formats that are
    not allowed or not for a percentage (``formattable``), saying what may be written."""
    valid = set(valid) | set(BUILT_INS)
    formattable = set(formattable)
    unknown: list[str] = []
    bad_options: list[str] = []
    not_rates: list[str] = []
    for text in texts:
        for match in LOOSE_PLACEHOLDER.finditer(text):
            inner = match.group(0)
            placeholder = PLACEHOLDER.fullmatch(inner)
            if placeholder is None or placeholder.group(1) not in valid:
                unknown.append(match.group(1).strip() or inner)
                continue
            name, option = placeholder.group(1), placeholder.group(2)
            if option is None:
                continue
            if name not in formattable:
                not_rates.append(_spelled(name, option))
                continue
            try:
                NumberFormat.parse(option)
            except FormatOptionError:
                bad_options.append(_spelled(name, option))
    errors = []
    if unknown:
        errors.append(
            ValidationError(
                _("未知的数字占位符：%(unknown)s。可用的占位符有：%(valid)s")
                % {
                    "unknown": "、".join(dict.fromkeys(_spelled(name) for name in unknown)),
                    "valid": "、".join(sorted(valid)),
                },
                code="unknown_placeholder",
            )
        )
    if bad_options:
        errors.append(
            ValidationError(
                _("无法识别的数字格式：%(bad)s。%(help)s")
                % {"bad": "、".join(dict.fromkeys(bad_options)), "help": numbers.OPTION_HELP},
                code="unknown_number_format",
            )
        )
    if not_rates:
        errors.append(
            ValidationError(
                _("只有百分比可以指定小数位数和取舍方式：%(names)s。")
                % {"names": "、".join(dict.fromkeys(not_rates))},
                code="format_not_for_figure",
            )
        )
    if errors:
        raise ValidationError(errors)


#: How a placeholder turns into text: its key and its format option (None when it has none).
Display = Callable[[str, "NumberFormat | None"], str]


@dataclass(frozen=True)
class Segment:
    text: str
    figure: str | None = None  # the placeholder key this text came from


@dataclass
class RenderedParagraph:
    kind: str  # "heading1", "heading2", "body"
    segments: list[Segment] = field(default_factory=list)
    run_in: list[Segment] = field(default_factory=list)  # a leading level-2 heading

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.run_in) + "".join(s.text for s in self.segments)


def render_segments(text: str, display: Display) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        key, option = match.group(1), match.group(2)
        try:
            fmt = NumberFormat.parse(option) if option else None
        except FormatOptionError:
            fmt = None  # refused when saved; a preview shows the default
        shown = display(key, fmt)
        segments.append(Segment(shown, figure=key))
        position = match.end()
        if shown == numbers.EMPTY and text[position : position + 1] in ("%", "％"):
            position += 1  # no rate, no per cent sign
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def _split_segments(segments: list[Segment], at: int) -> tuple[list[Segment], list[Segment]]:
    """Split rendered segments at character offset ``at`` (inside plain text only)."""
    head: list[Segment] = []
    tail: list[Segment] = []
    seen = 0
    for segment in segments:
        if seen >= at:
            tail.append(segment)
        elif seen + len(segment.text) <= at or segment.figure is not None:
            head.append(segment)
        else:
            cut = at - seen
            head.append(Segment(segment.text[:cut]))
            tail.append(Segment(segment.text[cut:]))
        seen += len(segment.text)
    return head, tail


def render_paragraph(line: str, display: Display) -> RenderedParagraph:
    segments = render_segments(line, display)
    if not LEVEL2.match(line):
        return RenderedParagraph("body", segments)
    text = "".join(s.text for s in segments)
    stop = text.find("。")
    if stop == -1 or stop == len(text.rstrip()) - 1:
        return RenderedParagraph("heading2", segments)
    head, tail = _split_segments(segments, stop + 1)
    return RenderedParagraph("body", tail, run_in=head)


def render_sections(
    sections: Iterable[tuple[str, str]], values: Mapping[str, str] | Display
) -> list[RenderedParagraph]:
    """Render ``(heading, body)`` pairs; ``values`` maps placeholder → display text, or is a
    ``Display`` function that also honours a placeholder's format."""
    if callable(values):
        display = values
    else:
        mapping = values

        def display(key: str, fmt: NumberFormat | None) -> str:
            return mapping.get(key, _spelled(key))

    paragraphs: list[RenderedParagraph] = []
    for heading, body in sections:
        if heading.strip():
            paragraphs.append(RenderedParagraph("heading1", render_segments(heading, display)))
        for line in body.splitlines():
            if line.strip():
                paragraphs.append(render_paragraph(line, display))
    return paragraphs


def plain_text(paragraphs: Iterable[RenderedParagraph]) -> str:
    return "\n".join(paragraph.text for paragraph in paragraphs)
