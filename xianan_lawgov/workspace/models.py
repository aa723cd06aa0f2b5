from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registers.core.constraints import unique
from registers.core.fields import optional_moment, part_of


class NotificationKind(models.TextChoices):
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")
    DUE_SOON = "due_soon", _("期限将至")
    OVERDUE = "overdue", _("已逾期")
    REPORT_PUBLISHED = "report_published", _("年度报告发布")
    DEADLINE_MOVED = "deadline_moved", _("期限变动")

    @property
    def css(self) -> str:
        return {
            NotificationKind.RETURNED: "warn",
            NotificationKind.APPROVED: "ok",
            NotificationKind.DUE_SOON: "warn",
            NotificationKind.OVERDUE: "bad",
            NotificationKind.REPORT_PUBLISHED: "ok",
            NotificationKind.DEADLINE_MOVED: "warn",
        }[self]


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a user should know about: their record was reviewed, a deadline is near…"""

    user = part_of(settings.AUTH_USER_MODEL, _("接收人"), related_name="notifications")
    kind = models.CharField(_("类别"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    key = models.CharField(
        _("去重键"),
        max_length=300,
        blank=True,
        help_text=_("同一接收人同一键只通知一次（如某事项某日的期限提醒）。"),
    )
    created_at = models.DateTimeField(_("通知时间"), default=timezone.now, db_index=True)
    read_at = optional_moment(_("已读时间"))

    objects = NotificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("通知")
        constraints = [
            unique(
                "user",
                "key",
                rule="unique_key",
                message=_("这条通知已经发给该用户。"),
                code="duplicate_notification",
                condition=~Q(key=""),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="workspace_notif_user_read"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_enum(self) -> NotificationKind:
        return NotificationKind(self.kind)
