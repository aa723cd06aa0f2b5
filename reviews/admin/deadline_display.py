"""Showing computed statutory deadlines on admin pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from registers.core.deadlines import Deadline


def _due_text(deadline: Deadline) -> str:
    if deadline.provisional:
        return _("%(due)s（暂定）") % {"due": deadline.due.isoformat()}
    return deadline.due.isoformat()


def deadline_table(deadlines: Iterable[Deadline]) -> SafeString:
    """A table of deadlines: what, when, how it was computed, and the rule with its article."""
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (deadline.label, _due_text(deadline), deadline.explain(), deadline.rule)
            for deadline in deadlines
        ),
    )
    if not rows:
        return format_html("<p>{}</p>", _("暂无可计算的法定期限。"))
    return format_html(
        "<table class='deadline-table'><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
        "</tr></thead><tbody>{}</tbody></table>",
        _("期限"),
        _("届满日期"),
        _("计算过程"),
        _("依据"),
        rows,
    )
