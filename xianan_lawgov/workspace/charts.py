"""Charts drawn on the server as inline SVG: no chart library, nothing loaded at run time.

Each chart is a ``Chart`` (title, the rows of its data table, the SVG markup) so a page shows
the picture and, for screen readers and printing, the same numbers as a table. Colours are
chosen for at least 3:1 contrast against white (WCAG 1.4.11) and are never the only cue:
every bar carries its number.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Series colours (≥ 3:1 on white), and the text colour used inside the chart.
PALETTE = ["#1f5fa8", "#b3261e", "#1a7f37", "#8a5a00", "#6f42c1", "#0f6e78", "#57606a"]
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"

_ids = count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    color: str = ""


@dataclass
class Chart:
    title: str
    headers: list[str]
    rows: list[list[str]]
    svg: SafeString = mark_safe("")
    summary: str = ""
    empty: bool = False
    empty_text: str = ""


def _text_width(text: str, size: float) -> float:
    """A rough width: CJK characters are about one em wide, others about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def _fitted(text: str, size: float, room: float) -> str:
    """``text`` cut with an ellipsis to fit ``room`` (the whole text stays in the table)."""
    if _text_width(text, size) <= room:
        return text
    while text and _text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def _nice_max(value: int) -> int:
    if value <= 5:
        return max(value, 1)
    for step in (1, 2, 5):
        magnitude = 1
        while magnitude * 10 <= value:
            magnitude *= 10
        nice = step * magnitude
        if nice >= value:
            return nice
    return 10 * magnitude


def _svg_open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    n = next(_ids)
    title_id, desc_id = f"chart-title-{n}", f"chart-desc-{n}"
    head = (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


#: The widest a bar's label may be (px); a longer one is cut with an ellipsis.
LABEL_ROOM = 190


def horizontal_bars(
    title: str,
    items: list[tuple[str, int]],
    *,
    measure: str = "",
    colors: list[str] | None = None,
    headers: tuple[str, ...] = ("", ""),
    notes: list[str] | None = None,
) -> Chart:
    """One bar per item, label on the left and the number at the end of the bar; ``notes``
    (a share, say) follow each number and fill a third column of the table."""
    notes = notes or []
    rows = [
        [label, f"{value}", *([notes[i]] if notes else [])]
        for i, (label, value) in enumerate(items)
    ]
    after = [f"（{note}）" for note in notes] if notes else [""] * len(items)
    total = sum(value for _label, value in items)
    desc = "；".join(
        f"{label} {value}{measure}{after[i]}" for i, (label, value) in enumerate(items)
    )
    chart = Chart(title, list(headers), rows, summary=desc, empty=total == 0)
    if not items:
        return chart
    size = 13
    label_width = min(max(_text_width(label, size) for label, _v in items) + 12, LABEL_ROOM)
    bar_height, gap, width = 20, 8, 520
    number_room = 56 + (max(_text_width(a, size) for a in after) if notes else 0)
    plot_width = width - label_width - number_room
    height = len(items) * (bar_height + gap) + gap
    top = max(value for _label, value in items) or 1
    head, tail = _svg_open(width, height, title, desc)
    parts = [head]
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_height + gap)
        color = colors[i % len(colors)] if colors else PALETTE[0]
        bar = plot_width * value / top
        shown = _fitted(label, size, label_width - 12)
        hint = f"<title>{escape(label)}</title>" if shown != label else ""
        parts.append(
            f'<text x="{label_width - 8:.0f}" y="{y + bar_height * 0.72:.1f}" '
            f'text-anchor="end" font-size="{size}" fill="{INK}">{hint}{escape(shown)}</text>'
        )
        parts.append(
            f'<rect x="{label_width:.0f}" y="{y}" width="{max(bar, 1 if value else 0):.1f}" '
            f'height="{bar_height}" fill="{color}" rx="2"/>'
        )
        parts.append(
            f'<text x="{label_width + bar + 6:.1f}" y="{y + bar_height * 0.72:.1f}" '
            f'font-size="{size}" fill="{INK}">{value}{escape(measure)}{escape(after[i])}</text>'
        )
    parts.append(tail)
    chart.svg = mark_safe("".join(parts))
    return chart


def stacked_columns(
    title: str,
    categories: list[str],
    series: list[Series],
    *,
    measure: str = "",
    first_header: str = "",
) -> Chart:
    """Columns per category, each stacked by series, with a legend; totals above columns."""
    colored = [
        Series(s.label, s.values, s.color or PALETTE[i % len(PALETTE)])
        for i, s in enumerate(series)
    ]
    totals = [sum(s.values[i] for s in colored) for i in range(len(categories))]
    headers = [first_header, *(s.label for s in colored), "合计"]
    rows = [
        [category, *(str(s.values[i]) for s in colored), str(totals[i])]
        for i, category in enumerate(categories)
    ]
    desc = "；".join(
        f"{category} {totals[i]}{measure}"
        + (
            "（" + "，".join(f"{s.label} {s.values[i]}" for s in colored if s.values[i]) + "）"
            if totals[i]
            else ""
        )
        for i, category in enumerate(categories)
    )
    chart = Chart(title, headers, rows, summary=desc, empty=sum(totals) == 0)
    if not categories:
        return chart

    size = 12
    width, left, right, top_pad = 560, 34, 8, 18
    legend_rows = _legend_layout(colored, width - left - right, size)
    legend_height = len(legend_rows) * 20 + 6
    plot_height = 170
    height = top_pad + plot_height + 24 + legend_height
    top = _nice_max(max(totals) if totals else 1)
    slot = (width - left - right) / len(categories)
    column = min(slot * 0.6, 36)
    head, tail = _svg_open(width, height, title, desc)
    parts = [head]
    base = top_pad + plot_height
    for tick in _ticks(top):
        y = base - plot_height * tick / top
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="{size - 1}" '
            f'fill="{MUTED}">{tick}</text>'
        )
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - column) / 2
        y = base
        for s in colored:
            value = s.values[i]
            if not value:
                continue
            h = plot_height * value / top
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{h:.1f}" '
                f'fill="{s.color}"><title>{escape(category)} {escape(s.label)} '
                f"{value}{escape(measure)}</title></rect>"
            )
        if totals[i]:
            parts.append(
                f'<text x="{x + column / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="{size}" fill="{INK}">{totals[i]}</text>'
            )
        parts.append(
            f'<text x="{x + column / 2:.1f}" y="{base + 16}" text-anchor="middle" '
            f'font-size="{size}" fill="{INK}">{escape(category)}</text>'
        )
    y = base + 24 + 14
    for row in legend_rows:
        for x, s in row:
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" fill="{s.color}"/>'
                f'<text x="{x + 16:.1f}" y="{y}" font-size="{size}" fill="{INK}">'
                f"{escape(s.label)}</text>"
            )
        y += 20
    parts.append(tail)
    chart.svg = mark_safe("".join(parts))
    return chart


def _ticks(top: int) -> list[int]:
    if top <= 5:
        return list(range(0, top + 1))
    step = top // 5
    return list(range(0, top + 1, step))


def _legend_layout(
    series: list[Series], width: float, size: int
) -> list[list[tuple[float, Series]]]:
    rows: list[list[tuple[float, Series]]] = [[]]
    x = 34.0
    for s in series:
        item = 16 + _text_width(s.label, size) + 16
        if rows[-1] and x + item > width:
            rows.append([])
            x = 34.0
        rows[-1].append((x, s))
        x += item
    return rows
