"""Password rules beyond Django's own, and what follows a password change.

The rules (``AUTH_PASSWORD_VALIDATORS``): at least ``PASSWORD_MIN_LENGTH`` characters, of at
least ``PASSWORD_MIN_CHARACTER_CLASSES`` of the four classes (upper case, lower case, digits,
other characters), not like the user's name, not a common password, not all digits.

An account whose password was set by someone else (created, or reset by the system
administrator) must change it at its first login; so must one whose password breaks the
rules (only allowed while DEBUG is on: the demo's ``demo``) or is older than
``PASSWORD_MAX_AGE_DAYS`` (when set).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xianan_lawgov.audit.log import acting_user, record
from xianan_lawgov.audit.models import Event

from .models import PasswordChangeReason, PasswordState, security_setting

CHARACTER_CLASSES = (
    (str.isupper, "大写字母"),
    (str.islower, "小写字母"),
    (str.isdigit, "数字"),
    (lambda c: not c.isalnum(), "其他符号"),
)


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper case, lower case, digits, other characters."""

    def __init__(self, min_classes: int | None = None) -> None:
        self.min_classes = min_classes or security_setting("PASSWORD_MIN_CHARACTER_CLASSES")

    def validate(self, password: str, user=None) -> None:
        used = sum(any(test(c) for c in password) for test, _label in CHARACTER_CLASSES)
        if used < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、其他符号中的至少 %(count)d 类。"),
                code="password_too_few_character_classes",
                params={"count": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、其他符号中的至少 %(count)d 类。") % {
            "count": self.min_classes
        }


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the length from ``PASSWORD_MIN_LENGTH`` and a Chinese message."""

    def __init__(self, min_length: int | None = None) -> None:
        super().__init__(min_length or security_setting("PASSWORD_MIN_LENGTH"))

    def get_error_message(self) -> str:
        return ngettext(
            "密码太短，至少需要 %(min_length)d 个字符。",
            "密码太短，至少需要 %(min_length)d 个字符。",
            self.min_length,
        ) % {"min_length": self.min_length}


class PasswordChangeRecorder:
    """Not a rule: Django tells every validator when a password has been set
    (``password_changed``); this one records when, and who set it."""

    def validate(self, password: str, user=None) -> None:
        return None

    def get_help_text(self) -> str:
        """The rules that follow from what is recorded: who set the password, and when."""
        rules = _("由他人（如系统管理员）设置的密码，须在账号首次登录时修改。")
        max_age = security_setting("PASSWORD_MAX_AGE_DAYS")
        if max_age:
            rules += _("密码使用满 %(days)d 天后须更换。") % {"days": max_age}
        return rules

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        actor = acting_user()
        by_another = actor is not None and actor.pk != user.pk
        PasswordState.objects.update_or_create(
            user=user,
            defaults={
                "changed_at": timezone.now(),
                "must_change": PasswordChangeReason.SET_BY_ANOTHER if by_another else "",
            },
        )
        if actor is not None:
            # Passwords set on the command line or by the demo loader are not a person's act
            # seen through a request; the audit log records what people do.
            event = Event.PASSWORD_RESET if by_another else Event.PASSWORD_CHANGE
            record(event, user=actor, subject=user.get_username())


def change_reason(user, password: str | None = None) -> str:
    """Why ``user`` must change their password before going on, or "" (checked at login)."""
    state = PasswordState.objects.filter(user=user).first()
    if state is not None and state.must_change:
        return state.must_change
    if password is not None and not settings.DEBUG and not meets_rules(password, user):
        return PasswordChangeReason.TOO_WEAK
    max_age = security_setting("PASSWORD_MAX_AGE_DAYS")
    if max_age:
        changed_at = state.changed_at if state is not None else user.date_joined
        if timezone.now() - changed_at > datetime.timedelta(days=max_age):
            return PasswordChangeReason.EXPIRED
    return ""


def meets_rules(password: str, user) -> bool:
    try:
        password_validation.validate_password(password, user)
    except ValidationError:
        return False
    return True
