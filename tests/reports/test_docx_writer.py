"""GB/T 9704-2012 layout of the .docx writer, checked by reading the file back."""

import datetime
import io
import math
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import time_machine
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Pt

from xianan_lawgov.reports import docx_writer as dw
from xianan_lawgov.reports.docx_writer import Document, Paragraph, Run, write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INTRO = (
    "2023年，在区委、区政府的坚强领导下，区司法局深入学习贯彻习近平法治思想，"
    "全面落实《法治政府建设实施纲要（2021—2025年）》，各项工作取得明显成效。"
)


def sample(issuer="咸宁市咸安区人民政府", date=datetime.date(2024, 3, 1)) -> Document:
    paragraphs = [Paragraph(INTRO)]
    for h1 in ("一、主要举措和成效", "二、存在的不足和原因", "三、下一步工作安排"):
        paragraphs.append(Paragraph(h1, "heading1"))
        for n, cn in enumerate("一二三", start=1):
            paragraphs += [
                Paragraph(f"（{cn}）坚持依法决策，推进重大行政决策规范化", "heading2"),
                Paragraph(f"{n}.完善合法性审查机制。", "heading3"),
                Paragraph(
                    [
                        Run("全年共审查规范性文件"),
                        Run("36", link="https://example.invalid/docs"),
                        "件，提出修改意见128条，备案审查率达100%。" + INTRO,
                    ]
                ),
            ]
    return Document(
        title="咸安区2023年度法治政府建设\n情况报告",
        paragraphs=paragraphs,
        issuer=issuer,
        date=date,
    )


def render(document: Document | None = None):
    buffer = io.BytesIO()
    write_docx(document or sample(), buffer)
    buffer.seek(0)
    return docx.Document(buffer), buffer


def east_asia(element) -> str | None:
    fonts = element.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def body_paragraphs(d):
    """Paragraphs after the title block (title, blank line)."""
    return d.paragraphs[2:]


# --- page -----------------------------------------------------------------------------


def test_a4_page_and_margins_in_mm():
    section = render()[0].sections[0]
    for actual, expected in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.left_margin, 28),
        (section.right_margin, 26),
        (section.bottom_margin, 35),
    ):
        assert actual.mm == pytest.approx(expected, abs=0.05)
    text_width = Emu(section.page_width - section.left_margin - section.right_margin)
    text_height = Emu(section.page_height - section.top_margin - section.bottom_margin)
    assert text_width.mm == pytest.approx(156, abs=0.1)
    assert text_height.mm == pytest.approx(225, abs=0.1)


def test_document_grid_gives_22_lines_of_28_characters():
    section = render()[0].sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch")))
    char_space = int(grid.get(qn("w:charSpace")))
    assert (line_pitch, char_space) == (579, -842)

    height = Emu(section.page_height - section.top_margin - section.bottom_margin).twips
    width = Emu(section.page_width - section.left_margin - section.right_margin).twips
    assert height // line_pitch == 22
    # Word: pitch = default font size (16 pt) + charSpace/4096 pt.
    char_pitch = 16 * 20 + char_space * 20 / 4096
    assert math.floor(width / char_pitch) == 28
    # The per-run tightening used instead of snapping also yields 28, not 29.
    assert math.floor(width / (16 * 20 + dw.CHAR_SPACING_TWIPS)) == 28


def test_body_lines_have_exact_grid_spacing():
    d = render()[0]
    for paragraph in body_paragraphs(d):
        fmt = paragraph.paragraph_format
        assert fmt.line_spacing == Pt(579 / 20)
        assert fmt.space_before == 0 and fmt.space_after == 0
        snap = paragraph._p.pPr.find(qn("w:snapToGrid"))
        assert snap.get(qn("w:val")) == "0"


# --- fonts ----------------------------------------------------------------------------


def test_title_is_22pt_xiaobiaosong_centred():
    d = render()[0]
    title = d.paragraphs[0]
    assert title.text == "咸安区2023年度法治政府建设\n情况报告"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.paragraph_format.line_spacing == Pt(579 / 20)
    for run in title.runs:
        assert run.font.size == Pt(22)
        assert east_asia(run._r) == "方正小标宋简体"
        assert run.font.name == "Times New Roman"  # ascii/hAnsi
    assert d.paragraphs[1].text == ""  # blank line under the title


def test_body_is_16pt_fangsong_indented_two_characters_justified():
    d = render()[0]
    intro = body_paragraphs(d)[0]
    assert intro.text == INTRO
    assert intro.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    ind = intro._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert int(ind.get(qn("w:firstLine"))) == pytest.approx(2 * 16 * 20, abs=10)
    for run in intro.runs:
        assert run.font.size == Pt(16)
        assert east_asia(run._r) == "仿宋"
        assert not run.font.bold


def test_heading_fonts():
    paragraphs = body_paragraphs(render()[0])
    by_text = {p.text: p for p in paragraphs}
    expected = {
        "一、主要举措和成效": ("黑体", False, "0"),
        "（一）坚持依法决策，推进重大行政决策规范化": ("楷体", False, "1"),
        "1.完善合法性审查机制。": ("仿宋", True, "2"),
    }
    for text, (font, bold, level) in expected.items():
        paragraph = by_text[text]
        (run,) = paragraph.runs
        assert run.font.size == Pt(16)
        assert east_asia(run._r) == font
        assert bool(run.font.bold) is bold
        assert paragraph.paragraph_format.keep_with_next
        assert paragraph._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == level
        ind = paragraph._p.pPr.find(qn("w:ind"))
        assert ind.get(qn("w:firstLineChars")) == "200"


def test_every_run_and_the_defaults_set_the_east_asian_font():
    d, buffer = render()
    with zipfile.ZipFile(buffer) as z:
        xml = {name: z.read(name) for name in z.namelist() if name.startswith("word/")}
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        part = docx.oxml.parse_xml(xml[name])
        runs = part.iter(qn("w:r"))
        for r in runs:
            assert east_asia(r), f"run without eastAsia font in {name}"
    defaults = d.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # theme fonts would win
    lang = defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}sz").get(qn("w:val")) == "32"
    assert east_asia(d.styles["Normal"].element) == "仿宋"


def test_font_table_lists_cjk_fonts_with_fallbacks():
    _, buffer = render()
    with zipfile.ZipFile(buffer) as z:
        fonts = docx.oxml.parse_xml(z.read("word/fontTable.xml"))
    table = {
        f.get(qn("w:name")): (
            f.findtext(f"{W}altName") is not None and f.find(f"{W}altName").get(qn("w:val")),
            f.find(f"{W}charset").get(qn("w:val")),
        )
        for f in fonts.iter(qn("w:font"))
    }
    assert table["方正小标宋简体"] == (dw.TITLE_FONT_FALLBACK, "86")
    assert table["仿宋"] == ("FangSong", "86")
    assert table["楷体"] == ("KaiTi", "86")
    assert table["黑体"] == ("SimHei", "86")


def test_font_constants_are_read_at_render_time(monkeypatch):
    monkeypatch.setattr(dw, "BODY_FONT", "仿宋_GB2312")
    d = render()[0]
    assert east_asia(body_paragraphs(d)[0].runs[0]._r) == "仿宋_GB2312"


# --- page numbers ---------------------------------------------------------------------


def footer_parts(paragraph):
    p = paragraph._p
    instr = "".join(t.text for t in p.iter(qn("w:instrText")))
    field_types = [f.get(qn("w:fldCharType")) for f in p.iter(qn("w:fldChar"))]
    return instr, field_types


def test_page_numbers_odd_right_even_left_with_dashes_and_page_field():
    d = render()[0]
    assert d.settings.odd_and_even_pages_header_footer
    section = d.sections[0]
    odd, even = section.footer, section.even_page_footer
    assert not odd.is_linked_to_previous and not even.is_linked_to_previous
    for footer, alignment, side in (
        (odd, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (even, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == alignment
        assert re.fullmatch(r"— \d —", paragraph.text)
        instr, field_types = footer_parts(paragraph)
        assert instr.strip() == "PAGE"
        assert field_types == ["begin", "separate", "end"]
        # one character in from the edge
        ind = paragraph._p.pPr.find(qn("w:ind"))
        assert int(ind.get(qn(f"w:{side}"))) == 14 * 20
        assert ind.get(qn(f"w:{side}Chars")) == "100"
        for run in paragraph.runs:
            assert run.font.size == Pt(14)
            assert run.font.name == "宋体"  # half-width 宋体 digits
            assert east_asia(run._r) == "宋体"


def test_footer_distance_puts_dashes_7mm_below_text_block():
    section = render()[0].sections[0]
    dash_from_bottom = section.footer_distance + Pt(14) / 2
    assert Emu(section.bottom_margin - dash_from_bottom).mm == pytest.approx(7, abs=0.1)


# --- content --------------------------------------------------------------------------


def test_text_round_trips_in_order():
    document = sample()
    d = render(document)[0]
    texts = [p.text for p in d.paragraphs]
    expected = [p.text for p in document.paragraphs]
    assert texts[0] == document.title
    assert texts[2 : 2 + len(expected)] == expected
    assert texts[2 + len(expected) :] == ["", "咸宁市咸安区人民政府", "2024年3月1日"]


def test_subtitle_is_centred_kaiti():
    document = Document(title="标题", paragraphs=[Paragraph("正文")], subtitle="（2023年度）")
    d = render(document)[0]
    assert [p.text for p in d.paragraphs] == ["标题", "（2023年度）", "", "正文"]
    subtitle = d.paragraphs[1]
    assert subtitle.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(subtitle.runs[0]._r) == "楷体"


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="unknown paragraph kind"):
        render(Document(title="标题", paragraphs=[Paragraph("x", kind="heading9")]))


def test_chinese_date_uses_unpadded_arabic_numerals():
    assert dw.format_chinese_date(datetime.date(2018, 3, 1)) == "2018年3月1日"
    assert dw.format_chinese_date(datetime.date(2024, 12, 31)) == "2024年12月31日"


def indent(paragraph, name):
    value = paragraph._p.pPr.find(qn("w:ind")).get(qn(f"w:{name}Chars"))
    return None if value is None else int(value) / 100


def test_signature_issuer_two_chars_in_and_date_two_chars_right_of_it():
    d = render()[0]
    issuer, date = d.paragraphs[-2:]
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert indent(issuer, "right") == 2
    # Issuer (10 characters) starts at column 28 - 2 - 10 = 16; date at 18.
    assert date.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert indent(date, "left") == 18


def test_signature_date_longer_than_issuer():
    d = render(sample(issuer="区司法局", date=datetime.date(2024, 12, 31)))[0]
    issuer, date = d.paragraphs[-2:]
    assert date.text == "2024年12月31日"  # 7 characters wide
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert indent(date, "right") == 2  # date starts at column 28 - 2 - 7 = 19
    assert indent(issuer, "right") == 2 + 2 + 7 - 4  # issuer starts at 17


def test_no_signature_without_issuer_and_date():
    document = sample(issuer=None, date=None)
    d = render(document)[0]
    assert d.paragraphs[-1].text == document.paragraphs[-1].text


def test_core_properties_and_path_target(tmp_path):
    target = tmp_path / "report.docx"
    write_docx(sample(), target)
    props = docx.Document(str(target)).core_properties
    assert props.title == "咸安区2023年度法治政府建设情况报告"
    assert props.language == "zh-CN"
    assert props.author == "咸宁市咸安区人民政府"


def test_the_same_document_written_at_another_time_is_byte_identical():
    with time_machine.travel(datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        first = render()[1].getvalue()
    with time_machine.travel(datetime.datetime(2025, 7, 9, 17, 31, 5, tzinfo=datetime.UTC)):
        second = render()[1].getvalue()
    assert first == second


# --- optional: render with LibreOffice ------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def pdf_lines(pdf, page):
    """(xMin, xMax, text) of each text line on a page, via pdftotext -bbox-layout."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = []
    for m in re.finditer(
        r'<line xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>(.*?)</line>', html, re.S
    ):
        words = re.findall(r"<word[^>]*>(.*?)</word>", m.group(3))
        lines.append((float(m.group(1)), float(m.group(2)), "".join(words)))
    return lines


def _has_writer() -> bool:
    """Whether LibreOffice's word processor is installed (Debian ships it separately)."""
    program = Path(os.path.realpath(SOFFICE)).parent
    return any((program / name).exists() for name in ("libswlo.so", "swriter", "swriter.bin"))


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) not installed")
def test_libreoffice_renders_official_layout(tmp_path):
    source = tmp_path / "sample.docx"
    write_docx(sample(), source)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "sample.pdf"
    if not pdf.exists() and not _has_writer():
        pytest.skip("this LibreOffice cannot open documents (Writer is not installed)")
    assert pdf.exists()
    if shutil.which("pdftoppm"):  # PNGs of the first two pages, for a human look
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "2",
                str(pdf),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        assert len(list(tmp_path.glob("page-*.png"))) == 2
    if not shutil.which("pdftotext"):
        return
    page_width = 595.3  # A4 in pt
    for page, number in ((1, "1"), (2, "2")):
        lines = pdf_lines(pdf, page)
        x_min, x_max, footer = lines[-1]
        assert footer == f"—{number}—"
        if page == 1:  # odd: right, one 14 pt character inside the 26 mm margin
            assert page_width - x_max == pytest.approx(26 / 25.4 * 72 + 14, abs=3)
        else:  # even: left
            assert x_min == pytest.approx(28 / 25.4 * 72 + 14, abs=3)
    body = pdf_lines(pdf, 2)[:-1]
    assert len(body) == 22  # a full page holds 22 lines
    widths = [sum(1 if ord(c) > 0x2000 else 0.5 for c in text) for _, _, text in body]
    assert max(widths) == 28  # and a full line 28 characters
    assert "坚持依法决策" in "".join(text for *_, text in pdf_lines(pdf, 1))


def test_a_run_in_heading_is_set_in_the_level_2_font_inside_a_body_paragraph(tmp_path):
    target = tmp_path / "runin.docx"
    dw.write_docx(
        dw.Document(
            title="标题",
            paragraphs=[
                dw.Paragraph(
                    runs=[dw.Run("（一）扎实推进。", kind="heading2"), dw.Run("认真履行职责。")],
                    kind="body",
                )
            ],
        ),
        target,
    )
    paragraph = docx.Document(str(target)).paragraphs[2]
    fonts = [run._r.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs]
    assert fonts == [dw.HEADING2_FONT, dw.BODY_FONT]
    assert paragraph.text == "（一）扎实推进。认真履行职责。"
