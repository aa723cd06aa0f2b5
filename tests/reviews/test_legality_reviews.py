"""Legality reviews of drafts and replies to comment drafts: rules and the year's figures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registers.core.status import Status
from registers.models import DocumentKind
from reviews.models import CommentDraftReply, LegalityReview, ReviewKind, ReviewResult
from tests.factories import make_comment_draft_reply, make_document, make_legality_review

D = datetime.date


def test_reviews_count_in_the_year_they_were_completed_by_kind(db, django_assert_num_queries):
    make_legality_review(
        kind=ReviewKind.NORMATIVE, received_on=D(2017, 2, 27), completed_on=D(2017, 3, 9)
    )
    make_legality_review(kind=ReviewKind.DECISION, completed_on=D(2017, 6, 1))
    make_legality_review(kind=ReviewKind.OTHER, completed_on=D(2017, 12, 29))
    # Received in 2016, completed in 2017: belongs to 2017.
    make_legality_review(
        kind=ReviewKind.OTHER, received_on=D(2016, 12, 28), completed_on=D(2017, 1, 3)
    )
    # Received in 2017, completed in 2018: not a 2017 figure.
    make_legality_review(
        kind=ReviewKind.OTHER, received_on=D(2017, 12, 27), completed_on=D(2018, 1, 4)
    )
    make_legality_review(
        kind=ReviewKind.OTHER, received_on=D(2017, 12, 28), completed_on=None, result=""
    )
    make_legality_review(kind=ReviewKind.DECISION, completed_on=D(2017, 8, 1), status=Status.DRAFT)

    reviews = LegalityReview.objects.approved().completed_in(2017)
    with django_assert_num_queries(1):
        by_kind = reviews.counts_by_kind()
    assert by_kind == {ReviewKind.NORMATIVE: 1, ReviewKind.DECISION: 1, ReviewKind.OTHER: 2}
    assert LegalityReview.objects.pending().count() == 1
    assert reviews.of_kind(ReviewKind.OTHER).count() == by_kind[ReviewKind.OTHER]


def test_a_completed_review_needs_both_a_date_and_a_result(db):
    review = make_legality_review(completed_on=None, result="")
    review.completed_on = D(2017, 5, 9)
    with pytest.raises(ValidationError, match="完成日期和审核结论"):
        review.full_clean()


def test_a_review_cannot_be_completed_before_it_was_received(db):
    review = make_legality_review()
    review.completed_on = D(2017, 4, 30)
    with pytest.raises(ValidationError, match="不能早于收件日期"):
        review.full_clean()


@pytest.fixture
def normative_review(db):
    return make_legality_review(
        kind=ReviewKind.NORMATIVE,
        received_on=D(2017, 2, 27),
        completed_on=D(2017, 3, 9),
        result=ReviewResult.AGREED_AFTER_CHANGES,
    )


def codes(caught, field):
    return [error.code for error in caught.value.error_dict[field]]


def test_the_issued_document_is_linked_after_review(normative_review):
    normative_review.resulting_document = make_document(issued_on=D(2017, 3, 20))
    normative_review.full_clean()


def test_a_document_issued_before_the_review_was_completed_is_refused(normative_review):
    normative_review.resulting_document = make_document(issued_on=D(2017, 3, 1))
    with pytest.raises(ValidationError) as caught:
        normative_review.full_clean()
    assert codes(caught, "resulting_document") == ["issued_before_review"]


def test_a_rejected_draft_has_no_issued_document(normative_review):
    normative_review.result = ReviewResult.DISAGREED
    normative_review.resulting_document = make_document(issued_on=D(2017, 3, 20))
    with pytest.raises(ValidationError) as caught:
        normative_review.full_clean()
    assert codes(caught, "resulting_document") == ["document_after_disagreement"]


def test_a_normative_draft_cannot_become_a_non_normative_document(normative_review):
    normative_review.resulting_document = make_document(
        issued_on=D(2017, 3, 20), kind=DocumentKind.NON_NORMATIVE
    )
    with pytest.raises(ValidationError) as caught:
        normative_review.full_clean()
    assert codes(caught, "resulting_document") == ["kind_mismatch"]


def test_comment_drafts_count_in_the_year_they_were_answered(db):
    make_comment_draft_reply(received_on=D(2017, 3, 6), replied_on=D(2017, 3, 17))
    make_comment_draft_reply(received_on=D(2017, 12, 18), replied_on=D(2018, 1, 5))
    make_comment_draft_reply(received_on=D(2017, 12, 20), replied_on=None, reply="")
    assert CommentDraftReply.objects.approved().replied_in(2017).count() == 1
    assert CommentDraftReply.objects.awaiting_reply().count() == 1


def test_a_reply_date_needs_the_reply_itself(db):
    reply = make_comment_draft_reply(replied_on=None, reply="")
    reply.replied_on = D(2017, 5, 12)
    with pytest.raises(ValidationError, match="回复意见"):
        reply.full_clean()


def test_a_liaison_registers_a_draft_but_cannot_write_the_review_outcome(client, liaison):
    client.force_login(liaison)
    response = client.post(
        reverse("admin:reviews_legalityreview_add"),
        {
            "title": "关于城区停车秩序管理的通知（代拟稿）",
            "kind": ReviewKind.OTHER,
            "received_on": "2017-05-02",
            "completed_on": "2017-05-03",
            "result": ReviewResult.AGREED,
            "opinion": "自己写的同意",
        },
    )
    assert response.status_code == 302
    review = LegalityReview.objects.get()
    assert (review.unit, review.status) == (liaison.unit, Status.DRAFT)
    assert (review.completed_on, review.result, review.opinion) == (None, "", "")
