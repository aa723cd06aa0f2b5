"""The background worker: runs queued jobs, records a heartbeat and starts the daily ones.

    python manage.py run_worker            # until stopped (Ctrl-C, SIGTERM: after the job)
    python manage.py run_worker --batch    # run what is waiting, then stop

One worker is enough for the district; more may run (each job is claimed by one).
"""

from __future__ import annotations

import logging
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from registers.core import jobs

logger = logging.getLogger(__name__)


def worker(*, batch: bool, interval: float = 1.0) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=jobs.worker_name()[:64],
        excluded_queue_names=[],
    )


def pulse() -> None:
    """One heartbeat and one look at the schedule."""
    jobs.beat()
    jobs.run_schedule()


class Command(BaseCommand):
    help = "运行后台任务进程：执行排队的任务（邮件、大文件上传、报告文件、期限提醒）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="执行完正在等待的任务后退出（不运行定时任务）。"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="没有任务时每隔几秒查看一次队列。"
        )

    def handle(self, *args, batch: bool, interval: float, **options):
        jobs.beat()
        recovered = jobs.recover_interrupted()
        if recovered:
            logger.warning("%d job(s) interrupted by a stopped worker were queued again", recovered)
        if not batch:
            self.stdout.write(
                f"后台任务进程已启动（{jobs.worker_name()}），Ctrl-C 停止。", self.style.SUCCESS
            )
            threading.Thread(target=self._pulse_forever, daemon=True).start()
        runner = worker(batch=batch, interval=interval)
        runner.configure_signals()
        runner.run()

    def _pulse_forever(self) -> None:
        period = jobs.config()["HEARTBEAT_SECONDS"]
        stop = threading.Event()
        while not stop.is_set():
            try:
                close_old_connections()
                pulse()
            except Exception:
                logger.exception("The worker's heartbeat or schedule failed")
            finally:
                connection.close()
            stop.wait(period)
