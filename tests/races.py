"""Races run truly at the same moment: each side in its own thread with its own database
connection, released together by a barrier. They need several connections with row (or
advisory) locks between them, so they run on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections


def races(*, elsewhere: str) -> list:
    """The marks of a module of races: PostgreSQL only (``elsewhere`` says where the same
    rules are tested one step after another), with real transactions."""
    return [
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason=f"needs several database connections at once (PostgreSQL); {elsewhere}",
        ),
        pytest.mark.django_db(transaction=True),
    ]


def at_once(*calls):
    """Run each call in its own thread (its own connection), all released together."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results
