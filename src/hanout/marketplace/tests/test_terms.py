"""The marketplace terms an operator sets in Django admin: clear words, nothing saved when wrong."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hanout.marketplace.models import MarketTerms

pytestmark = pytest.mark.django_db


def _errors(**fields):
    terms = MarketTerms(currency="EUR", **fields)
    with pytest.raises(ValidationError) as caught:
        terms.full_clean()
    return caught.value.message_dict


def test_terms_refuse_zero_days_extra_decimals_and_a_negative_maximum():
    errors = _errors(
        request_days=0,
        confirm_days=0,
        approval_threshold=Decimal("10.005"),
        max_amount=Decimal("-5"),
    )
    assert errors == {
        "request_days": ["Enter at least 1 day."],
        "confirm_days": ["Enter at least 1 day."],
        "approval_threshold": ["EUR has 2 decimals: 10.005 has more."],
        "max_amount": ["The largest amount must be more than zero."],
    }
    assert _errors(max_amount=Decimal("100.123")) == {
        "max_amount": ["EUR has 2 decimals: 100.123 has more."]
    }
    assert "approval_threshold" in _errors(approval_threshold=Decimal("-1"))
    MarketTerms(currency="KWD", max_amount=Decimal("100.125")).full_clean()  # three decimals
    MarketTerms(currency="EUR", approval_threshold=None).full_clean()


def test_the_admin_form_shows_the_words_and_saves_nothing(admin_client):
    response = admin_client.post(
        "/django-admin/marketplace/marketterms/add/",
        {
            "currency": "EUR",
            "approval_threshold": "1.234",
            "request_days": "0",
            "confirm_days": "7",
            "max_amount": "-1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter at least 1 day." in page
    assert "EUR has 2 decimals: 1.234 has more." in page
    assert "The largest amount must be more than zero." in page
    assert "Constraint" not in page
    assert not MarketTerms.objects.exists()
