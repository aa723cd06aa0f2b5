from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from registers.core import attachments
from registers.core.models import AttachmentKind
from registers.core.text import validate_plain_text
from xianan_lawgov.accounts.passwords import change_reason


class FormRenderer(TemplatesSetting):
    """Every page's form field looks and reads the same: ``{{ field.as_field_group }}``."""

    field_template_name = "forms/field.html"


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意区分大小写。"),
        "inactive": _("该账号已停用，请联系法制办。"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Whether the password just typed must be changed before going on (set by someone
        # else, too weak for the rules, too old): read when the login is recorded.
        user.password_change_reason = change_reason(user, self.cleaned_data.get("password"))


class ReviewForm(forms.Form):
    """Approve, or return with a comment the liaison will read."""

    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "退回修改时必须填写，请写明需要修改的内容；重新打开已审核的记录时填写更正原因。"
            "联络员会在工作台和通知中看到。"
        ),
        max_length=2000,
        validators=[validate_plain_text],
    )
    # The revision of the record the reviewer was shown: a record changed since is not
    # approved or returned unseen (registers.core.revisions).
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class AttachmentForm(forms.Form):
    """A file added to a record from its page (checked by content before it is stored)."""

    file = forms.FileField(label=_("文件"))
    kind = forms.ChoiceField(
        label=_("材料类型"), choices=AttachmentKind.choices, initial=AttachmentKind.OTHER
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = attachments.help_text()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        attachments.check_upload(upload)
        return upload
