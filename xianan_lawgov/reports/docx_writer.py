"""Write a report as a .docx laid out per GB/T 9704-2012 (党政机关公文格式).

Pure module: no Django models.  The caller builds a :class:`Document` (title,
paragraphs tagged with a ``kind``, optional subtitle, issuer and date) and
:func:`write_docx` renders it with python-docx.

Numbers from the standard (clause numbers of GB/T 9704-2012):

* 5.1, 5.2.1 — A4 paper 210 x 297 mm; top margin (天头) 37 mm, left margin (订口)
  28 mm, text block (版心) 156 x 225 mm, hence right 26 mm and bottom 35 mm.
* 5.2.2 — elements are set in 3号 (16 pt) 仿宋 unless stated otherwise.
* 5.2.3 — 22 lines per page, 28 characters per line.
* 7.3.1 — title in 2号 (22 pt) 小标宋, centred.
* 7.3.3 — paragraphs indented two characters; structure levels "一、" 黑体,
  "（一）" 楷体, "1." 仿宋 (bold here, as the brief's house style asks).
* 7.3.5.1 — dates in Arabic numerals, full year, no padding: 2018年3月1日.
* 7.3.5.2 — unsealed document: issuer one blank line below the body, two
  characters in from the right; date on the next line, its first character
  two characters right of the issuer's first; if the date is longer, the date
  is two characters in from the right and the issuer moves left accordingly.
* 7.5 — page numbers in 4号 (14 pt) half-width 宋体 Arabic numerals with an em
  dash (一字线) each side, 7 mm below the text block; odd pages right, even
  pages left, one character in from the edge.

22 x 28 grid.  The section carries a ``linesAndChars`` document grid (linePitch
579 twips = 225 mm / 22 rounded down, charSpace -842 = a 15.79 pt pitch for
156 mm / 28), so Word/WPS page setup shows 22 lines x 28 characters.  Paragraphs
do *not* snap to it (``w:snapToGrid="0"``): LibreOffice puts a 16 pt glyph into
two 15.79 pt grid cells (14 characters a line) and breaks mixed CJK/Latin lines
erratically.  Instead every paragraph has an exact line spacing of one grid
line and every body run is tightened by 0.4 pt (``w:spacing``), so 28
characters fit a line (28 x 15.6 pt <= 156 mm < 29 x 15.6 pt) in Word, WPS and
LibreOffice alike.

Fonts.  Word does not fall back from a missing East Asian font to a similar
one by itself, so every run carries explicit ``w:rFonts`` (``eastAsia`` for
CJK, ``ascii``/``hAnsi`` Times New Roman for Latin), the document defaults
and the Normal style do the same, and the font table lists each CJK font with
``w:altName`` (the substitute Word uses when the font is missing), ``w:charset``
86 (GB2312) and a family — what Word's own substitution looks at.  The title
font is ``TITLE_FONT`` 方正小标宋简体 with ``TITLE_FONT_FALLBACK`` 宋体 as its
altName.  LibreOffice ignores altName: it substitutes unknown fonts through its
replacement table and fontconfig, matching on the zh-CN language tag, so on a
server without the official fonts CJK text comes out in whatever Chinese font
is installed (e.g. WenQuanYi Micro Hei).

Body and level-2 headings use the plain Windows names 仿宋 and 楷体 rather than
仿宋_GB2312/楷体_GB2312: they ship with every Windows since Vista and with
Office for Mac, have the same glyph design, and machines that have the _GB2312
fonts have these too.  Set ``BODY_FONT``/``HEADING2_FONT`` (module attributes,
read at render time) to the _GB2312 names if a stricter house style wants them.
"""

from __future__ import annotations

import datetime
import io
import math
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from registers.core.text import printable

# --- Page geometry (5.1, 5.2.1, 5.2.3) ----------------------------------------------
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_LEFT_MM = 28
TEXT_WIDTH_MM = 156
TEXT_HEIGHT_MM = 225
MARGIN_RIGHT_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - TEXT_WIDTH_MM  # 26
MARGIN_BOTTOM_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - TEXT_HEIGHT_MM  # 35
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
PAGE_NUMBER_GAP_MM = 7  # dashes 7 mm below the text block (7.5)

# --- Type sizes (号 -> pt) -------------------------------------------------------------
TITLE_SIZE_PT = 22  # 2号
BODY_SIZE_PT = 16  # 3号
PAGE_NUMBER_SIZE_PT = 14  # 4号

# --- Fonts (read at render time, so they can be overridden) ---------------------------
TITLE_FONT = "方正小标宋简体"
TITLE_FONT_FALLBACK = "宋体"
BODY_FONT = "仿宋"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体"
PAGE_NUMBER_FONT = "宋体"
WESTERN_FONT = "Times New Roman"
# Font-table entries: name -> (w:altName, w:family).  The title font's altName
# is TITLE_FONT_FALLBACK; unknown names get no altName.
FONT_TABLE = {
    "宋体": ("SimSun", "auto"),
    "仿宋": ("FangSong", "modern"),
    "仿宋_GB2312": ("仿宋", "modern"),
    "楷体": ("KaiTi", "modern"),
    "楷体_GB2312": ("楷体", "modern"),
    "黑体": ("SimHei", "modern"),
}
LANGUAGE = "zh-CN"


def _mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


PAGE_WIDTH_TWIPS = _mm_to_twips(PAGE_WIDTH_MM)  # 11906
PAGE_HEIGHT_TWIPS = _mm_to_twips(PAGE_HEIGHT_MM)  # 16838
MARGIN_TOP_TWIPS = _mm_to_twips(MARGIN_TOP_MM)  # 2098
MARGIN_BOTTOM_TWIPS = _mm_to_twips(MARGIN_BOTTOM_MM)  # 1984
MARGIN_LEFT_TWIPS = _mm_to_twips(MARGIN_LEFT_MM)  # 1587
MARGIN_RIGHT_TWIPS = _mm_to_twips(MARGIN_RIGHT_MM)  # 1474
TEXT_HEIGHT_TWIPS = PAGE_HEIGHT_TWIPS - MARGIN_TOP_TWIPS - MARGIN_BOTTOM_TWIPS  # 12756
TEXT_WIDTH_TWIPS = PAGE_WIDTH_TWIPS - MARGIN_LEFT_TWIPS - MARGIN_RIGHT_TWIPS  # 8845
# Rounded down so that 22 lines really fit: 579 twips = 28.95 pt.
LINE_PITCH_TWIPS = TEXT_HEIGHT_TWIPS // LINES_PER_PAGE
# Word: character pitch = default font size + charSpace/4096 pt; rounded down
# so that 28 characters fit: -842, a 15.79 pt pitch.
CHAR_SPACE = math.floor((TEXT_WIDTH_TWIPS / CHARS_PER_LINE / 20 - BODY_SIZE_PT) * 4096)
CHAR_PITCH_TWIPS = BODY_SIZE_PT * 20 + CHAR_SPACE * 20 / 4096  # ~315.9
# Per-run tightening of body text (see module docstring).  Anything from -6
# (LibreOffice's limit with the grid present) to -11 (29 would fit) gives 28.
CHAR_SPACING_TWIPS = -8
# Word puts the bottom of the footer paragraph at the footer distance; the
# page-number line is exactly 14 pt high, so its middle (the dashes) lands
# 7 mm below the text block.
FOOTER_DISTANCE_TWIPS = (
    MARGIN_BOTTOM_TWIPS - _mm_to_twips(PAGE_NUMBER_GAP_MM) - PAGE_NUMBER_SIZE_PT * 10
)
HEADER_DISTANCE_TWIPS = _mm_to_twips(15)

Kind = Literal["body", "heading1", "heading2", "heading3"]


@dataclass(frozen=True)
class Run:
    """A piece of text.  ``link`` is accepted for parity with the HTML
    rendering; the .docx keeps only the text."""

    text: str
    link: str | None = None
    # A run in another paragraph kind's font, e.g. a run-in "（一）…。" heading in 楷体.
    kind: Kind | None = None


@dataclass
class Paragraph:
    runs: Sequence[Run | str] | str
    kind: Kind = "body"

    @property
    def run_texts(self) -> list[str]:
        if isinstance(self.runs, str):
            return [self.runs]
        return [r if isinstance(r, str) else r.text for r in self.runs]

    @property
    def text(self) -> str:
        return "".join(self.run_texts)

    @property
    def styled_runs(self) -> list[tuple[str, Kind | None]]:
        if isinstance(self.runs, str):
            return [(self.runs, None)]
        return [(r, None) if isinstance(r, str) else (r.text, r.kind) for r in self.runs]


@dataclass
class Document:
    title: str  # "\n" splits a long title over several centred lines
    paragraphs: list[Paragraph] = field(default_factory=list)
    subtitle: str | None = None  # centred under the title, 3号 楷体
    issuer: str | None = None
    date: datetime.date | None = None


def format_chinese_date(date: datetime.date) -> str:
    """2018年3月1日: Arabic numerals, full year, no zero padding (7.3.5.1)."""
    return f"{date.year}年{date.month}月{date.day}日"


def write_docx(document: Document, target: str | Path | BinaryIO) -> None:
    """Render ``document`` as a GB/T 9704-2012 .docx into a path or binary stream."""
    doc = docx.Document()
    _setup_styles(doc)
    _setup_section(doc)
    _setup_font_table(doc)
    _setup_footers(doc)
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)

    _add_paragraph(doc, [document.title], _title_style(), "center")
    if document.subtitle:
        _add_paragraph(doc, [document.subtitle], _kind_style("heading2"), "center")
    _add_paragraph(doc, [], _kind_style("body"), "both")  # one blank line (7.3.2)
    for para in document.paragraphs:
        _add_paragraph(
            doc,
            [(text, _kind_style(kind) if kind else None) for text, kind in para.styled_runs],
            _kind_style(para.kind),
            "both",
            first_line_chars=2,
            keep_with_next=para.kind != "body",
        )
    _add_signature(doc, document.issuer, document.date)

    props = doc.core_properties
    props.title = document.title.replace("\n", "")
    props.subject = document.subtitle or ""
    props.author = props.last_modified_by = document.issuer or ""
    props.comments = props.keywords = ""
    props.language = LANGUAGE
    props.revision = 1
    _save_reproducibly(doc, target)


# Every part of the package is dated this (the earliest date a zip entry can carry).
ZIP_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def _save_reproducibly(doc, target: str | Path | BinaryIO) -> None:
    """Save ``doc`` so that the same document always gives the same bytes.

    python-docx stamps each part of the zip package with the moment it was written, so two
    renderings of one report would differ; a report regenerated later (or from a restored
    backup) must be byte-identical to the first.
    """
    written = io.BytesIO()
    doc.save(written)
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as package,
    ):
        for entry in source.infolist():
            part = zipfile.ZipInfo(entry.filename, date_time=ZIP_ENTRY_TIME)
            part.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(part, source.read(entry))


# --- Styles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    east_asia: str
    size_pt: float
    bold: bool = False
    outline_level: int | None = None
    western: str = WESTERN_FONT
    char_spacing: int = 0


def _kind_style(kind: str) -> _Style:
    body = {"size_pt": BODY_SIZE_PT, "char_spacing": CHAR_SPACING_TWIPS}
    if kind == "body":
        return _Style(BODY_FONT, **body)
    if kind == "heading1":
        return _Style(HEADING1_FONT, outline_level=0, **body)
    if kind == "heading2":
        return _Style(HEADING2_FONT, outline_level=1, **body)
    if kind == "heading3":
        return _Style(BODY_FONT, bold=True, outline_level=2, **body)
    raise ValueError(f"unknown paragraph kind: {kind!r}")


def _title_style() -> _Style:
    return _Style(TITLE_FONT, TITLE_SIZE_PT)


def _page_number_style() -> _Style:
    # 半角宋体: the digits are in 宋体 too, not the Latin font.
    return _Style(PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE_PT, western=PAGE_NUMBER_FONT)


# --- XML helpers -------------------------------------------------------------------------

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _el(tag: str, **attrs: str | int) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _run_properties(style: _Style) -> OxmlElement:
    """``w:rPr`` with explicit fonts for every script, children in schema order."""
    rpr = _el("w:rPr")
    w = style.western
    rpr.append(_el("w:rFonts", ascii=w, hAnsi=w, eastAsia=style.east_asia, cs=w, hint="eastAsia"))
    if style.bold:
        rpr.append(_el("w:b"))
        rpr.append(_el("w:bCs"))
    if style.char_spacing:
        rpr.append(_el("w:spacing", val=style.char_spacing))
    half_points = round(style.size_pt * 2)
    rpr.append(_el("w:sz", val=half_points))
    rpr.append(_el("w:szCs", val=half_points))
    return rpr


def _paragraph_properties(
    style: _Style,
    jc: str,
    *,
    line_twips: int = LINE_PITCH_TWIPS,
    char_twips: float = CHAR_PITCH_TWIPS,
    first_line_chars: float = 0,
    left_chars: float = 0,
    right_chars: float = 0,
    keep_with_next: bool = False,
    auto_space: bool = True,
) -> OxmlElement:
    """``w:pPr`` with children in schema order.  Indents are given in characters
    and written twice: ``*Chars`` (hundredths of a character, preferred by Word
    and WPS) and twips (LibreOffice)."""
    ppr = _el("w:pPr")
    if keep_with_next:
        ppr.append(_el("w:keepNext"))
    if not auto_space:  # no extra CJK/digit gap: widths stay whole half-characters
        ppr.append(_el("w:autoSpaceDE", val=0))
        ppr.append(_el("w:autoSpaceDN", val=0))
    ppr.append(_el("w:snapToGrid", val=0))
    ppr.append(_el("w:spacing", before=0, after=0, line=line_twips, lineRule="exact"))
    ind: dict[str, int] = {}
    if left_chars:
        ind |= {"leftChars": round(left_chars * 100), "left": round(left_chars * char_twips)}
    if right_chars:
        ind |= {"rightChars": round(right_chars * 100), "right": round(right_chars * char_twips)}
    if first_line_chars:
        ind |= {
            "firstLineChars": round(first_line_chars * 100),
            "firstLine": round(first_line_chars * char_twips),
        }
    if ind:
        ppr.append(_el("w:ind", **ind))
    ppr.append(_el("w:jc", val=jc))
    if style.outline_level is not None:
        ppr.append(_el("w:outlineLvl", val=style.outline_level))
    ppr.append(_run_properties(style))  # paragraph mark
    return ppr


def _add_paragraph(
    doc, texts: Sequence[str | tuple[str, _Style | None]], style: _Style, jc: str, **options
) -> None:
    """Add a paragraph; a text given as (text, style) is a run in that style."""
    paragraph = doc.add_paragraph()
    paragraph._p.insert(0, _paragraph_properties(style, jc, **options))
    for item in texts:
        text, run_style = (item, None) if isinstance(item, str) else item
        if text:
            run = paragraph.add_run(printable(text))  # "\n" becomes <w:br/>
            run._r.insert(0, _run_properties(run_style or style))


def _text_width_chars(text: str) -> float:
    """Width in characters: full-width CJK counts 1, half-width 0.5."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def _add_signature(doc, issuer: str | None, date: datetime.date | None) -> None:
    """Issuer and date of an unsealed document (7.3.5.2).

    The date normally gets a *left* indent (the issuer's start + 2 characters),
    so its position does not depend on how wide a reader sets the digits."""
    if not issuer and date is None:
        return
    style = _kind_style("body")
    date_text = format_chinese_date(date) if date is not None else ""
    issuer_w, date_w = _text_width_chars(issuer or ""), _text_width_chars(date_text)
    issuer_opts: dict = {"right_chars": 2}
    date_jc, date_opts = "right", {"right_chars": 2}
    if issuer and date_text:
        if date_w > issuer_w:
            issuer_opts = {"right_chars": 2 + 2 + date_w - issuer_w}
        else:
            date_jc, date_opts = "left", {"left_chars": CHARS_PER_LINE - issuer_w}
    _add_paragraph(doc, [], style, "both")  # one blank line
    if issuer:
        _add_paragraph(doc, [issuer], style, "right", auto_space=False, **issuer_opts)
    if date_text:
        _add_paragraph(doc, [date_text], style, date_jc, auto_space=False, **date_opts)


# --- Document-level setup ----------------------------------------------------------------


def _setup_styles(doc) -> None:
    body = _kind_style("body")
    defaults = doc.styles.element.find(qn("w:docDefaults"))

    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr_default.remove(rpr_default.find(qn("w:rPr")))
    rpr = _run_properties(body)  # replaces the template's theme fonts
    rpr.append(_el("w:lang", val="en-US", eastAsia=LANGUAGE, bidi="ar-SA"))
    rpr_default.append(rpr)

    ppr_default = defaults.find(qn("w:pPrDefault"))
    ppr_default.remove(ppr_default.find(qn("w:pPr")))
    ppr = _el("w:pPr")
    # No widow/orphan control: it pushes lines over and breaks 22 lines a page.
    ppr.append(_el("w:widowControl", val=0))
    ppr.append(_el("w:spacing", before=0, after=0, line=LINE_PITCH_TWIPS, lineRule="exact"))
    ppr.append(_el("w:jc", val="both"))
    ppr_default.append(ppr)

    # LibreOffice sizes the document grid from the Normal style's own East
    # Asian font size (12 pt when unset), not from the defaults above.
    doc.styles["Normal"].element.append(_run_properties(body))

    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)


def _setup_section(doc) -> None:
    section = doc.sections[0]
    section.page_width = Twips(PAGE_WIDTH_TWIPS)
    section.page_height = Twips(PAGE_HEIGHT_TWIPS)
    section.top_margin = Twips(MARGIN_TOP_TWIPS)
    section.bottom_margin = Twips(MARGIN_BOTTOM_TWIPS)
    section.left_margin = Twips(MARGIN_LEFT_TWIPS)
    section.right_margin = Twips(MARGIN_RIGHT_TWIPS)
    section.gutter = Twips(0)
    section.header_distance = Twips(HEADER_DISTANCE_TWIPS)
    section.footer_distance = Twips(FOOTER_DISTANCE_TWIPS)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:  # the default template has one; keep it last otherwise
        grid = _el("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _setup_font_table(doc) -> None:
    """List the CJK fonts with altName, charset 86 (GB2312) and family in
    word/fontTable.xml.  python-docx has no API for the font table and loads
    it as a plain part, so its XML blob is rewritten."""
    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    fonts = parse_xml(part.blob)
    table = FONT_TABLE | {TITLE_FONT: (TITLE_FONT_FALLBACK, "roman")}
    used = {TITLE_FONT, BODY_FONT, HEADING1_FONT, HEADING2_FONT, PAGE_NUMBER_FONT}
    for name in sorted(used):
        for existing in fonts.findall(qn("w:font")):
            if existing.get(qn("w:name")) == name:
                fonts.remove(existing)
        alt_name, family = table.get(name, (None, "auto"))
        font = _el("w:font", name=name)
        if alt_name:
            font.append(_el("w:altName", val=alt_name))
        font.append(_el("w:charset", val="86"))
        font.append(_el("w:family", val=family))
        font.append(_el("w:pitch", val="variable"))
        fonts.append(font)
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_runs(cached: int) -> list[OxmlElement]:
    """'— PAGE —': dashes around a real PAGE field.  The cached value is only
    shown until the reader lays out the page (Word and LibreOffice always
    recompute PAGE)."""
    style = _page_number_style()

    def run(child: OxmlElement) -> OxmlElement:
        r = _el("w:r")
        r.append(_run_properties(style))
        r.append(child)
        return r

    def text(tag: str, value: str) -> OxmlElement:
        t = _el(tag)
        t.text = value
        t.set(_XML_SPACE, "preserve")
        return t

    return [
        run(text("w:t", "— ")),
        run(_el("w:fldChar", fldCharType="begin")),
        run(text("w:instrText", " PAGE ")),
        run(_el("w:fldChar", fldCharType="separate")),
        run(text("w:t", str(cached))),
        run(_el("w:fldChar", fldCharType="end")),
        run(text("w:t", " —")),
    ]


def _setup_footers(doc) -> None:
    """Odd pages: number on the right; even pages: on the left (7.5).  "空一字"
    is taken as one page-number character (14 pt)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    style = _page_number_style()
    for footer, jc, side, cached in (
        (section.footer, "right", "right_chars", 1),  # default footer = odd pages
        (section.even_page_footer, "left", "left_chars", 2),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]._p
        for child in list(p):
            p.remove(child)
        p.append(
            _paragraph_properties(
                style,
                jc,
                line_twips=PAGE_NUMBER_SIZE_PT * 20,
                char_twips=PAGE_NUMBER_SIZE_PT * 20,
                **{side: 1},
            )
        )
        for r in _page_number_runs(cached):
            p.append(r)
