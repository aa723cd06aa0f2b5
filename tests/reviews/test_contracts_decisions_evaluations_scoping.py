"""Who sees what: contracts, decisions and evaluations of unit A against a liaison of unit B."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from registers.core.permissions import scope_queryset
from registers.core.status import Status
from reviews.models import (
    DecisionCategory,
    DecisionParticipant,
    DecisionStep,
    EvaluationProblem,
    FileVeto,
    Stance,
    StepKind,
    VetoItem,
)
from tests.factories import (
    make_catalogue,
    make_contract,
    make_decision,
    make_evaluated_file,
    make_problem,
    make_round,
)

SECRET = "城管内部记录"


@pytest.fixture
def records(unit_a):
    """One record of every kind owned by unit A, each showing ``SECRET`` on its page."""
    contract = make_contract(unit_a, title=f"{SECRET}合同", amount=Decimal("50000"))
    decision = make_decision(unit_a, title=f"{SECRET}决策")
    DecisionStep.objects.create(decision=decision, kind=StepKind.RISK_ASSESSMENT, method=SECRET)
    DecisionParticipant.objects.create(
        decision=decision, name="吴建军", post="副区长", stance=Stance.DISSENT, reason=SECRET
    )
    file = make_evaluated_file(unit_a, case_title=f"{SECRET}案卷")
    FileVeto.objects.create(file=file, item=VetoItem.OTHER, note=SECRET)
    make_problem(file, description=SECRET)
    return {
        "governmentcontract": contract,
        "majordecision": decision,
        "evaluatedfile": file,
    }


MODELS = ["governmentcontract", "majordecision", "evaluatedfile"]


def admin_url(model, view, *args):
    return reverse(f"admin:reviews_{model}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_liaison_sees_their_units_records_and_liaison2_does_not(
    client, liaison, liaison2, records, model
):
    client.force_login(liaison)
    assert SECRET in client.get(admin_url(model, "changelist")).content.decode()
    client.force_login(liaison2)
    page = client.get(admin_url(model, "changelist")).content.decode()
    assert SECRET not in page


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_another_units_record_and_its_child_rows_answer_404(
    client, liaison, liaison2, records, model, view
):
    pk = records[model].pk
    client.force_login(liaison)
    assert client.get(admin_url(model, view, pk)).status_code == 200
    client.force_login(liaison2)
    response = client.get(admin_url(model, view, pk))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("model", [DecisionStep, DecisionParticipant, FileVeto, EvaluationProblem])
def test_child_rows_are_scoped_through_their_parent(liaison, liaison2, office, records, model):
    assert scope_queryset(model.objects.all(), liaison).count() == 1
    assert scope_queryset(model.objects.all(), liaison2).count() == 0
    assert scope_queryset(model.objects.all(), office).count() == 1


def test_child_rows_show_on_the_parent_page_for_the_owning_liaison(client, liaison, records):
    client.force_login(liaison)
    decision_page = client.get(
        admin_url("majordecision", "change", records["majordecision"].pk)
    ).content.decode()
    assert decision_page.count(SECRET) >= 3  # title, risk assessment, dissent reason


@pytest.mark.parametrize(
    ("model", "make"),
    [
        ("decisioncatalogue", lambda: make_catalogue(title="2017年度重大行政决策事项目录")),
        ("evaluationround", lambda: make_round(name="2017年第一次案卷评查")),
    ],
)
def test_catalogues_and_rounds_are_reference_data_every_liaison_reads_but_cannot_change(
    client, liaison, liaison2, office, model, make
):
    obj = make()
    for user in (liaison, liaison2):
        client.force_login(user)
        assert str(obj) in client.get(admin_url(model, "changelist")).content.decode()
        page = client.get(admin_url(model, "change", obj.pk)).content.decode()
        assert 'name="_save"' not in page
        assert client.get(admin_url(model, "add")).status_code == 403
    client.force_login(office)
    assert client.get(admin_url(model, "add")).status_code == 200


def test_liaison_adds_a_decision_as_a_draft_of_their_own_unit(client, liaison, unit_b):
    catalogue = make_catalogue()
    client.force_login(liaison)
    response = client.post(
        admin_url("majordecision", "add"),
        {
            "catalogue": catalogue.pk,
            "unit": unit_b.pk,
            "title": "城区停车收费管理办法",
            "category": DecisionCategory.PUBLIC_POLICY,
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    decision = catalogue.decisions.get()
    assert (decision.unit, decision.status) == (liaison.unit, Status.DRAFT)


def test_contract_changelist_queries_do_not_grow_with_rows(
    client, office, unit_a, django_assert_max_num_queries
):
    for n in range(20):
        make_contract(
            unit_a,
            amount=Decimal("30000") * (n + 1),
            filed_on=datetime.date(2017, 3, 1),
            signed_on=datetime.date(2017, 3, 2),
        )
    client.force_login(office)
    with django_assert_max_num_queries(12):
        assert client.get(admin_url("governmentcontract", "changelist")).status_code == 200


def test_decision_changelist_queries_do_not_grow_with_rows(
    client, office, unit_a, django_assert_max_num_queries
):
    catalogue = make_catalogue()
    for n in range(15):
        decision = make_decision(unit_a, catalogue=catalogue, title=f"决策事项{n}")
        DecisionStep.objects.create(
            decision=decision, kind=StepKind.EXPERT_ARGUMENT, method="论证会"
        )
    client.force_login(office)
    with django_assert_max_num_queries(12):
        page = client.get(admin_url("majordecision", "changelist")).content.decode()
    assert "公众参与、专家论证、风险评估" in page  # no step is finished: all three pending


def test_a_rounds_file_count_is_of_the_files_the_reader_may_see(
    client, liaison, liaison2, office, unit_a, unit_b
):
    """The round is every unit's; its files are their units' (drafts included): a liaison
    counting another unit's files would learn of their drafts."""
    evaluation_round = make_round()
    for unit in (unit_a, unit_a, unit_b):
        make_evaluated_file(unit, round=evaluation_round)
    for user, count in ((liaison, 2), (liaison2, 1), (office, 3)):
        client.force_login(user)
        page = client.get(admin_url("evaluationround", "changelist")).content.decode()
        assert re.search(rf'<td class="field-file_count">{count}</td>', page), user
