"""A CHECK constraint's condition, evaluated on an unsaved row as the database would: a
comparison with an empty value is "unknown", and only a definite False breaks the rule."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import F, Q

from registers.core.exchange.checking import compile_condition
from reviews.models import GovernmentContract


def evaluate(condition, **values):
    return compile_condition(condition, GovernmentContract)(GovernmentContract(**values))


MAY_1, MAY_2 = datetime.date(2017, 5, 1), datetime.date(2017, 5, 2)


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        (Q(amount__gte=0), {"amount": Decimal("5")}, True),
        (Q(amount__gte=0), {"amount": Decimal("-1")}, False),
        (Q(amount__gte=0), {"amount": None}, None),
        (Q(filed_on__gte=F("signed_on")), {"signed_on": MAY_2, "filed_on": MAY_1}, False),
        (Q(filed_on__gte=F("signed_on")), {"signed_on": MAY_1, "filed_on": None}, None),
        (Q(filed_on__isnull=True), {"filed_on": None}, True),
        (Q(number="HT-1"), {"number": "HT-1"}, True),
        (Q(status__in=["draft", "submitted"]), {"status": "approved"}, False),
        # AND: one False decides; otherwise an unknown makes it unknown.
        (Q(amount__gte=0, filed_on__gte=F("signed_on")), {"amount": -1, "filed_on": None}, False),
        (Q(amount__gte=0, filed_on__gte=F("signed_on")), {"amount": 1, "filed_on": None}, None),
        # OR: one True decides; otherwise an unknown makes it unknown.
        (Q(amount__gte=0) | Q(filed_on__isnull=True), {"amount": None, "filed_on": None}, True),
        (Q(amount__gte=0) | Q(filed_on__isnull=False), {"amount": None, "filed_on": None}, None),
        (Q(amount__gte=0) | Q(filed_on__isnull=False), {"amount": -1, "filed_on": None}, False),
        # NOT of unknown stays unknown.
        (~Q(amount__gte=0), {"amount": None}, None),
        (~Q(amount__gte=0), {"amount": Decimal("-1")}, True),
    ],
)
def test_conditions_are_evaluated_with_sqls_three_values(condition, values, expected):
    assert evaluate(condition, **values) is expected
