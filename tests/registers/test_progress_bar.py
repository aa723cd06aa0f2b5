from io import StringIO

from django.core.management.base import OutputWrapper

from registers.core.progress import ProgressBar, track


def test_progress_bar_in_a_log_prints_plain_lines_and_ends_complete():
    out = StringIO()
    with ProgressBar(4, stream=out, label="载入", interactive=False) as bar:
        for _step in range(4):
            bar.advance(note="步骤")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("载入 [") and "25%  1/4 步骤" in lines[0]
    assert lines[-1].endswith("100%  4/4") or "100%  4/4" in lines[-1]
    assert len(lines) == 4


def test_progress_bar_limits_the_lines_of_a_large_count():
    out = StringIO()
    for _item in track(range(1000), stream=out, label="生成"):
        pass
    lines = out.getvalue().splitlines()
    assert 5 <= len(lines) <= 21
    assert "1000/1000" in lines[-1]


def test_progress_bar_on_a_terminal_redraws_one_line():
    out = StringIO()
    bar = ProgressBar(2, stream=OutputWrapper(out), label="载入", interactive=True)
    bar.advance()
    bar.advance()
    bar.finish()
    text = out.getvalue()
    assert text.count("\r") == 3 and text.count("\n") == 1
    assert "[" + "#" * 30 + "]" in text
