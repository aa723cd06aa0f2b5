"""Running the project as it runs in production: manage.py in its own process with the
production settings, and new empty databases beside the test database."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "operations-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# What the test run's own settings put in the environment, and what manage.py must not inherit.
NOT_INHERITED = {"DEBUG", "DATABASE_URL", "MEDIA_ROOT", "STATIC_ROOT", "BACKUP_DIR", "LOG_FORMAT"}


def production_environment(**env: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(
        DJANGO_SETTINGS_MODULE="xianan_lawgov.settings",
        SECRET_KEY=SECRET_KEY,
        HTTPS_ONLY="0",
        LOG_REQUESTS="0",
    )
    environment.update(env)
    return environment


def manage(*args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
    """``manage.py *args`` in a process of its own, with the production settings and ``env``."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_environment(**env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def report_2017(fmt: str, unit: str = "") -> bytes:
    """The 2017 annual report (of the district, or of ``unit``) made in this process from the
    test database, as bytes."""
    from xianan_lawgov.reports.access import COMMAND_LINE, report_scope
    from xianan_lawgov.reports.outputs import report_file

    content = report_file(report_scope(COMMAND_LINE, 2017, unit), fmt).content
    return content if isinstance(content, bytes) else content.encode()


def postgres_url(name: str) -> str:
    database = connection.settings_dict
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "localhost"
    port = database["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{name}"


def _administer(*statements: str) -> None:
    import psycopg2

    database = connection.settings_dict
    maintenance = psycopg2.connect(
        dbname="postgres",
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"],
        port=database["PORT"],
    )
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        maintenance.close()


@contextlib.contextmanager
def new_database(label: str, directory: Path) -> Iterator[str]:
    """A new, empty database of the kind the tests run on (its URL), removed afterwards:
    a SQLite file in ``directory``, or a PostgreSQL database named after the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{directory / f'{label}.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_{label}"
    _administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(name)
    finally:
        _administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_database(tmp_path):
    with new_database("fresh", tmp_path) as url:
        yield url


# --- The deployment test needs nginx ------------------------------------------------------

NGINX_PACKAGE = "nginx"
NGINX_SKIPPED = pytest.StashKey[bool]()


def find_nginx() -> str | None:
    """Debian installs nginx in /usr/sbin, which is not on an ordinary user's PATH."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def pytest_collection_modifyitems(config, items):
    if find_nginx() or not any(item.get_closest_marker("nginx") for item in items):
        return
    if os.environ.get("LAWGOV_REQUIRE_NGINX") == "1":
        # CI must run it: a missing nginx is an error there, not a skip.
        raise pytest.UsageError(f"部署测试无法运行：缺少 nginx（apt-get install {NGINX_PACKAGE}）")
    config.stash[NGINX_SKIPPED] = True
    reason = f"部署测试已跳过（SKIPPED，不是通过）：缺少 nginx（apt-get install {NGINX_PACKAGE}）"
    for item in items:
        if item.get_closest_marker("nginx"):
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.stash.get(NGINX_SKIPPED, False):
        terminalreporter.write_sep("!", "DEPLOYMENT TEST SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            f"缺少 nginx：请运行 apt-get install {NGINX_PACKAGE}"
            "（make test 以 root 运行时会自动安装）",
            red=True,
            bold=True,
        )
