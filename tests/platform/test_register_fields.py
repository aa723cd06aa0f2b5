"""A register's fields are declared once (the model's ``register_fields``): the upload
template's columns, the API's fields and the export's columns all come from there."""

import pytest
from django.apps import apps

from registers.api import ROUTES as REGISTER_ROUTES
from registers.core.api.exports import WORKFLOW_EXPORT, exported_fields
from registers.core.api.serializers import WorkflowSerializer
from registers.resources import EXCHANGE_RESOURCES as REGISTER_RESOURCES
from reviews import models
from reviews.api import ROUTES as REVIEW_ROUTES
from reviews.api import (
    CleanupItemViewSet,
    EvaluationRoundViewSet,
    FilingViewSet,
    LegalityReviewViewSet,
)
from reviews.resources import EXCHANGE_RESOURCES as REVIEW_RESOURCES
from reviews.serializers import FilingSerializer, MajorDecisionSerializer

VIEWSETS = {viewset.queryset.model: viewset for _prefix, viewset in REGISTER_ROUTES + REVIEW_ROUTES}
DECLARING = [
    model
    for model in apps.get_models()
    if model._meta.app_label in ("registers", "reviews") and getattr(model, "register_fields", ())
]


@pytest.mark.parametrize("model", DECLARING, ids=lambda model: model.__name__)
def test_a_registers_declared_fields_are_its_own_fields(model):
    names = {field.name for field in model._meta.get_fields() if field.concrete}
    assert set(model.register_fields) <= names
    assert len(set(model.register_fields)) == len(model.register_fields)
    assert set(model.export_omits) <= set(model.register_fields)
    assert set(model.office_only_fields) <= set(model.register_fields)


@pytest.mark.parametrize(
    "resource", REGISTER_RESOURCES + REVIEW_RESOURCES, ids=lambda resource: resource.slug
)
def test_every_upload_column_is_a_field_the_api_shows_under_the_same_label(resource):
    model = resource._meta.model
    serializer = VIEWSETS[model].serializer_class()
    columns = [field for field in resource().get_import_fields() if not field.readonly]
    assert [field.attribute for field in columns if field.attribute not in ("unit", "status")] == [
        name for name in model.register_fields if name in [f.attribute for f in columns]
    ]
    for column in columns:
        assert column.attribute in serializer.fields, column.attribute
        assert str(serializer.fields[column.attribute].label) == str(column.column_name)


@pytest.mark.parametrize("model", DECLARING, ids=lambda model: model.__name__)
def test_an_export_writes_the_declared_fields_but_those_it_leaves_out(model):
    viewset = VIEWSETS.get(model)
    if viewset is None:
        pytest.skip("no list of its own in the API")
    exported = {name.removesuffix("_id") for name in viewset.export_fields}
    for name in model.register_fields:
        assert (name in exported) != (name in model.export_omits), name


def test_a_serializer_that_lists_no_fields_shows_the_workflow_the_handler_then_its_own():
    workflow = WorkflowSerializer.WORKFLOW_FIELDS
    assert LegalityReviewViewSet.serializer_class.Meta.fields == [
        *workflow,
        *models.LegalityReview.register_fields,
    ]
    assert FilingSerializer.Meta.fields == [
        *workflow,
        "handler",
        "handler_name",
        *models.Filing.register_fields,
        "due_on",
        "due_explanation",
        "timeliness",
    ]
    steps = MajorDecisionSerializer._declared_fields["steps"].child
    assert steps.Meta.fields == ["id", *models.DecisionStep.register_fields]


def test_an_export_that_names_no_columns_starts_with_the_record_and_its_parent():
    assert FilingViewSet.export_fields == (
        *WORKFLOW_EXPORT,
        *exported_fields(models.Filing, document=("number", "issued_on")),
    )
    assert CleanupItemViewSet.export_fields == (
        "id",
        "campaign_id",
        *exported_fields(models.CleanupItem, document=("number", "kind")),
    )
    assert EvaluationRoundViewSet.export_fields == ("id", *exported_fields(models.EvaluationRound))
