"""Health endpoints for the load balancer and for monitoring.

- ``/healthz``: the process is up and answers (never touches the database).
- ``/readyz``: whether this server can do its work, check by check, as JSON.

Each check says whether it is *critical*: without it the server cannot answer requests
correctly (database, migrations, the shared cache), and /readyz answers 503, so the load
balancer takes the server out of rotation. The others (the worker, the holiday schedule)
leave the pages working but need an operator: they are listed as failing and the status
reads ``degraded``, still with 200, for monitoring to raise.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from registers.core.calendar import unconfirmed_schedules
from xianan_lawgov import __version__

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str
    critical: bool


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return Check("database", True, _("数据库可以连接。"), critical=True)


def check_migrations() -> Check:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return Check(
            "migrations",
            False,
            _("有 %(count)d 个数据库迁移尚未执行，请运行 manage.py migrate。")
            % {"count": len(pending)},
            critical=True,
        )
    return Check("migrations", True, _("数据库迁移均已执行。"), critical=True)


def check_cache() -> Check:
    # The cache every server shares is a database table (settings.CACHES): missing, every
    # rate-limited request would fail.
    cache.get("readyz")
    return Check("cache", True, _("共享缓存可用。"), critical=True)


def check_worker() -> Check:
    """When the background worker was last heard from.

    ``HEALTH_WORKER_HEARTBEAT`` names a function returning that moment (or None if never);
    the job queue sets it. Without a queue there is no worker to wait for.
    """
    if not settings.HEALTH_WORKER_HEARTBEAT:
        return Check("worker", True, _("未配置后台任务进程。"), critical=False)
    last_heard = import_string(settings.HEALTH_WORKER_HEARTBEAT)()
    limit = datetime.timedelta(seconds=settings.HEALTH_WORKER_SILENCE_SECONDS)
    if last_heard is None:
        return Check("worker", False, _("后台任务进程从未报告。"), critical=False)
    silence = timezone.now() - last_heard
    if silence > limit:
        return Check(
            "worker",
            False,
            _("后台任务进程已 %(minutes)d 分钟没有报告（上次：%(time)s）。")
            % {
                "minutes": int(silence.total_seconds() // 60),
                "time": timezone.localtime(last_heard).strftime("%Y-%m-%d %H:%M:%S"),
            },
            critical=False,
        )
    return Check("worker", True, _("后台任务进程运行正常。"), critical=False)


def check_holiday_schedule() -> Check:
    missing = unconfirmed_schedules(timezone.localdate())
    if missing:
        years = "、".join(str(year) for year in missing)
        return Check(
            "holiday_schedule",
            False,
            _(
                "%(years)s 年的节假日安排尚未确认，期限暂按法定节日和周末计算："
                "请在工作台“节假日安排”页面录入国务院通知，或升级 chinesecalendar。"
            )
            % {"years": years},
            critical=False,
        )
    return Check("holiday_schedule", True, _("节假日安排已确认。"), critical=False)


CHECKS: tuple[Callable[[], Check], ...] = (
    check_database,
    check_migrations,
    check_cache,
    check_worker,
    check_holiday_schedule,
)


def _run(check: Callable[[], Check]) -> Check:
    name = check.__name__.removeprefix("check_")
    try:
        return check()
    except DatabaseError as error:
        # The answer may be public: the details go to the log, not into the body.
        logger.error("Readiness check %s failed: %s", name, error)
        return Check(
            name, False, _("数据库出错（%(error)s）。") % {"error": type(error).__name__}, True
        )


def readiness() -> list[Check]:
    return [_run(check) for check in CHECKS]


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "alive", "version": __version__})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    if any(check.critical and not check.ok for check in checks):
        status, code = "not ready", 503
    elif not all(check.ok for check in checks):
        status, code = "degraded", 200
    else:
        status, code = "ready", 200
    body = {"status": status, "version": __version__, "checks": [asdict(c) for c in checks]}
    return JsonResponse(body, status=code, json_dumps_params={"ensure_ascii": False})
