"""Deployment checks (``manage.py check --deploy``) for the separation of duties."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from xianan_lawgov.audit.models import MINIMUM_RETENTION_DAYS


@checks.register(checks.Tags.security, deploy=True)
def no_account_holds_every_duty(app_configs=None, **kwargs):
    """三员分立: a superuser is system administrator, security administrator and auditor at
    once; in production each duty belongs to its own account."""
    if settings.DEBUG:
        return []
    from registers.models import User

    try:
        names = list(
            User.objects.filter(is_superuser=True, is_active=True).values_list(
                "username", flat=True
            )
        )
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    if not names:
        return []
    return [
        checks.Warning(
            "Active superusers hold the system administrator's, security administrator's "
            f"and auditor's duties at once: {', '.join(names)}.",
            hint=(
                "Give each duty its own account (roles 系统管理员, 安全管理员, 安全审计员) and "
                "clear these accounts' superuser status."
            ),
            id="accounts.W001",
        )
    ]


@checks.register(checks.Tags.security)
def audit_log_is_kept_long_enough(app_configs=None, **kwargs):
    days = settings.LAWGOV_SECURITY["AUDIT_RETENTION_DAYS"]
    if days >= MINIMUM_RETENTION_DAYS:
        return []
    return [
        checks.Error(
            f"LAWGOV_AUDIT_RETENTION_DAYS is {days}; the audit log must be kept at least "
            f"{MINIMUM_RETENTION_DAYS} days (网络安全法 art. 21).",
            id="accounts.E001",
        )
    ]
