"""The security audit log (安全审计): who did what that matters to security, from where, when,
and whether it succeeded. Separate from the records' history, which says how data changed.

Entries are written once and never changed or deleted through the application; only
``purge_security_events`` removes entries older than the retention period (at least 180
days, 网络安全法 art. 21).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.core.fields import person_field

#: The law's minimum (网络安全法 art. 21: network logs kept no less than six months).
MINIMUM_RETENTION_DAYS = 180


class Event(models.TextChoices):
    LOGIN = "login", _("登录")
    TWO_FACTOR = "two_factor", _("双因素验证")
    LOGOUT = "logout", _("退出登录")
    LOCKOUT = "lockout", _("账号锁定")
    UNLOCK = "unlock", _("解除锁定")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置他人密码")
    TWO_FACTOR_ENROL = "two_factor_enrol", _("启用双因素认证")
    TWO_FACTOR_REMOVE = "two_factor_remove", _("停用或重置双因素认证")
    RECOVERY_CODES = "recovery_codes", _("生成恢复码")
    TWO_FACTOR_POLICY = "two_factor_policy", _("修改双因素认证要求")
    SESSION_END = "session_end", _("结束会话")
    TOKEN_CREATE = "token_create", _("创建接口令牌")
    TOKEN_REVOKE = "token_revoke", _("撤销接口令牌")
    TOKEN_USE = "token_use", _("接口令牌当日首次使用")
    CALENDAR_FEED = "calendar_feed", _("生成或重置日历订阅地址")
    USER_CREATE = "user_create", _("创建账号")
    ROLE_CHANGE = "role_change", _("变更角色")
    UNIT_CHANGE = "unit_change", _("变更所属单位")
    ACCOUNT_CHANGE = "account_change", _("启用、停用账号或变更超级用户")
    EXPORT = "export", _("导出或下载")
    REPORT_PUBLISH = "report_publish", _("发布年度报告")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("security audit entries are never changed")

    def delete(self):
        raise PermissionError("security audit entries are removed only by purge_before")

    def purge_before(self, cutoff: datetime.datetime) -> int:
        """Delete entries older than ``cutoff``, which must leave the legal minimum."""
        if cutoff > timezone.now() - datetime.timedelta(days=MINIMUM_RETENTION_DAYS):
            raise ValueError(f"entries are kept at least {MINIMUM_RETENTION_DAYS} days")
        count, _rows = models.QuerySet.delete(self.filter(occurred_at__lt=cutoff))
        return count


class SecurityEvent(models.Model):
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    event = models.CharField(_("事件"), max_length=30, choices=Event.choices, db_index=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    user = person_field(_("操作账号"))
    # Kept as written: the account may be renamed or deleted later, and a failed login
    # names an account that may not exist.
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    subject = models.CharField(
        _("对象"), max_length=200, blank=True, help_text=_("受影响的账号、令牌或报告。")
    )
    detail = models.TextField(_("详情"), blank=True)
    rows = models.PositiveIntegerField(_("行数"), null=True, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = verbose_name_plural = _("安全审计日志")
        indexes = [models.Index(fields=["event", "occurred_at"], name="audit_event_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_event_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("security audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("security audit entries are removed only by purge_before")
