"""Start Django for a benchmark script run from the repository (``python benchmarks/x.py``)."""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django(database_url: str) -> None:
    """Point the project at ``database_url`` and set Django up, with DEBUG off.

    DEBUG stays off so Django does not record every query (which would slow what is
    measured); a throwaway key satisfies the production settings.
    """
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianan_lawgov.settings")
    import django

    django.setup()


def prepare_database() -> None:
    """Bring the benchmark database to the project's schema, with the table of the shared
    cache (``createcachetable``) that the figures and pages keep their results in. A
    PostgreSQL database named in the address is created first when the server has none of
    that name, so each command in the README runs on a fresh server."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        # The connection Django's own test runner uses to create its database: the
        # server's maintenance database, outside any transaction.
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def machine() -> str:
    """One line describing where the numbers come from."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{database}"
    )


def best_time(function, repeat: int) -> float:
    """The fastest of ``repeat`` runs after a warm-up (the least disturbed by other load)."""
    function()  # warm-up: caches, the calendar package, the database's buffers
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def markdown_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
