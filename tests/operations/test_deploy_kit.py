"""The files in deploy/: systemd units systemd accepts, a gunicorn configuration that loads the
application with workers from the cores, and an environment file of documented variables.
(nginx's site is run for real in test_two_servers_behind_nginx.py.)"""

import multiprocessing
import re
import runpy
import shutil
import subprocess
import sys
from getpass import getuser
from pathlib import Path

import pytest
from django.core.management import get_commands

from .conftest import ROOT, manage, production_environment

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
INSTALLED = "/srv/xianan-lawgov"
VENV = Path(sys.executable).parent.parent
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def installed_here(text: str, env_file: Path) -> str:
    """A unit as it would read with the project installed where this checkout is."""
    text = text.replace(f"{INSTALLED}/.venv", str(VENV)).replace(INSTALLED, str(ROOT))
    return text.replace("/etc/xianan-lawgov/env", str(env_file))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze 不可用")
def test_systemd_accepts_every_unit(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("")
    for unit in UNITS:
        (tmp_path / unit.name).write_text(installed_here(unit.read_text(), env_file))
    # A template unit is checked through an instance of it.
    names = [unit.name.replace("@.", "@8001.") for unit in UNITS]
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in names)],
        capture_output=True,
        text=True,
        env={"SYSTEMD_LOG_LEVEL": "notice", "PATH": SYSTEM_PATH},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_each_timer_starts_a_service_of_the_kit():
    names = {unit.name for unit in UNITS}
    for timer in (unit for unit in UNITS if unit.suffix == ".timer"):
        assert timer.with_suffix(".service").name in names


def test_each_timer_keeps_beijing_time_whatever_the_servers_clock():
    """The nightly back-up runs at night in Beijing, also on a server whose clock is UTC."""
    for timer in (unit for unit in UNITS if unit.suffix == ".timer"):
        schedules = re.findall(r"^OnCalendar=(.+)$", timer.read_text(), re.MULTILINE)
        assert schedules, timer.name
        assert all(schedule.endswith(" Asia/Shanghai") for schedule in schedules), timer.name


def test_the_units_run_commands_the_project_has():
    commands = set()
    for unit in UNITS:
        commands |= set(re.findall(r"manage\.py (\w+)", unit.read_text()))
    assert commands == {"backup", "run_worker"}
    assert commands <= set(get_commands())


def test_gunicorn_runs_twice_the_cores_plus_one_workers_unless_told(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert config["timeout"] == 120
    assert config["wsgi_app"] == "xianan_lawgov.wsgi:application"
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == 3


def test_a_new_worker_has_its_url_patterns_ready_before_its_first_request():
    """post_worker_init fills the URL resolver (importing every view) in the worker, so its
    first visitor does not wait for that."""
    from django.urls import clear_url_caches, get_resolver

    clear_url_caches()  # as in a new worker: not filled yet
    assert not get_resolver()._populated
    runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["post_worker_init"](None)
    assert get_resolver()._populated


def test_gunicorn_loads_the_application_with_the_configuration():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "--check-config", "--config",
         "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=production_environment(ALLOWED_HOSTS="lawgov.example.gov.cn"),
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_environment_file_sets_only_variables_the_readme_documents():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    variables = set(re.findall(r"^#?([A-Z_]+)=", example, flags=re.MULTILINE))
    assert {"SECRET_KEY", "DATABASE_URL", "MEDIA_ROOT", "LOG_FORMAT"} <= variables
    assert variables - documented == set()


@pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "python").exists(), reason="deploy/manage 使用项目目录下的 .venv"
)
def test_the_manage_helper_runs_a_command_with_the_environment_file(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text(f"SECRET_KEY={'k' * 60}\nLAWGOV_PUBLICATION_DAYS=25\n")
    code = "from django.conf import settings; print(settings.LAWGOV['PUBLICATION_DAYS'])"
    result = subprocess.run(
        [str(DEPLOY / "manage"), "shell", "--no-imports", "-c", code],
        env={"PATH": SYSTEM_PATH, "LAWGOV_ENV_FILE": str(env_file), "LAWGOV_USER": getuser()},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "25"


def test_every_server_shares_one_cache_in_the_database():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    shared = manage("shell", "--no-imports", "-c", code)
    assert shared.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
    # The development server is one process: memory will do.
    development = manage("shell", "--no-imports", "-c", code, DEBUG="1")
    assert development.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
