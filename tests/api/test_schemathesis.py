"""Property-based run over the whole schema against the demo data (schemathesis).

Every operation gets generated requests as each kind of caller: the office (who may write
everything) and a liaison (their own unit), each with a signed-in browser session and its
CSRF token, the municipal system (a read-only token) and anonymous. Every check schemathesis
has runs on every answer (no server error, no broken streamed download, status codes,
content types, headers and bodies as the schema says, refused credentials honoured…) but:
"schema-valid data is accepted", which cannot hold for records that name other records (a
unit id that does not exist is schema-valid) or break a register's rules, which the API
refuses with 400 and a code, as it should; and, for the people, "refused credentials
honoured", which cannot take their session cookie away (the token's run checks it).

The suite runs a few examples an operation with a fixed seed; a longer run (nightly):
``LAWGOV_SCHEMATHESIS_EXAMPLES=50 pytest tests/api/test_schemathesis.py`` (README).
"""

import io
import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from registers.models import User
from tests.factories import make_token
from xianan_lawgov.accounts.models import TOKEN_ROLES
from xianan_lawgov.wsgi import application

MAX_EXAMPLES = int(os.environ.get("LAWGOV_SCHEMATHESIS_EXAMPLES", "2"))


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    # schemathesis calls the WSGI application as http://localhost; like Django's test client,
    # keep the connection (and its open transaction) across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), override_settings(ALLOWED_HOSTS=["localhost"]):
            with transaction.atomic():
                call_command("load_demo", force=True, stdout=io.StringIO())
                yield
                transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def credentials(username: str) -> dict[str, dict[str, str]]:
    """How ``username`` calls the API: a system with its token, a person with the cookie of a
    signed-in session and the CSRF token, as the browser's pages send them."""
    if username == "anonymous":
        return {}
    user = User.objects.get(username=username)
    if user.role in TOKEN_ROLES:
        return {"headers": {"Authorization": f"Token {make_token(user)}"}}
    browser = Client()
    browser.force_login(user)
    csrf = get_random_string(32)
    return {
        "headers": {"X-CSRFToken": csrf},
        "cookies": {
            django_settings.SESSION_COOKIE_NAME: browser.cookies[
                django_settings.SESSION_COOKIE_NAME
            ].value,
            django_settings.CSRF_COOKIE_NAME: csrf,
        },
    }


@pytest.fixture(scope="module")
def api_schema(demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        # The schema is behind login (LAWGOV_API_DOCS_PUBLIC is off).
        return schemathesis.openapi.from_wsgi(
            "/api/schema/", application, **credentials("municipal")
        )


def _run(api_schema, signed_in: dict[str, dict[str, str]]) -> list[str]:
    failures = []
    excluded = [positive_data_acceptance]
    if "cookies" in signed_in:
        # The check sends the request again with made-up credentials, but cannot take the
        # session cookie away: the token's and anonymous runs check refused credentials.
        excluded.append(ignored_auth)
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # A streamed download is read to its end: an error half-way fails the check.
            case.call_and_validate(**signed_in, excluded_checks=excluded)

        try:
            check()
        except BaseException as error:  # collect every failing operation, then report all
            if isinstance(error, KeyboardInterrupt):
                raise
            failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:1500])
    return failures


@pytest.mark.parametrize("username", ["office", "liaison", "municipal", "anonymous"])
def test_no_server_error_and_no_schema_break(api_schema, username, django_db_blocker):
    with django_db_blocker.unblock():
        signed_in = credentials(username)
        with transaction.atomic():
            failures = _run(api_schema, signed_in)
            transaction.set_rollback(True)
    assert not failures, "\n\n".join(failures)
