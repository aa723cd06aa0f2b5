"""A filter by a linked record (``?item=84``) holds to the records the user may see.

Generated over every such filter the router serves: a liaison naming another unit's record
gets the answer a number that names nothing gets, so the filter tells nobody which records
exist; the owner's liaison filters by it; and the browsable API's filter form asks for a
number instead of offering every unit's records, names included, as choices.
"""

import django_filters
import pytest

from registers.core import permissions as rules
from tests.api.conftest import RESOURCES, SAMPLES, client_for

pytestmark = pytest.mark.django_db

#: The resource whose sample is a record of each model.
SAMPLE_OF = {RESOURCES[name].queryset.model: name for name in SAMPLES}

LINKED_FILTERS = [
    (prefix, name, linked.queryset.model)
    for prefix, viewset in RESOURCES.items()
    if getattr(viewset, "filterset_class", None)
    for name, linked in viewset.filterset_class.base_filters.items()
    if isinstance(linked, django_filters.filters.QuerySetRequestMixin)
]
SCOPED_LINKED_FILTERS = [
    (prefix, name, model)
    for prefix, name, model in LINKED_FILTERS
    if not rules.is_reference_data(model)
]


def test_the_linked_filters_cover_the_registers_that_have_them():
    assert {(prefix, name) for prefix, name, _model in SCOPED_LINKED_FILTERS} >= {
        ("check-points", "item"),
        ("conflicts", "officer"),
        ("filings", "document"),
        ("reconsideration-suspensions", "case"),
        ("litigation-hearings", "case"),
    }


@pytest.mark.parametrize(
    ("prefix", "name", "model"),
    SCOPED_LINKED_FILTERS,
    ids=[f"{prefix}?{name}" for prefix, name, _model in SCOPED_LINKED_FILTERS],
)
def test_another_units_record_is_refused_as_one_that_does_not_exist(
    prefix, name, model, liaison, liaison2, unit_b
):
    theirs = SAMPLES[SAMPLE_OF[model]](unit_b, liaison2)
    missing = model._default_manager.order_by("-pk").first().pk + 1000
    url = f"/api/v1/{prefix}/"
    mine = client_for(liaison)

    refused = mine.get(url, {name: theirs.pk})
    absent = mine.get(url, {name: missing})
    assert refused.status_code == absent.status_code == 400
    assert refused.json()["code"] == absent.json()["code"] == "invalid_choice"
    assert str(theirs.pk) not in refused.json()["detail"]

    assert client_for(liaison2).get(url, {name: theirs.pk}).status_code == 200


@pytest.mark.parametrize(
    ("prefix", "name", "model"),
    LINKED_FILTERS,
    ids=[f"{prefix}?{name}" for prefix, name, _model in LINKED_FILTERS],
)
def test_the_browsable_filter_form_asks_for_a_number(prefix, name, model, municipal, unit_b):
    record = SAMPLES[SAMPLE_OF[model]](unit_b, None) if model in SAMPLE_OF else None
    page = client_for(municipal).get(f"/api/v1/{prefix}/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'type="number" name="{name}"' in html
    assert f'<select name="{name}"' not in html
    if record is not None:
        assert f'<option value="{record.pk}"' not in html
