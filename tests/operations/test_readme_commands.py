"""Every command README.md prints works as written on a fresh clone.

`make run` is started for real (on a free port, with its database in a temporary folder) and the
README's other commands are run against what it set up: the demo commands on its database, the
API example against its server with the token it printed, the PostgreSQL commands on a new
PostgreSQL database. `make test` is this suite itself.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from .conftest import NOT_INHERITED, ROOT

README = ROOT / "README.md"
VENV = Path(sys.executable).parent.parent


def readme_blocks() -> list[list[str]]:
    """The commands of each fenced block of the README, continuation lines joined."""
    blocks, lines = [], None
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if lines is None:
                lines = []
            else:
                blocks.append(re.sub(r"\\\n\s*", "", "\n".join(lines)).splitlines())
                lines = None
        elif lines is not None:
            lines.append(line)
    return [
        [command for command in block if command.strip() and not command.strip().startswith("#")]
        for block in blocks
    ]


def blocks_with(word: str) -> list[list[str]]:
    return [block for block in readme_blocks() if any(word in command for command in block)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(**env: str) -> dict[str, str]:
    """A new user's shell: none of the test run's settings, only ``env``."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in NOT_INHERITED | {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "HTTPS_ONLY"}
    }
    environment.update(env)
    return environment


def run_block(commands: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """``commands`` as a user pastes them into bash, stopping at the first that fails."""
    script = "set -euo pipefail\n" + "\n".join(commands)
    (cwd / ".venv").unlink(missing_ok=True)
    (cwd / ".venv").symlink_to(VENV)
    (cwd / "manage.py").unlink(missing_ok=True)
    (cwd / "manage.py").symlink_to(ROOT / "manage.py")
    return subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=600,
    )


class DemoServer:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.database = f"sqlite:///{folder / 'demo.sqlite3'}"
        self.url = f"http://127.0.0.1:{self.port}"
        self.output = folder / "make-run.log"
        self.process = subprocess.Popen(
            ["make", "run", f"PORT={self.port}", f"VENV={VENV}"],
            cwd=ROOT,
            env=clean_environment(DATABASE_URL=self.database, MEDIA_ROOT=str(folder / "media")),
            stdout=self.output.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_serving(self, seconds: int = 300) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"make run stopped:\n{self.printed()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(1)
        pytest.fail(f"make run did not serve within {seconds} s:\n{self.printed()}")

    def printed(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def token_of(self, username: str) -> str:
        [token] = re.findall(rf"^\s+{username}\s.*令牌：(\S+)", self.printed(), re.MULTILINE)
        return token

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    server = DemoServer(tmp_path_factory.mktemp("make-run"))
    try:
        server.wait_until_serving()
        yield server
    finally:
        server.stop()


def test_the_readme_opens_with_the_two_commands():
    first = readme_blocks()[0]
    assert [command.split("#")[0].strip() for command in first] == ["make run", "make test"]


def test_make_run_serves_the_demo_and_prints_its_accounts(demo):
    printed = demo.printed()
    assert f"http://127.0.0.1:{demo.port}/" in printed
    assert "演示账号（密码均为 demo）：" in printed
    for username in ("office", "liaison", "municipal", "sysadmin", "secadmin", "auditor"):
        assert re.search(rf"^\s+{username}\s", printed, re.MULTILINE), username
    with urllib.request.urlopen(f"{demo.url}/", timeout=10) as page:
        assert "登录" in page.read().decode()


def test_the_demo_commands_work_as_written(demo, tmp_path):
    blocks = [
        block
        for block in blocks_with("manage.py")
        if not any("postgres://" in command for command in block)
    ]
    assert blocks, "README 中应有在演示库上运行的命令"
    for block in blocks:
        result = run_block(block, tmp_path, DATABASE_URL=demo.database)
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
    # What they said they would make is there.
    assert (tmp_path / "2017.docx").read_bytes().startswith(b"PK")
    assert list((tmp_path / "backups").iterdir())


def test_the_api_example_answers_with_records(demo, tmp_path):
    [block] = blocks_with("curl")
    block = [command.replace("http://127.0.0.1:8000", demo.url) for command in block]
    result = run_block(block, tmp_path, TOKEN=demo.token_of("municipal"))
    assert result.returncode == 0, result.stderr
    assert '"results"' in result.stdout


def test_a_missing_secret_key_is_one_clear_line(tmp_path):
    result = run_block([".venv/bin/python manage.py migrate"], tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith("配置错误：DEBUG 关闭时必须设置环境变量 SECRET_KEY")
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_the_postgresql_commands_work_as_written(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "README 的 PostgreSQL 命令在 PostgreSQL 测试轮（DATABASE_URL=postgres://…）中运行。"
        )
    [block] = blocks_with("postgres://")
    # `make test` is this suite itself; the rest is what a new installation runs.
    setup = [command for command in block if "make test" not in command]
    [address] = re.findall(r"postgres://(\w+)@[\w.:]+/(\w+)", " ".join(setup))
    role, database = address
    settings = connection.settings_dict
    admin = ["psql", "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    admin += ["-U", settings["USER"], "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c"]
    subprocess.run([*admin, f"DROP DATABASE IF EXISTS {database}"], check=True)
    subprocess.run([*admin, f"DROP ROLE IF EXISTS {role}"], check=True)
    subprocess.run([*admin, f"CREATE ROLE {role} LOGIN"], check=True)
    subprocess.run([*admin, f"CREATE DATABASE {database} OWNER {role}"], check=True)
    try:
        result = run_block(setup, tmp_path)
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
        assert "Applying registers.0001" in result.stdout
    finally:
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {database}"], check=True)
        subprocess.run([*admin, f"DROP ROLE IF EXISTS {role}"], check=True)
