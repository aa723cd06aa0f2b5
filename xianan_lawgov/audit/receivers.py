"""What the audit log hears from the rest of the system: logins and logouts, changes to
accounts' roles, units and status, and the publication of the annual report. (Lockouts,
two-factor, passwords, tokens and sessions are recorded where they happen, in
``xianan_lawgov.accounts``; downloads by ``AuditMiddleware``.)"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from registers.models import Unit, User
from xianan_lawgov.reports.signals import report_published

from .log import record
from .models import Event, Outcome

#: Set on a request whose login was refused because the account or address was locked.
REFUSED_WHILE_LOCKED = "lawgov_refused_while_locked"


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    record(Event.LOGIN, request=request, user=user, detail=_("用户名和密码"))


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Event.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, REFUSED_WHILE_LOCKED, False):
        reason = _("账号或地址已被锁定，未核对密码")
    else:
        reason = _("用户名或密码错误")
    event = Event.TWO_FACTOR if credentials.get("two_factor") else Event.LOGIN
    if event == Event.TWO_FACTOR:
        reason = _("验证码或恢复码错误")
    record(
        event,
        outcome=Outcome.FAILURE,
        request=request,
        user=None,
        username=credentials.get("username") or "",
        detail=reason,
    )


# --- Accounts: role, unit, active and superuser changes ------------------------------------

_WATCHED = ("role", "unit_id", "is_active", "is_superuser")


@receiver(pre_save, sender=User)
def remember_account(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (
        update_fields is not None
        and not {"role", "unit", "is_active", "is_superuser"} & set(update_fields)
    ):
        instance._audit_before = None
        return
    instance._audit_before = sender.objects.filter(pk=instance.pk).values(*_WATCHED).first()


@receiver(post_save, sender=User)
def account_saved(sender, instance, created, **kwargs):
    if created:
        record(
            Event.USER_CREATE,
            subject=instance.username,
            detail=_("角色：%(role)s；单位：%(unit)s")
            % {"role": _role_label(instance.role), "unit": _unit_name(instance.unit_id)},
        )
        return
    before = getattr(instance, "_audit_before", None)
    if not before:
        return
    if before["role"] != instance.role:
        record(
            Event.ROLE_CHANGE,
            subject=instance.username,
            detail=f"{_role_label(before['role'])} → {_role_label(instance.role)}",
        )
    if before["unit_id"] != instance.unit_id:
        record(
            Event.UNIT_CHANGE,
            subject=instance.username,
            detail=f"{_unit_name(before['unit_id'])} → {_unit_name(instance.unit_id)}",
        )
    changes = []
    if before["is_active"] != instance.is_active:
        changes.append(_("启用账号") if instance.is_active else _("停用账号"))
    if before["is_superuser"] != instance.is_superuser:
        changes.append(_("设为超级用户") if instance.is_superuser else _("取消超级用户"))
    if changes:
        record(Event.ACCOUNT_CHANGE, subject=instance.username, detail="；".join(changes))


def _role_label(value: str) -> str:
    """The role as the account's form names it (no role: 未分配角色)."""
    return str(dict(User._meta.get_field("role").flatchoices).get(value, value or "—"))


def _unit_name(unit_id: int | None) -> str:
    if unit_id is None:
        return _("无")
    return Unit.objects.filter(pk=unit_id).values_list("name", flat=True).first() or str(unit_id)


# --- The annual report -----------------------------------------------------------------------


@receiver(report_published)
def report_was_published(sender, published, by, **kwargs):
    record(
        Event.REPORT_PUBLISH,
        user=by,
        subject=published.title,
        detail=_("%(year)s 年度，第 %(version)s 版")
        % {"year": published.year, "version": published.version},
    )
