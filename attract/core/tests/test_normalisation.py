import pytest
from django.core.exceptions import ValidationError

from attract.core.email_addresses import normalise_email
from attract.core.phone_numbers import display_phone, normalise_phone
from attract.core.search_text import search_key


def test_phone_numbers_are_stored_in_e164():
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_phone("(212) 555-0123", region="US") == "+12125550123"


@pytest.mark.parametrize("raw", ["12", "not a phone", "+1 555", "9" * 50])
def test_invalid_phone_numbers_are_refused_with_a_reason(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_phone_numbers_display_in_international_format():
    assert display_phone("+442079460958") == "+44 20 7946 0958"


def test_email_addresses_are_lower_cased_and_trimmed():
    assert normalise_email("  Ann.Lee@Example.COM ") == "ann.lee@example.com"


@pytest.mark.parametrize(
    "raw", ["ann", "ann@", "@example.com", "ann lee@example.com", "a" * 300 + "@x.com"]
)
def test_invalid_email_addresses_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_email(raw)


def test_search_key_ignores_case_and_accents_but_keeps_other_scripts():
    assert search_key("José", "MÜLLER") == "jose muller"
    assert search_key("  Zoë   Ørsted ") == "zoe ørsted"
    assert search_key("山田", "太郎") == "山田 太郎"
    # Case folding also folds the Greek final sigma, for query and record alike.
    assert search_key("Νίκος") == search_key("ΝΙΚΟΣ") == "νικοσ"
