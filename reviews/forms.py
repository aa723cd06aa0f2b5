from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.deadline_board import DEFAULT_HORIZON_WORKING_DAYS


class DeadlineBoardForm(forms.Form):
    days = forms.IntegerField(
        label=_("未来工作日数"),
        min_value=1,
        max_value=60,
        initial=DEFAULT_HORIZON_WORKING_DAYS,
        help_text=_("显示此后若干个工作日内到期的事项；已逾期的总是显示。"),
    )
