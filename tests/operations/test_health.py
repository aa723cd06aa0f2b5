"""/healthz and /readyz: what the load balancer and monitoring are told, check by check."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from registers.core import jobs
from registers.core.models import HolidaySchedule
from tests.factories import make_user
from xianan_lawgov import __version__, health

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(*date):
    return time_machine.travel(datetime.datetime(*date, 10, 0, tzinfo=SHANGHAI), tick=False)


def readyz(client, *date):
    """/readyz as it answers at 10:00 on ``date``, the worker having just reported."""
    with at(*date):
        jobs.beat()
        return client.get("/readyz")


def checks_of(response) -> dict:
    return {check["name"]: check for check in response.json()["checks"]}


# Years the calendar package will never know, so the tests hold whatever version is installed.
def confirm(year: int) -> None:
    HolidaySchedule.objects.create(year=year, confirmed_by=make_user())


def test_healthz_answers_without_touching_the_database(client):
    # No database for this test: a query would raise instead of answering.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive", "version": __version__}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_every_check_passes(client):
    response = readyz(client, 2017, 6, 1)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["version"] == __version__
    assert list(checks_of(response)) == [
        "database",
        "migrations",
        "cache",
        "worker",
        "holiday_schedule",
    ]
    assert all(check["ok"] for check in body["checks"])
    assert checks_of(response)["worker"]["message"] == "后台任务进程运行正常。"


@pytest.mark.django_db
def test_an_unapplied_migration_takes_the_server_out_of_rotation(client):
    latest = MigrationRecorder.Migration.objects.filter(app="registers").latest("id")
    latest.delete()
    response = readyz(client, 2017, 6, 1)
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    migrations = checks_of(response)["migrations"]
    assert migrations["ok"] is False
    assert migrations["message"] == "有 1 个数据库迁移尚未执行，请运行 manage.py migrate。"


SHARED_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lawgov_cache",
    }
}


@pytest.mark.django_db
@override_settings(CACHES=SHARED_CACHE)
def test_a_missing_cache_table_takes_the_server_out_of_rotation(client):
    call_command("createcachetable")
    assert checks_of(readyz(client, 2017, 6, 1))["cache"]["ok"] is True

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE lawgov_cache")
    response = readyz(client, 2017, 6, 1)
    assert response.status_code == 503
    cache = checks_of(response)["cache"]
    assert cache["ok"] is False
    assert cache["message"].startswith("数据库出错（")


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed')


@pytest.mark.django_db
def test_an_unreachable_database_answers_503_without_its_address(client, monkeypatch):
    monkeypatch.setattr(health, "connection", UnreachableDatabase())
    response = readyz(client, 2017, 6, 1)
    assert response.status_code == 503
    database = checks_of(response)["database"]
    assert database == {
        "name": "database",
        "ok": False,
        "message": "数据库出错（OperationalError）。",
        "critical": True,
    }
    assert "10.0.0.5" not in response.content.decode()


@pytest.mark.django_db
def test_next_years_holidays_are_not_asked_for_before_1_november(client):
    confirm(2098)
    response = readyz(client, 2098, 10, 31)
    assert response.json()["status"] == "ready"


@pytest.mark.django_db
def test_from_1_november_an_unconfirmed_next_year_is_reported_but_keeps_the_server(client):
    confirm(2098)
    response = readyz(client, 2098, 11, 1)
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    schedule = checks_of(response)["holiday_schedule"]
    assert schedule["ok"] is False
    assert schedule["critical"] is False
    assert schedule["message"].startswith("2099 年的节假日安排尚未确认")


@pytest.mark.django_db
def test_next_years_schedule_confirmed_by_the_office_satisfies_the_check(client):
    confirm(2098)
    confirm(2099)
    response = readyz(client, 2098, 11, 2)
    assert response.json()["status"] == "ready"


@pytest.mark.django_db
def test_a_year_the_calendar_package_knows_needs_no_entries(client):
    response = readyz(client, 2017, 11, 15)  # the package knows 2017 and 2018
    assert checks_of(response)["holiday_schedule"]["ok"] is True


@pytest.mark.django_db
def test_the_current_year_unconfirmed_is_reported_all_year(client):
    response = readyz(client, 2098, 3, 1)
    assert checks_of(response)["holiday_schedule"]["message"].startswith("2098 年")


last_heard: datetime.datetime | None = None


def worker_heartbeat() -> datetime.datetime | None:
    return last_heard


@pytest.fixture
def worker(monkeypatch):
    with override_settings(HEALTH_WORKER_HEARTBEAT=f"{__name__}.worker_heartbeat"):
        yield lambda moment: monkeypatch.setattr(f"{__name__}.last_heard", moment)


@pytest.mark.django_db
def test_a_worker_heard_from_within_five_minutes_is_fine(client, worker):
    worker(datetime.datetime(2017, 6, 1, 9, 56, tzinfo=SHANGHAI))
    response = readyz(client, 2017, 6, 1)
    assert checks_of(response)["worker"] == {
        "name": "worker",
        "ok": True,
        "message": "后台任务进程运行正常。",
        "critical": False,
    }


@pytest.mark.django_db
def test_a_silent_worker_is_reported_with_when_it_was_last_heard(client, worker):
    worker(datetime.datetime(2017, 6, 1, 9, 48, tzinfo=SHANGHAI))
    response = readyz(client, 2017, 6, 1)
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert checks_of(response)["worker"]["message"] == (
        "后台任务进程已 12 分钟没有报告（上次：2017-06-01 09:48:00）。"
    )


@pytest.mark.django_db
def test_a_worker_never_heard_from_is_reported(client, worker):
    worker(None)
    response = readyz(client, 2017, 6, 1)
    assert checks_of(response)["worker"]["message"] == "后台任务进程从未报告。"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_over_plain_http_are_answered_where_pages_are_redirected(client):
    assert client.get("/login/").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert readyz(client, 2017, 6, 1).status_code == 200


@pytest.mark.django_db
def test_the_health_endpoints_refuse_to_change_anything(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_readyz_hears_the_job_queues_worker_and_misses_it_when_silent(client):
    with at(2017, 6, 1):
        assert checks_of(client.get("/readyz"))["worker"]["message"] == "后台任务进程从未报告。"
    readyz(client, 2017, 6, 1)  # the worker reports at 10:00
    with time_machine.travel(datetime.datetime(2017, 6, 1, 10, 6, tzinfo=SHANGHAI), tick=False):
        worker = checks_of(client.get("/readyz"))["worker"]
    assert (worker["ok"], worker["message"]) == (
        False,
        "后台任务进程已 6 分钟没有报告（上次：2017-06-01 10:00:00）。",
    )
