"""A Content Security Policy on every page (nothing from elsewhere, no inline script), and the
API's schema and documentation behind login unless a setting opens them."""

import re
from pathlib import Path

import pytest

from tests.test_settings import run_manage

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


@pytest.mark.parametrize("path", ["/login/", "/", "/admin/", "/api/docs/", "/account/"])
def test_every_page_has_a_content_security_policy(client, office, path):
    if path != "/login/":
        client.force_login(office)
    directives = policy(client.get(path))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, nothing from elsewhere
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_no_template_has_inline_script_or_event_handlers():
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offending.append(f"{template}: {tag}")
        offending += [f"{template}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        offending += [f"{template}: javascript:" for _ in re.findall(r"javascript:", text)]
    assert offending == []


def test_the_schema_and_docs_need_a_login(client, office):
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/")["Location"].startswith("/login/")
    client.force_login(office)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_a_setting_opens_the_schema_and_docs():
    script = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/api/schema/').status_code, c.get('/api/docs/').status_code)"
    )
    # (DEBUG on only so that static files need no collectstatic run.)
    env = {"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "testserver", "DEBUG": "1"}
    opened = run_manage("shell", "--no-imports", "-c", script, LAWGOV_API_DOCS_PUBLIC="1", **env)
    closed = run_manage("shell", "--no-imports", "-c", script, **env)
    assert opened.stdout.split() == ["200", "200"], opened.stderr[-2000:]
    assert closed.stdout.split() == ["401", "302"], closed.stderr[-2000:]
