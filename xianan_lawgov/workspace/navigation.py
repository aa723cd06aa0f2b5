"""The header every page shares: who is logged in, the menu they get, their unread count."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.core import permissions
from registers.core.calendar import unconfirmed_schedules
from registers.core.roles import Role
from xianan_lawgov.accounts.sessions import owes_login_step

from .models import Notification


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


class Navigation:
    """Evaluated lazily: pages that never show the header cost no query for it."""

    def __init__(self, request) -> None:
        self.request = request
        self.user = getattr(request, "user", None)

    @cached_property
    def role(self) -> Role | None:
        return permissions.role_of(self.user)

    @cached_property
    def is_office(self) -> bool:
        return permissions.is_office(self.user)

    @cached_property
    def uses_pages(self) -> bool:
        """A person's menu, once their login is complete (no second factor or new password
        still owed: until then only the step and logging out are open)."""
        return permissions.uses_pages(self.user) and not owes_login_step(self.request)

    @cached_property
    def may_submit(self) -> bool:
        return permissions.may_submit(self.user)

    @cached_property
    def unread(self) -> int:
        if not self.uses_pages:
            return 0
        return Notification.objects.for_user(self.user).unread().count()

    @cached_property
    def schedules_awaited(self) -> list[int]:
        """For the office: the years whose holiday schedule should be entered now (this year,
        and next year from 1 November), as the readiness check reports them."""
        if not (self.uses_pages and self.is_office):
            return []
        return unconfirmed_schedules(timezone.localdate())

    @cached_property
    def items(self) -> list[NavItem]:
        if not self.uses_pages:
            return []
        path = self.request.path
        entries = [
            (_("工作台"), reverse("workspace:home"), path == "/"),
            (_("台账"), reverse("workspace:registers"), path.startswith("/registers/")),
            (_("审查与案件"), reverse("workspace:cases"), path.startswith("/cases/")),
            (_("期限提醒"), reverse("reviews:deadline_board"), path.startswith("/deadlines/")),
            (_("我的期限"), reverse("workspace:my_deadlines"), path.startswith("/my-deadlines/")),
        ]
        if self.is_office:
            entries.append(
                (_("审核"), reverse("workspace:review_queue"), path.startswith("/review/"))
            )
            entries.append(
                (
                    _("节假日安排"),
                    reverse("workspace:holiday_schedule"),
                    path.startswith("/holidays/"),
                )
            )
        entries.append((_("年度报告"), reverse("reports:index"), path.startswith("/reports/")))
        if self.may_submit:
            entries.append(
                (_("数据报送"), reverse("registers:exchange"), path.startswith("/data/"))
            )
        entries.append((_("后台任务"), reverse("workspace:jobs"), path.startswith("/jobs/")))
        entries.append((_("管理后台"), reverse("admin:index"), path.startswith("/admin/")))
        return [NavItem(str(label), url, active) for label, url, active in entries]


def navigation(request) -> dict:
    return {"nav": Navigation(request)}
