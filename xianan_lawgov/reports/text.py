"""The report text: sections of paragraphs with figure placeholders such as
``{{ reconsideration.accepted }}``, rendered against a set of figure values.

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

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)\s*\}\}")
LOOSE_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
LEVEL2 = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
# Placeholders every report understands besides the figures.
BUILT_INS = {"report.year": "报告年度"}


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def validate_placeholders(texts: Iterable[str], valid: Iterable[str]) -> None:
    """Refuse unknown or malformed placeholders, naming the valid ones."""
    valid = set(valid) | set(BUILT_INS)
    unknown = []
    for text in texts:
        for match in LOOSE_PLACEHOLDER.finditer(text):
            inner = match.group(0)
            name = match.group(1).strip()
            if not PLACEHOLDER.fullmatch(inner) or name not in valid:
                unknown.append(name or inner)
    if unknown:
        raise ValidationError(
            _("未知的数字占位符：%(unknown)s。可用的占位符有：%(valid)s")
            % {
                "unknown": "、".join(dict.fromkeys(f"{{{{ {name} }}}}" for name in unknown)),
                "valid": "、".join(sorted(valid)),
            },
            code="unknown_placeholder",
        )


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


def render_segments(text: str, display: Callable[[str], str]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        key = match.group(1)
        segments.append(Segment(display(key), figure=key))
        position = match.end()
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


def render_paragraph(line: str, display: Callable[[str], str]) -> RenderedParagraph:
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
    sections: Iterable[tuple[str, str]], values: Mapping[str, str]
) -> list[RenderedParagraph]:
    """Render ``(heading, body)`` pairs; ``values`` maps placeholder → display text."""

    def display(key: str) -> str:
        return values.get(key, f"{{{{ {key} }}}}")

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
