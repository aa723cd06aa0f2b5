from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _


def one_time_code_field(*, max_length: int, help_text: str, inputmode: str) -> forms.CharField:
    """The box for a code the authenticator app shows, filled in by the browser from it."""
    return forms.CharField(
        label=_("验证码"),
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": inputmode, "autofocus": True}
        ),
    )


class CodeForm(forms.Form):
    code = one_time_code_field(
        max_length=20,
        help_text=_("身份验证器应用显示的 6 位数字；手机丢失时可填一个恢复码。"),
        inputmode="text",
    )


class EnrolForm(forms.Form):
    code = one_time_code_field(
        max_length=10, help_text=_("扫码后应用显示的 6 位数字。"), inputmode="numeric"
    )


class NewPasswordForm(PasswordChangeForm):
    """Django's form: the current password, then the new one twice, checked by the rules."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("当前密码不正确。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise forms.ValidationError(_("新密码不能与当前密码相同。"), code="password_unchanged")
        return new
