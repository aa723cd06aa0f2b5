import pytest
from django.core.exceptions import ValidationError

from registers.docnumbers import DocumentNumber, normalise_document_number, parse_document_number


@pytest.mark.parametrize(
    "text",
    ["咸安政规〔2017〕1号", "咸安政办发〔2017〕12号", "鄂政办发〔2016〕105号"],
)
def test_numbers_in_the_standard_form_are_kept_as_they_are(text):
    assert normalise_document_number(text) == text


def test_a_number_is_split_into_prefix_year_and_serial():
    assert parse_document_number("咸安政办发〔2017〕12号") == DocumentNumber("咸安政办发", 2017, 12)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("咸安政规[2017]1号", "咸安政规〔2017〕1号"),
        ("咸安政规［2017］1号", "咸安政规〔2017〕1号"),
        ("咸安政办发(2017)12号", "咸安政办发〔2017〕12号"),
        ("咸安政办发（2017）12号", "咸安政办发〔2017〕12号"),
        ("咸安政发【2015】3号", "咸安政发〔2015〕3号"),
        (" 咸安政办函〔2014〕 007号 ", "咸安政办函〔2014〕7号"),
    ],
)
def test_common_typing_variants_are_stored_with_hexagonal_brackets(typed, stored):
    assert normalise_document_number(typed) == stored


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "number_required"),
        ("咸安政规2017年1号", "number_format"),
        ("咸安政规〔2017〕1", "number_format"),
        ("〔2017〕1号", "number_format"),
        ("咸安政规〔2017〕一号", "number_format"),
        ("咸安政规〔17〕1号", "number_year"),
        ("咸安政规〔2017]1号", "number_brackets"),
        ("咸安政规〔2017〕第1号", "number_serial"),
        ("咸安政规〔2017〕0号", "number_serial"),
    ],
)
def test_malformed_numbers_are_refused_with_the_reason(text, code):
    with pytest.raises(ValidationError) as caught:
        parse_document_number(text)
    assert caught.value.code == code
    assert caught.value.messages[0]  # a sentence for the user, not an empty error
