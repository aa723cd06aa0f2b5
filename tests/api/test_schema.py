"""The OpenAPI schema validates, describes the API in Chinese, and its docs page is local."""

import re
import subprocess
import sys

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

from tests.api.conftest import RESOURCES


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_spectacular_validates_without_a_single_warning(tmp_path):
    output = tmp_path / "schema.yaml"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(output),
        ],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stderr
    assert output.read_text().startswith("openapi: 3.")


def test_every_resource_is_described_in_chinese(schema):
    for prefix, viewset in RESOURCES.items():
        model = viewset.queryset.model
        operation = schema["paths"][f"/api/v1/{prefix}/"]["get"]
        if prefix != "tokens":
            assert operation["summary"] == f"{model._meta.verbose_name_plural}列表"
            assert operation["tags"] == [str(model._meta.verbose_name_plural)]
        assert re.search(r"[\u4e00-\u9fff]", operation["description"]), prefix


def test_components_are_described_in_chinese_or_not_at_all(schema):
    """A reader of the API documentation sees each component described by the record it holds,
    not by an English docstring from the code."""
    described = {
        name: component["description"]
        for name, component in schema["components"]["schemas"].items()
        if "description" in component and component.get("type") == "object"
    }
    assert described["ReconsiderationCase"] == "行政复议案件"
    assert described["PatchedReconsiderationCaseRequest"] == "行政复议案件"
    for name, description in described.items():
        assert re.search(r"[\u4e00-\u9fff]", description), (name, description)


def texts_for_readers(node):
    """Every description, summary and title anywhere in the schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary", "title") and isinstance(value, str):
                yield value
            else:
                yield from texts_for_readers(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts_for_readers(value)


def test_no_text_for_readers_is_left_in_english(schema):
    """Responses without a body and the token login included (drf-spectacular writes
    them in English); a name such as SHA-256 is not a sentence."""
    english = {
        text
        for text in texts_for_readers(schema)
        if text and not re.search(r"[\u4e00-\u9fff]", text) and " " in text
    }
    assert english == set()
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token["name"] == "Authorization" and "Token" in token["description"]


def test_lists_document_sync_paging_and_tombstones(schema):
    operation = schema["paths"]["/api/v1/reconsideration-cases/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"updated_since", "cursor", "page", "page_size", "search", "ordering"} <= names
    assert {"unit", "unit_code", "status", "year", "received_on__gte"} <= names
    page = schema["components"]["schemas"]["PaginatedReconsiderationCaseList"]
    assert "deleted" in page["properties"]


def test_deadlines_are_typed_with_how_they_were_computed(schema):
    case = schema["components"]["schemas"]["ReconsiderationCase"]["properties"]
    assert case["deadlines"]["type"] == "array"
    deadline = schema["components"]["schemas"]["Deadline"]["properties"]
    assert {"due", "start", "rule", "explanation"} <= set(deadline)


def test_the_docs_page_loads_everything_from_this_server(client, office):
    client.force_login(office)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert references, html
    # Static files, and the page's own script (served apart: no inline script under CSP).
    assert all(ref.startswith(("/static/", "/api/docs/?script")) for ref in references)
    assert "https://" not in html and "http://" not in html
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))
    for ref in references:
        assert client.get(ref).status_code == 200, ref
    script = client.get("/api/docs/?script=").content.decode()
    assert "/api/schema/" in script


def test_report_figure_values_are_typed_as_numbers_dates_or_null(schema):
    figure = schema["components"]["schemas"]["Figure"]["properties"]
    value_types = {option.get("type") for option in figure["value"]["anyOf"]}
    assert {"integer", "number"} <= value_types
    assert figure["value"]["nullable"] is True
    assert figure["previous"]["anyOf"] == figure["value"]["anyOf"]
    assert figure["change"]["type"] == "number" and figure["change"]["nullable"] is True
