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
