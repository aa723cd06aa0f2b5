"""The 2017 acceptance figures on documents, computed from the demo records.

The numbers asserted here are the seed report's; every one is computed by the queryset
methods the annual report calls, from the records ``load_demo`` writes.
"""

import datetime

from django.core.management import call_command
from django.test import override_settings

from registers.models import (
    Document,
    DocumentChange,
    DocumentKind,
    DocumentStatus,
    IntegratedItem,
    LicenceReformBatch,
)
from reviews.models import (
    CleanupCampaign,
    CleanupItem,
    CleanupOutcome,
    CommentDraftReply,
    Filing,
    FilingAuthority,
    LegalityReview,
    ReviewKind,
)

D = datetime.date


def load_demo():
    with override_settings(DEBUG=True), open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)


def test_2017_document_figures_come_out_of_the_records(demo):
    reviews = LegalityReview.objects.approved().completed_in(2017).counts_by_kind()
    assert sum(reviews.values()) == 85
    assert reviews[ReviewKind.NORMATIVE] == 3

    assert CommentDraftReply.objects.approved().replied_in(2017).count() == 6

    filings = (
        Filing.objects.approved()
        .filed_with(FilingAuthority.MUNICIPAL_GOVERNMENT)
        .filed_in(2017)
        .figures()
    )
    assert filings == {"filed": 2, "on_time": 2, "late": 0}

    tally = CleanupItem.objects.confirmed_in(2017).tally()
    assert tally.total == 576
    assert tally.of_kind(DocumentKind.NORMATIVE) == 21
    assert tally.of_outcome(CleanupOutcome.CONTINUE) == 13
    assert tally.of_outcome(CleanupOutcome.REPEAL) == 8
    assert tally.of_kind(DocumentKind.NON_NORMATIVE) == 555
    assert tally.of_outcome(CleanupOutcome.IN_VALIDITY) == 367
    assert tally.of_outcome(CleanupOutcome.PAST_VALIDITY) == 63
    assert tally.of_outcome(CleanupOutcome.TO_REVISE) == 125
    # Parts add up to their totals.
    for kind, count, outcomes in tally.rows():
        assert count == sum(n for _outcome, n in outcomes), kind

    [batch] = LicenceReformBatch.objects.figures_for_year(2017)
    assert (batch["name"], batch["item_count"]) == ("27证合一", 27)
    assert batch["first_licence_on"] == D(2017, 8, 1)


def test_the_demo_clean_up_covers_the_576_government_documents_and_changed_the_register(demo):
    campaign = CleanupCampaign.objects.confirmed_in(2017).get()
    covered = Document.objects.filter(cleanup_items__campaign=campaign)
    assert set(covered.values_list("unit__code", flat=True)) == {"G01", "G02"}
    assert covered.issued_in(2008).exists() and covered.issued_in(2017).exists()

    confirmed_on = campaign.confirmed_on
    repealed = covered.in_status_on(confirmed_on, DocumentStatus.REPEALED)
    assert repealed.count() == 8
    assert not covered.in_status_on(
        confirmed_on - datetime.timedelta(days=1), DocumentStatus.REPEALED
    ).exists()
    assert set(repealed.values_list("kind", flat=True)) == {DocumentKind.NORMATIVE}
    # The day before confirmation, exactly the 63 documents judged past validity had expired.
    expired = covered.in_status_on(confirmed_on, DocumentStatus.EXPIRED)
    assert set(expired.values_list("cleanup_items__outcome", flat=True)) == {
        CleanupOutcome.PAST_VALIDITY
    }
    assert expired.count() == 63
    # The two 2017 normative documents filed that year were reviewed first and both kept.
    for filing in Filing.objects.filed_in(2017).select_related("document"):
        assert filing.document.legality_reviews.get().completed_on <= filing.document.issued_on
        assert filing.document.cleanup_items.get().outcome == CleanupOutcome.CONTINUE


def snapshot():
    models = [
        Document,
        DocumentChange,
        LicenceReformBatch,
        IntegratedItem,
        LegalityReview,
        CommentDraftReply,
        Filing,
        CleanupCampaign,
        CleanupItem,
    ]
    return {model.__name__: (model.objects.count(), model.history.count()) for model in models}


def test_loading_the_demo_twice_writes_nothing_the_second_time(demo):
    first = snapshot()
    load_demo()
    assert snapshot() == first
