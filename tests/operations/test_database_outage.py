"""An application server whose database goes away: every page and API request answers 503
"数据库暂时不可用，请稍后重试" (never a traceback), the health probe still answers, and once
the database is back the same server answers again without a restart.

The server is gunicorn with the production settings in a process of its own. Its database
is reached through a relay in this process that the test cuts and restores, as a network
fault or a database restart would."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.db import connection

from .conftest import ROOT, manage, new_database, production_environment
from .test_two_servers_behind_nginx import GUNICORN, free_port, started, wait_until_answering

OUTAGE = "数据库暂时不可用，请稍后重试"
MAKE_TOKEN = """
from registers.core.roles import Role
from registers.models import Unit, UnitKind, User
from xianan_lawgov.accounts.models import ApiToken
from xianan_lawgov.accounts.tokens import issue_token
Unit.objects.create(name="区司法局", short_name="司法局", kind=UnitKind.DEPARTMENT, code="D01")
user = User.objects.create(username="city", role=Role.API_CLIENT)
print(issue_token(ApiToken(user=user, name="市级平台")))
"""


class Relay:
    """A TCP relay from a local port to the database server that can be cut (every
    connection dropped, new ones refused) and restored on the same port."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            doomed, self.sockets = [self.listener, *self.sockets], set()
            self.listener = None
        for sock in doomed:
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed by the other side
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.sockets |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass  # the relay was cut, or the other side hung up
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already down


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """The static files collected, as for every production server."""
    static = tmp_path_factory.mktemp("static")
    manage("collectstatic", "--noinput", STATIC_ROOT=str(static))
    return static


def start_server(stack: ExitStack, database_url: str, static: Path, log: Path) -> str:
    port = free_port()
    environment = production_environment(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static),
        ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_WORKERS="1",
    )
    command = [str(GUNICORN), "--config", "deploy/gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}"]  # fmt: skip
    process = started(stack, command, log, 15, cwd=ROOT, env=environment)
    origin = f"http://127.0.0.1:{port}"
    wait_until_answering(f"{origin}/healthz", process, log)
    return origin


def page(origin: str) -> requests.Response:
    """A page of someone signed in: their session is looked up in the database."""
    return requests.get(f"{origin}/registers/", cookies={"sessionid": "x" * 32}, timeout=30)


def api(origin: str, token: str) -> requests.Response:
    return requests.get(
        f"{origin}/api/v1/units/", headers={"Authorization": f"Token {token}"}, timeout=30
    )


def assert_outage(origin: str, token: str) -> None:
    response = page(origin)
    assert response.status_code == 503, response.text[:500]
    assert OUTAGE in response.text and "/static/css/site." in response.text
    assert "Traceback" not in response.text
    response = api(origin, token)
    assert response.status_code == 503, response.text[:500]
    assert response.json()["code"] == "database_unavailable"
    assert OUTAGE in response.json()["detail"]
    assert requests.get(f"{origin}/healthz", timeout=30).status_code == 200
    assert requests.get(f"{origin}/readyz", timeout=30).status_code == 503


def test_a_server_whose_database_port_is_closed_answers_503_in_chinese(static_root, tmp_path):
    closed = free_port()  # nothing listens there
    database = f"postgres://lawgov@127.0.0.1:{closed}/lawgov"
    with ExitStack() as stack:
        origin = start_server(stack, database, static_root, tmp_path / "server.log")
        assert_outage(origin, token="0" * 40)


@pytest.fixture
def relayed_database(tmp_path) -> Iterator[tuple[str, Relay, str]]:
    """A migrated database with an API token, reached through a relay: its URL through the
    relay, the relay, and the token."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "数据库恢复测试在 PostgreSQL 上运行（DATABASE_URL=postgres://…）；"
            "本次测试用的是 SQLite。"
        )
    with new_database("outage", tmp_path) as url:
        manage("migrate", "--noinput", DATABASE_URL=url)
        manage("createcachetable", DATABASE_URL=url)
        # The key is the last line (the shell may list what it imported first).
        token = manage("shell", "-c", MAKE_TOKEN, DATABASE_URL=url).stdout.split()[-1]
        parts = urlsplit(url)
        relay = Relay((parts.hostname or "localhost", parts.port or 5432))
        relay.start()
        netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{relay.port}"
        try:
            yield urlunsplit(parts._replace(netloc=netloc)), relay, token
        finally:
            relay.cut()


def test_a_server_answers_503_while_its_database_is_away_and_recovers_by_itself(
    relayed_database, static_root, tmp_path
):
    url, relay, token = relayed_database
    with ExitStack() as stack:
        origin = start_server(stack, url, static_root, tmp_path / "server.log")
        assert api(origin, token).status_code == 200
        working = page(origin)
        assert working.status_code < 500 and OUTAGE not in working.text

        relay.cut()  # the database goes away under the server's open connection
        assert_outage(origin, token)
        assert_outage(origin, token)  # and stays a 503, request after request

        relay.start()  # the database is back: the same server, not restarted
        response = api(origin, token)
        assert response.status_code == 200, response.text[:500]
        assert [unit["code"] for unit in response.json()["results"]] == ["D01"]
        assert page(origin).status_code == working.status_code  # as before the outage
        # Ready as far as the database goes (no worker runs beside this server).
        checks = requests.get(f"{origin}/readyz", timeout=30).json()["checks"]
        ready = {check["name"]: check["ok"] for check in checks}
        assert ready["database"] and ready["migrations"] and ready["cache"]
