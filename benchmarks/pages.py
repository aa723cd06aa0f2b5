"""Pages and API lists under gunicorn at a hundred districts' data, beside a bare Django page.

    python benchmarks/pages.py --scale 100 \\
        --database-url postgres://root@127.0.0.1:5432/bench_pages

Fills the database once (migrate, the demo, ``generate_synthetic --scale N``; skipped when the
synthetic districts are already there), starts gunicorn with the deployment kit's
configuration (``deploy/gunicorn.conf.py``, DEBUG off) on a free loopback port, signs in the
office and a liaison (sessions made in the database, as a login makes them) and the municipal
API client (a token), then measures over keep-alive HTTP connections:

* single client: after ``--warmup`` requests, ``--requests`` timed requests of each page, one
  at a time; p50 and p95 of the whole request as the client sees it; then three times a
  change to the data (a unit saved) followed by one request of the page: its time when what
  was kept for the old data (``registers/core/stamps.py``) is computed again;
* a mix: ``--clients`` clients for ``--seconds`` seconds, each requesting the pages in random
  order; requests per second and p95; then the bare page alone the same way;
* the 2017 annual report as JSON and as .xlsx (record sheets included), from the API, told to
  make the district's files in the request (``LAWGOV_REPORT_FILES_IN_BACKGROUND=0``; in
  service the worker makes them): the first request, then the best of three.

The bare page is the admin's login form (GET): Django's own cost of a request in this
deployment. Targets (issue "fast at a hundred districts"): every page's single-client p95
within 20× the bare page's and under 300 ms; the mix's throughput at least 25% of the bare
page's; the .xlsx report within 3× the JSON report's time. The run prints a Markdown table
and says PASS or FAIL per target.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import ROOT, machine, markdown_table, prepare_database, start_django  # noqa: E402

DEFAULT_URL = "postgres://root@127.0.0.1:5432/bench_pages"
SECRET_KEY = "benchmark-only-key-" + "x" * 40
BARE = ("bare page (admin login form)", None, "/admin/login/")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fill(scale: int) -> None:
    from django.core.management import call_command

    from registers.models import Unit

    prepare_database()
    call_command("collectstatic", interactive=False, verbosity=0)
    if Unit.objects.filter(code__startswith=f"S{scale:03d}-").exists():
        return
    print(f"filling the database: the demo and {scale} synthetic districts…", file=sys.stderr)
    call_command("load_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("generate_synthetic", scale=scale, year=2017, force=True, stdout=sys.stderr)


def analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them in service: right after the fill
    they describe the demo's few rows, and the planner's choices with them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def session_cookie(username: str) -> str:
    """A signed-in session of ``username``, made as a login makes it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from registers.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def api_token(username: str) -> str:
    from registers.models import User
    from xianan_lawgov.accounts.models import ApiToken
    from xianan_lawgov.accounts.tokens import issue_token

    return issue_token(ApiToken(user=User.objects.get(username=username), name="benchmark"))


def pages(office: dict, liaison: dict, client: dict) -> list[tuple[str, dict | None, str]]:
    from registers.models import Document

    largest = Document.objects.order_by("-id").values_list("id", flat=True).first()
    return [
        ("office home", office, "/"),
        ("liaison home", liaison, "/"),
        ("review queue", office, "/review/"),
        ("deadline board", office, "/deadlines/"),
        ("2017 report page", office, "/reports/2017/"),
        ("admin: documents", office, "/admin/registers/document/"),
        ("admin: documents, search", office, "/admin/registers/document/?q=%E5%8A%9E%E6%B3%95"),
        ("admin: documents, filter", office, "/admin/registers/document/?status__exact=approved"),
        ("admin: document form", office, f"/admin/registers/document/{largest}/change/"),
        ("admin: contracts", office, "/admin/reviews/governmentcontract/"),
        ("API: documents", client, "/api/v1/documents/?page=1"),
        ("API: contracts", client, "/api/v1/contracts/?page=1"),
        ("API: reconsideration", client, "/api/v1/reconsideration-cases/?page=1"),
        ("API: inspection items", client, "/api/v1/inspection-items/?page=1"),
        ("API: power items", client, "/api/v1/power-items/?page=1"),
    ]


class Client:
    """One keep-alive connection; each request returns its time in seconds."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def get(self, path: str, headers: dict | None) -> float:
        started = time.perf_counter()
        self.connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}: {body[:300]!r}")
        return elapsed


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def single_client(port: int, page, warmup: int, requests: int) -> list[float]:
    _label, headers, path = page
    client = Client(port)
    for _ in range(warmup):
        client.get(path, headers)
    return [client.get(path, headers) for _ in range(requests)]


def touch() -> None:
    """A change to the data, as any save makes: what was kept for the old data (lists, the
    report's figures) is computed again by the next request."""
    from registers.models import Unit

    unit = Unit.objects.order_by("pk").first()
    unit.save()


def after_a_change(port: int, page, times: int = 3) -> list[float]:
    """The page's time on its first request after a change to the data."""
    _label, headers, path = page
    client = Client(port)
    found = []
    for _ in range(times):
        touch()
        found.append(client.get(path, headers))
    return found


def many_clients(port: int, mix: list, clients: int, seconds: float) -> tuple[float, list]:
    times: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(seed: int) -> None:
        chooser = random.Random(seed)
        client = Client(port)
        mine = []
        while time.monotonic() < stop:
            _label, headers, path = chooser.choice(mix)
            mine.append(client.get(path, headers))
        with lock:
            times.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times) / (time.monotonic() - started), times


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "HTTPS_ONLY": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_REQUESTS": "0",
        "GUNICORN_WORKERS": str(workers),
        "LAWGOV_TWO_FACTOR_ROLES": "",
        "LAWGOV_API_RATE_PER_TOKEN": "100000000/hour",
        # The API makes the district's files in the request instead of handing them to the
        # worker (none runs here): what is measured is making the file.
        "LAWGOV_REPORT_FILES_IN_BACKGROUND": "0",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "xianan_lawgov.wsgi",
        ],
        cwd=ROOT,
        env=environment,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            Client(port).get("/healthz", None)
            return server
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    # Enough for every worker to have each page's kept results in its own memory (a worker
    # that has not takes them from the shared cache, slower).
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args()

    os.environ["LAWGOV_TWO_FACTOR_ROLES"] = ""
    # Static files as production serves them (collected, hashed names), shared with gunicorn.
    os.environ.setdefault("STATIC_ROOT", "/tmp/bench_pages_static")
    start_django(options.database_url)
    fill(options.scale)
    analyze()
    # Nothing kept by an earlier run: the first requests below make what they measure.
    from django.core.cache import cache

    cache.clear()
    office = {"Cookie": session_cookie("office")}
    liaison = {"Cookie": session_cookie("liaison")}
    client = {"Authorization": f"Token {api_token('municipal')}"}
    measured = pages(office, liaison, client)

    port = free_port()
    server = start_gunicorn(options.database_url, port, options.workers)
    try:
        bare = single_client(port, BARE, options.warmup, options.requests)
        rows, failures = [], []
        bare_p95 = p95(bare)
        rows.append([BARE[0], f"{statistics.median(bare) * 1000:.0f}", f"{bare_p95 * 1000:.0f}"])
        for page in measured:
            times = single_client(port, page, options.warmup, options.requests)
            changed = after_a_change(port, page)
            page_p95 = p95(times)
            ratio = page_p95 / bare_p95
            ok = ratio <= 20 and page_p95 < 0.3
            failures += [] if ok else [page[0]]
            rows.append(
                [
                    page[0],
                    f"{statistics.median(times) * 1000:.0f}",
                    f"{page_p95 * 1000:.0f}",
                    f"{ratio:.1f}×",
                    "PASS" if ok else "FAIL",
                    f"{statistics.median(changed) * 1000:.0f}",
                ]
            )
        rows[0] += ["1.0×", "", ""]

        # The first request makes the file (the figures are already kept by the pages
        # above); the next ones find it kept until the data changes.
        json_first, *json_times = single_client(
            port, ("", office, "/api/v1/reports/2017/report.json"), 0, 4
        )
        xlsx_first, *xlsx_times = single_client(
            port, ("", office, "/api/v1/reports/2017/report.xlsx"), 0, 4
        )
        report_ratio = min(xlsx_times) / min(json_times)
        first_ratio = xlsx_first / json_first

        mix_rate, mix_times = many_clients(port, measured, options.clients, options.seconds)
        bare_rate, bare_times = many_clients(port, [BARE], options.clients, options.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"{machine()}; gunicorn {options.workers} workers; scale {options.scale}\n")
    print("Single client, warm (ms):\n")
    print(
        markdown_table(
            ["page", "p50", "p95", "p95 ÷ bare", "target", "after a change (median of 3)"], rows
        )
    )
    mix_share = mix_rate / bare_rate
    print(f"\n{options.clients} clients for {options.seconds:.0f} s:\n")
    print(
        markdown_table(
            ["requests", "per second", "p95 (ms)", "÷ bare page's rate", "target"],
            [
                [
                    "mix of the pages above",
                    f"{mix_rate:.1f}",
                    f"{p95(mix_times) * 1000:.0f}",
                    f"{mix_share:.0%}",
                    "PASS" if mix_share >= 0.25 else "FAIL",
                ],
                ["bare page", f"{bare_rate:.1f}", f"{p95(bare_times) * 1000:.0f}", "100%", ""],
            ],
        )
    )
    print(
        f"\nAnnual report 2017: JSON {min(json_times) * 1000:.0f} ms, "
        f".xlsx {min(xlsx_times) * 1000:.0f} ms ({report_ratio:.1f}×; target ≤ 3×: "
        f"{'PASS' if report_ratio <= 3 else 'FAIL'}); first requests (making the files): "
        f"JSON {json_first * 1000:.0f} ms, .xlsx {xlsx_first * 1000:.0f} ms "
        f"({first_ratio:.1f}×)"
    )
    if failures:
        print("\nPages over target: " + ", ".join(failures))


if __name__ == "__main__":
    main()
