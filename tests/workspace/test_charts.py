import re

from xianan_lawgov.workspace.charts import Series, horizontal_bars, stacked_columns


def test_horizontal_bars_escape_labels_and_carry_their_numbers():
    chart = horizontal_bars("标题<script>", [("行政许可", 12), ("<b>其他</b>", 0)], measure="项")
    assert "<script>" not in chart.svg and "&lt;b&gt;其他&lt;/b&gt;" in chart.svg
    assert "12项" in chart.svg
    assert chart.rows == [["行政许可", "12"], ["<b>其他</b>", "0"]]
    assert 'role="img"' in chart.svg and "<title" in chart.svg
    assert not chart.empty


def test_a_chart_with_only_zeros_is_empty():
    assert horizontal_bars("空", [("甲", 0)]).empty
    assert stacked_columns("空", ["1月"], [Series("维持", [0])]).empty


def test_stacked_columns_total_each_category_in_the_table():
    chart = stacked_columns(
        "复议", ["1月", "2月"], [Series("维持", [1, 0]), Series("纠错", [2, 1])]
    )
    assert chart.headers == ["", "维持", "纠错", "合计"]
    assert chart.rows == [["1月", "1", "2", "3"], ["2月", "0", "1", "1"]]


def test_a_label_too_long_for_its_room_is_cut_with_an_ellipsis_and_kept_whole_in_the_table():
    long = "登记的住所（经营场所）无法联系"
    chart = horizontal_bars("检查结果", [("未发现问题", 4), (long, 1)])
    labels = re.findall(
        r'<text[^>]*text-anchor="end"[^>]*>(?:<title>(.*?)</title>)?([^<]*)<', chart.svg
    )
    (no_hint, fits), (hint, cut) = labels
    assert (no_hint, fits) == ("", "未发现问题")  # a label that fits is left alone
    assert hint == long  # the whole label on hover
    assert cut.endswith("…") and long.startswith(cut[:-1]) and len(cut) < len(long)
    assert [row[0] for row in chart.rows] == ["未发现问题", long]
