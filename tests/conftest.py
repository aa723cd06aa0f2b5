import pytest
from django.core.cache import cache

from registers.core import stamps
from registers.core.roles import Role
from tests.factories import make_unit, make_user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counts live in the cache, kept figures in memory: each test starts with
    none."""
    cache.clear()
    stamps.forget()
    yield
    cache.clear()
    stamps.forget()


@pytest.fixture
def open_2027(monkeypatch):
    """2027 and later as years the holiday package does not know, whatever its version."""
    from registers.core import calendar, workingdays

    known = workingdays.package_covers

    def covers(year: int) -> bool:
        return year < 2027 and known(year)

    monkeypatch.setattr(workingdays, "package_covers", covers)
    monkeypatch.setattr(calendar, "package_covers", covers)


@pytest.fixture
def unit_a(db):
    return make_unit(name="区城管执法局（测试）", code="TA")


@pytest.fixture
def unit_b(db):
    return make_unit(name="区交通运输局（测试）", code="TB")


@pytest.fixture
def office(db):
    return make_user(Role.OFFICE, username="office_t")


@pytest.fixture
def leader(db):
    return make_user(Role.LEADER, username="leader_t")


@pytest.fixture
def liaison(unit_a):
    return make_user(Role.LIAISON, unit=unit_a, username="liaison_t")


@pytest.fixture
def liaison2(unit_b):
    return make_user(Role.LIAISON, unit=unit_b, username="liaison2_t")


@pytest.fixture
def municipal(db):
    return make_user(Role.API_CLIENT, username="municipal_t")


@pytest.fixture
def sysadmin(db):
    return make_user(Role.SYSTEM_ADMIN, username="sysadmin_t")


@pytest.fixture
def secadmin(db):
    return make_user(Role.SECURITY_ADMIN, username="secadmin_t")


@pytest.fixture
def auditor(db):
    return make_user(Role.AUDITOR, username="auditor_t")


@pytest.fixture
def users(office, leader, liaison, liaison2, municipal):
    """Every role, by the name the matrix tests use."""
    return {
        "office": office,
        "leader": leader,
        "liaison": liaison,
        "liaison2": liaison2,
        "municipal": municipal,
    }


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The whole demo data set, loaded once for a test module and flushed after it."""
    from django.core.management import call_command
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_data, db):
    """The demo data set (loaded once per module), each test in its own transaction."""


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks, settings, tmp_path, monkeypatch):
    """Run the background worker over what is queued, as ``manage.py run_worker --batch``
    does, until nothing is left (jobs queue others, such as e-mails, when they commit)."""
    from registers.management.commands.run_worker import worker

    settings.MEDIA_ROOT = tmp_path / "media"
    # Inside the test's transaction the worker must keep the connection it is given.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        for _round in range(10):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                worker(batch=True, interval=0).run()
            if not callbacks:
                return

    return run
