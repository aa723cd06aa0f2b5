"""The embedded database (SQLite, the default of ``make run``) as several processes share
it: the web server and the background worker, which looks at its queue every second.

A transaction on a database file takes the write lock when it begins (``BEGIN IMMEDIATE``)
and another waits for it, up to 20 seconds. By default both would read first, and the one
that then wrote second would fail at once with "database is locked": a clerk saving while
the worker polled was answered 503. An in-memory database (the tests') is one process's
and keeps SQLite's default.
"""

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if not self.is_in_memory_db():
            self.transaction_mode = self.transaction_mode or "IMMEDIATE"
            params.setdefault("timeout", 20)
        return params
