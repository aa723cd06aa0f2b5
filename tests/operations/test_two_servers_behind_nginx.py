"""The deployment kit, running: two application servers (deploy/gunicorn.conf.py) and one
background worker (``manage.py run_worker``, as deploy/systemd/xianan-lawgov-worker.service
runs it) behind nginx (deploy/nginx/xianan-lawgov.conf, with TLS) on loopback, with the
production settings, against a fresh PostgreSQL database restored from a backup of the demo
data. A user logs in through one server, uploads through the other and downloads the annual
report; a large upload and the district's report file are jobs of the worker, followed
through either server: the processes share nothing but the database and MEDIA_ROOT.

Which server answered a request is read from that server's own log, by the request id nginx
gives each request. nginx hands requests to the servers in turn (round robin, one nginx
worker), so a step meant for the other server first spends a request on /healthz, and then
checks that the server it meant did answer.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.core.management import call_command
from django.db import connection

from registers.models import User
from tests.exchange.test_uploads import ITEM_HEADER, item_row
from tests.factories import make_xlsx

from .conftest import (
    ROOT,
    find_nginx,
    manage,
    new_database,
    production_environment,
    report_2017,
)

pytestmark = [
    pytest.mark.nginx,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="部署测试在 PostgreSQL 上运行（DATABASE_URL=postgres://…），与生产环境相同；"
        "本次测试用的是 SQLite。",
    ),
]

TEMPLATE = ROOT / "deploy" / "nginx" / "xianan-lawgov.conf"
GUNICORN = Path(sys.executable).with_name("gunicorn")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SERVERS = ("A", "B")
#: Uploads of more rows than this are jobs of the worker here.
JOB_ROWS = 2
PASSWORD = "Xianan-Deploy-2026"
SET_PASSWORDS = f"""
from registers.models import User
for user in User.objects.all():
    user.set_password({PASSWORD!r})
    user.save()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replaced(text: str, old: str, new: str, count: int = 1) -> str:
    """``text`` with ``old`` replaced, which must be there ``count`` times: if the template
    changes, this test says which line it no longer finds."""
    assert text.count(old) == count, f"{TEMPLATE.name}: expected {old!r} {count} time(s)"
    return text.replace(old, new)


def nginx_site(
    *, https: int, http: int, servers: dict[str, int], static: Path, tls: Path, logs: Path
) -> str:
    site = TEMPLATE.read_text()
    site = replaced(site, "server 127.0.0.1:8001 ", f"server 127.0.0.1:{servers['A']} ")
    site = replaced(site, "server 127.0.0.1:8002 ", f"server 127.0.0.1:{servers['B']} ")
    site = replaced(site, "listen 80;", f"listen 127.0.0.1:{http};")
    site = replaced(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
    site = replaced(site, "    listen [::]:80;\n", "")
    site = replaced(site, "    listen [::]:443 ssl http2;\n", "")
    site = replaced(site, "server_name lawgov.example.gov.cn;", "server_name 127.0.0.1;", 2)
    site = replaced(site, "/etc/ssl/xianan-lawgov/fullchain.pem", str(tls / "cert.pem"))
    site = replaced(site, "/etc/ssl/xianan-lawgov/privkey.pem", str(tls / "key.pem"))
    site = replaced(site, "/srv/xianan-lawgov/staticfiles/", f"{static}/")
    site = replaced(site, "/var/log/nginx/", f"{logs}/", 2)
    return site


def nginx_main_config(site: Path, work: Path) -> str:
    """What /etc/nginx/nginx.conf gives a site on a server, in a folder of the test's own."""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {work}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # its workers read the test's files
    return (
        f"{user}worker_processes 1;\ndaemon off;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"{temp_paths}\n    include {site};\n}}\n"
    )


@dataclass
class Site:
    """nginx in front of the servers, and a browser-like session talking to it."""

    https: int
    http: int
    certificate: Path
    logs: dict[str, Path]
    session: requests.Session | None = None
    last_served: str | None = None

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https}"

    def log_lines(self, server: str) -> list[dict]:
        lines = self.logs[server].read_text(encoding="utf-8", errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def logged(self, request_id: str) -> tuple[str, dict] | None:
        """Which server logged the request ``request_id``, and its line."""
        for server in SERVERS:
            for line in self.log_lines(server):
                if line.get("request_id") == request_id:
                    return server, line
        return None

    def line_of(self, response) -> dict:
        found = self.logged(response.headers["X-Request-ID"])
        assert found is not None, "no server logged the request"
        return found[1]

    def _send(self, method: str, path: str, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        # Per request: a session's own setting gives way to REQUESTS_CA_BUNDLE.
        kwargs.setdefault("verify", str(self.certificate))
        headers = {"Referer": f"{self.origin}/", **kwargs.pop("headers", {})}
        response = self.session.request(method, self.origin + path, headers=headers, **kwargs)
        # Only what nginx passed to a server carries the server's request id.
        if "X-Request-ID" in response.headers:
            found = self.logged(response.headers["X-Request-ID"])
            self.last_served = found[0] if found else None
        return response

    def request(self, method: str, path: str, *, server: str | None = None, **kwargs):
        """Send through nginx; with ``server``, make sure that server is the one answering."""
        if server is not None:
            other = "B" if server == "A" else "A"
            for _attempt in range(3):
                if self.last_served == other:
                    break
                self._send("GET", "/healthz")
            assert self.last_served == other, "nginx does not hand requests out in turn"
        response = self._send(method, path, **kwargs)
        if server is not None:
            assert self.last_served == server, f"server {self.last_served} answered, not {server}"
        return response

    def csrf_token(self) -> str:
        return self.session.cookies["csrftoken"]


def wait_until_answering(url: str, process: subprocess.Popen, log: Path, **kwargs) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited with {process.returncode}:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=10, **kwargs).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or still loading the application
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer within 90 s:\n{log.read_text()}")


def wait_until_the_worker_reports(port: int, worker: subprocess.Popen, log: Path) -> None:
    """Until /readyz hears the worker (its first heartbeat is written as it starts)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"the worker exited with {worker.returncode}:\n{log.read_text()}")
        ready = requests.get(
            f"http://127.0.0.1:{port}/readyz", headers={"Host": "127.0.0.1"}, timeout=10
        )
        checks = {check["name"]: check for check in ready.json()["checks"]}
        if checks["worker"]["ok"]:
            return
        time.sleep(0.3)
    pytest.fail(f"/readyz did not hear the worker within 90 s:\n{log.read_text()}")


def started(stack: ExitStack, command: list[str], log: Path, stop: int, **kwargs):
    output = stack.enter_context(log.open("w"))
    process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **kwargs)

    def halt():
        process.send_signal(stop)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    stack.callback(halt)
    return process


@pytest.fixture(scope="module")
def site(demo_data, django_db_blocker, tmp_path_factory) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("deployment")
    media, static, logs, tls = (work / name for name in ("media", "static", "logs", "tls"))
    for folder in (media, logs, tls):
        folder.mkdir()
    with ExitStack() as stack:
        # The demo data reaches the servers' database the way an operator moves one: a
        # backup, restored into a new database.
        database = stack.enter_context(new_database("servers", work))
        with django_db_blocker.unblock():
            call_command("backup", output=work / "backups", stdout=io.StringIO())
        [archive] = (work / "backups").glob("*.tar.gz")
        manage("restore", str(archive), DATABASE_URL=database, MEDIA_ROOT=str(media))
        # The test run hashes passwords with a fast hasher production does not accept.
        manage("shell", "-c", SET_PASSWORDS, DATABASE_URL=database)
        manage("createcachetable", DATABASE_URL=database)
        manage("collectstatic", "--noinput", DATABASE_URL=database, STATIC_ROOT=str(static))
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip

        ports = {server: free_port() for server in SERVERS}
        https, http = free_port(), free_port()
        environment = production_environment(
            DATABASE_URL=database,
            MEDIA_ROOT=str(media),
            STATIC_ROOT=str(static),
            ALLOWED_HOSTS="127.0.0.1",
            HTTPS_ONLY="1",
            BEHIND_TLS_PROXY="1",
            CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{https}",
            LOG_FORMAT="json",
            LOG_REQUESTS="1",
            GUNICORN_WORKERS="2",
            LAWGOV_UPLOAD_JOB_ROWS=str(JOB_ROWS),
        )
        servers = {}
        for server, port in ports.items():
            log = logs / f"server-{server}.log"
            command = [str(GUNICORN), "--config", "deploy/gunicorn.conf.py",
                       "--bind", f"127.0.0.1:{port}"]  # fmt: skip
            servers[server] = started(
                stack, command, log, signal.SIGTERM, cwd=ROOT, env=environment
            )
        worker = started(
            stack,
            [sys.executable, "manage.py", "run_worker"],
            logs / "worker.log",
            signal.SIGTERM,
            cwd=ROOT,
            env=environment,
        )
        for server, port in ports.items():
            wait_until_answering(
                f"http://127.0.0.1:{port}/healthz",
                servers[server],
                logs / f"server-{server}.log",
                headers={"Host": "127.0.0.1"},
            )

        site_file = work / "xianan-lawgov.conf"
        site_file.write_text(
            nginx_site(https=https, http=http, servers=ports, static=static, tls=tls, logs=logs)
        )
        main = work / "nginx.conf"
        main.write_text(nginx_main_config(site_file, work))
        nginx = find_nginx()
        checked = subprocess.run([nginx, "-t", "-c", str(main)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        proxy = started(stack, [nginx, "-c", str(main)], logs / "nginx.log", signal.SIGQUIT)
        wait_until_answering(
            f"https://127.0.0.1:{https}/healthz", proxy, work / "error.log",
            verify=str(tls / "cert.pem"),
        )  # fmt: skip

        wait_until_the_worker_reports(ports["A"], worker, logs / "worker.log")

        yield Site(
            https=https,
            http=http,
            certificate=tls / "cert.pem",
            logs={server: logs / f"server-{server}.log" for server in SERVERS},
        )


@pytest.fixture
def browser(site) -> Site:
    """The site, seen by a new visitor: no cookies yet."""
    site.session = requests.Session()
    return site


def log_in(site: Site, *, server: str, username: str = "liaison") -> None:
    page = site.request("GET", "/login/", server=server)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = site.request(
        "POST",
        "/login/",
        server=server,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.text[:500]


def test_a_user_logs_in_through_one_server_uploads_through_the_other_and_gets_the_report(
    browser, demo
):
    # A liaison: uploads for their own unit and reads their unit's report.
    log_in(browser, server="A", username="liaison")
    liaison = User.objects.get(username="liaison")

    workbook = make_xlsx([item_row("SJ-SERVER-B-1"), item_row("SJ-SERVER-B-2")], ITEM_HEADER)
    upload = browser.request(
        "POST",
        "/api/v1/uploads/inspection-items/",
        server="B",
        files={"file": ("抽查事项.xlsx", workbook, XLSX)},
        headers={"X-CSRFToken": browser.csrf_token()},
    )
    assert upload.status_code == 201, upload.text
    assert upload.json()["created"] == 2
    assert upload.json()["unit"] == liaison.unit.name
    # The session opened on A is known on B: it lives in the database.
    assert browser.line_of(upload)["user_id"] == liaison.pk

    listed = browser.request(
        "GET", "/api/v1/inspection-items/?search=SJ-SERVER-B", server="A"
    ).json()
    assert sorted(item["code"] for item in listed["results"]) == ["SJ-SERVER-B-1", "SJ-SERVER-B-2"]
    assert {item["status"] for item in listed["results"]} == {"draft"}

    report = browser.request("GET", "/api/v1/reports/2017/report.docx", server="A")
    assert report.status_code == 200
    assert report.headers["Content-Type"] == DOCX
    # The unit's report; drafts do not count yet, so it is the same bytes as made here.
    assert report.content == report_2017("docx", unit=liaison.unit.code)


def follow(site: Site, url: str, *, server: str) -> dict:
    """The job at ``url`` (API), asked through ``server`` until it has finished."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = site.request("GET", url, server=server).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.5)
    pytest.fail(f"the job {url} did not finish within 120 s: {job}")


def test_a_large_upload_and_the_district_report_are_jobs_followed_through_either_server(
    browser, demo
):
    log_in(browser, server="A", username="liaison")
    liaison = User.objects.get(username="liaison")
    codes = [f"SJ-JOB-{n}" for n in range(JOB_ROWS + 1)]
    workbook = make_xlsx([item_row(code) for code in codes], ITEM_HEADER)
    upload = browser.request(
        "POST",
        "/api/v1/uploads/inspection-items/",
        server="B",
        files={"file": ("抽查事项.xlsx", workbook, XLSX)},
        headers={"X-CSRFToken": browser.csrf_token()},
    )
    assert upload.status_code == 202, upload.text
    job = follow(browser, urlsplit(upload.json()["url"]).path, server="A")
    assert job["status"] == "succeeded", job
    assert (job["result"]["created"], job["result"]["unit"]) == (len(codes), liaison.unit.name)
    page = browser.request("GET", f"/jobs/{job['id']}/", server="B").text
    assert f"已导入 {len(codes)} 条“随机抽查事项清单”记录" in page
    listed = browser.request("GET", "/api/v1/inspection-items/?search=SJ-JOB", server="B").json()
    assert sorted(item["code"] for item in listed["results"]) == codes

    # The district's Word report: a leader reads the whole district; the worker writes it.
    browser.session = requests.Session()
    log_in(browser, server="B", username="leader")
    asked = browser.request("GET", "/reports/2017/download.docx", server="B")
    assert asked.status_code == 302 and asked.headers["Location"].startswith("/jobs/")
    job_id = int(asked.headers["Location"].strip("/").split("/")[-1])
    job = follow(browser, f"/api/v1/jobs/{job_id}/", server="A")
    assert job["status"] == "succeeded", job
    report = browser.request("GET", f"/jobs/{job_id}/download/", server="B")
    assert report.status_code == 200
    # Drafts do not count: the same bytes as made here from the demo data.
    assert report.content == report_2017("docx")


def test_signing_out_through_one_server_ends_the_session_on_the_other(browser, demo):
    log_in(browser, server="B")
    assert browser.request("GET", "/api/v1/units/", server="A").status_code == 200
    browser.request("POST", "/logout/", server="B", headers={"X-CSRFToken": browser.csrf_token()})
    assert browser.request("GET", "/api/v1/units/", server="A").status_code in (401, 403)


def test_static_files_come_from_nginx_and_never_reach_a_server(browser, demo):
    page = browser.request("GET", "/login/").text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    before = {server: len(browser.log_lines(server)) for server in SERVERS}

    response = browser.request("GET", stylesheet)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert ".site-footer" in response.text
    assert "X-Request-ID" not in response.headers
    assert {server: len(browser.log_lines(server)) for server in SERVERS} == before


def test_each_server_logs_one_json_line_per_request(browser, demo):
    response = browser.request("GET", "/api/v1/units/?page_size=1", server="A")
    line = browser.line_of(response)
    assert line["logger"] == "xianan_lawgov.requests"
    assert (line["method"], line["path"]) == ("GET", "/api/v1/units/")
    assert line["status"] == response.status_code
    assert line["duration_ms"] > 0
    assert browser.logged(response.headers["X-Request-ID"])[0] == "A"


def test_plain_http_is_sent_to_https(browser):
    response = requests.get(
        f"http://127.0.0.1:{browser.http}/reports/", allow_redirects=False, timeout=5
    )
    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1/reports/"


def test_the_health_endpoints_answer_through_nginx(browser, demo):
    assert browser.request("GET", "/healthz").json()["status"] == "alive"
    ready = browser.request("GET", "/readyz")
    assert ready.status_code == 200
    checks = {check["name"]: check["ok"] for check in ready.json()["checks"]}
    assert checks["database"] and checks["migrations"] and checks["worker"]


def test_an_upload_over_the_size_limit_is_refused_by_the_application_not_by_nginx(browser, demo):
    log_in(browser, server="A")
    too_large = b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024)
    response = browser.request(
        "POST",
        "/api/v1/uploads/inspection-items/",
        files={"file": ("大文件.xlsx", too_large, XLSX)},
        headers={"X-CSRFToken": browser.csrf_token()},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "file_too_large"
