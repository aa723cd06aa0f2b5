"""Security state of accounts: API tokens, login lockouts, password state, login sessions
and the two-factor requirement of each role."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from registers.core.constraints import required_when
from registers.core.fields import optional_moment, part_of, person_field
from registers.core.roles import Role


def security_setting(name: str):
    return settings.LAWGOV_SECURITY[name]


# --- API tokens ---------------------------------------------------------------------------


def hash_key(key: str) -> str:
    """A token is stored as the SHA-256 of its key: a key is 40 random characters, so a
    fast hash is enough (nothing to guess), and a database leak reveals no usable token."""
    return hashlib.sha256(key.encode()).hexdigest()


def default_token_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=security_setting("TOKEN_LIFETIME_DAYS"))


#: The roles whose accounts may hold a token (``Role.holds_tokens``).
TOKEN_ROLES = [role for role in Role if role.holds_tokens]


class ApiToken(models.Model):
    """A named key a system calls the API with; only an API client's account holds one
    (``Role.holds_tokens``)."""

    user = part_of(settings.AUTH_USER_MODEL, _("账号"), related_name="api_tokens")
    name = models.CharField(
        _("名称"), max_length=100, help_text=_("用途或使用方，如“市政府数据共享平台”。")
    )
    prefix = models.CharField(_("令牌开头"), max_length=8, editable=False)
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    grants_personal_data = models.BooleanField(
        _("可查看个人信息"),
        default=False,
        help_text=_(
            "勾选后接口客户端可看到申请人、原告、被问责人、法定代表人姓名和联系电话；"
            "不勾选时这些信息做脱敏处理（个人信息保护法：最小必要）。"
        ),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = person_field(_("创建人"), editable=False)
    expires_at = models.DateTimeField(_("到期时间"), default=default_token_expiry)
    last_used_at = optional_moment(_("最近使用"), editable=False)
    revoked_at = optional_moment(_("撤销时间"), editable=False)
    revoked_by = person_field(_("撤销人"), editable=False)

    class Meta:
        ordering = ["user__username", "-created_at"]
        verbose_name = verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def clean(self) -> None:
        super().clean()
        if self.user_id is not None and self.user.role not in TOKEN_ROLES:
            raise ValidationError(
                {
                    "user": ValidationError(
                        _(
                            "令牌只能发给接口客户端账号。工作人员、联络员和管理员用本人的密码"
                            "（和双因素验证码）登录，不用令牌。"
                        ),
                        code="not_api_client",
                    )
                }
            )

    @classmethod
    def new_key(cls) -> str:
        return secrets.token_urlsafe(30)

    def set_key(self, key: str) -> None:
        self.prefix = key[:8]
        self.key_hash = hash_key(key)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


# --- Personal calendar feeds --------------------------------------------------------------


class CalendarFeed(models.Model):
    """A person's secret calendar address (``/calendar/<key>.ics``): calendar apps cannot log
    in, so the key is the credential. Stored, like an API token's, only as a hash: a
    database leak gives no usable address; the address is shown once, when it is made, and
    making a new one (a reset) ends the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    key_hash = models.CharField(_("地址摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("日历订阅")
        ordering = ["user"]

    def __str__(self) -> str:
        return str(self.user)


# --- Login lockouts ---------------------------------------------------------------------


class LockoutQuerySet(models.QuerySet):
    def active(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, until__gt=now)

    def matching(self, username: str | None, address: str | None):
        condition = Q(pk__in=[])
        if username:
            condition |= Q(username=username)
        if address:
            condition |= Q(address=address)
        return self.filter(condition)


class Lockout(models.Model):
    """Logins refused for a user name or from an address after repeated failures."""

    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True, db_index=True)
    failures = models.PositiveIntegerField(_("失败次数"))
    locked_at = models.DateTimeField(_("锁定时间"), default=timezone.now)
    until = models.DateTimeField(_("自动解除时间"))
    lifted_at = optional_moment(_("人工解除时间"))
    lifted_by = person_field(_("解除人"))

    objects = LockoutQuerySet.as_manager()

    class Meta:
        ordering = ["-locked_at"]
        verbose_name = verbose_name_plural = _("登录锁定")
        constraints = [
            required_when(
                "address",
                Q(username=""),
                rule="names_whom",
                message=_("登录锁定须写明用户名或地址。"),
                code="lockout_without_subject",
            )
        ]

    def __str__(self) -> str:
        return self.username or str(self.address)

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.until > timezone.now()


# --- Passwords ------------------------------------------------------------------------------


class PasswordChangeReason(models.TextChoices):
    SET_BY_ANOTHER = "set_by_another", _("密码由他人设置或重置，首次登录须修改")
    TOO_WEAK = "too_weak", _("密码不符合当前的密码规则")
    EXPIRED = "expired", _("密码已超过最长使用期限")


class PasswordState(models.Model):
    """When an account's password was last set, and whether its holder must change it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="password_state",
        verbose_name=_("账号"),
    )
    changed_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    must_change = models.CharField(
        _("须修改密码"), max_length=20, choices=PasswordChangeReason.choices, blank=True
    )

    class Meta:
        ordering = ["user"]
        verbose_name = verbose_name_plural = _("密码状态")

    def __str__(self) -> str:
        return str(self.user)


# --- Login sessions -----------------------------------------------------------------------


class LoginSession(models.Model):
    """A browser session an account is logged in with (listed on the account page)."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近活动"), default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = verbose_name_plural = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"


# --- Two-factor requirement -------------------------------------------------------------


class TwoFactorRequirement(models.TextChoices):
    DEFAULT = "default", _("按系统设置")
    REQUIRED = "required", _("必须")
    OPTIONAL = "optional", _("可选")


class RolePolicy(models.Model):
    """Whether a role must log in with two factors (the office may change it per role)."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, unique=True)
    two_factor = models.CharField(
        _("双因素认证"),
        max_length=10,
        choices=TwoFactorRequirement.choices,
        default=TwoFactorRequirement.DEFAULT,
        help_text=_("“按系统设置”即 LAWGOV_TWO_FACTOR_ROLES（DEBUG 关闭时默认法制办和三员必须）。"),
    )

    class Meta:
        ordering = ["role"]
        verbose_name = verbose_name_plural = _("双因素认证要求")

    def __str__(self) -> str:
        return str(Role(self.role).label)


class AuthenticatorDevice(TOTPDevice):
    """An account's authenticator app, as the security administrator sees it."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = _("双因素认证设备")
