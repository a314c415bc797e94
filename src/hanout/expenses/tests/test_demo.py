"""The demo expenses: a few months in any business, made once."""

from __future__ import annotations

import pytest

from hanout.demo_expenses import demo_expenses
from hanout.expenses import selectors
from hanout.expenses.models import Expense, RecurringExpense
from tests.factories import make_business

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("currency,country,language", [("EUR", "BE", "fr"), ("MAD", "MA", "ar")])
def test_demo_expenses_fill_several_months_once(currency, country, language):
    business = make_business("Demo", currency=currency, country=country, language=language).business
    demo_expenses(business)
    count = Expense.objects.filter(business=business).count()
    assert count >= 20 and RecurringExpense.objects.filter(business=business).count() == 1
    months = selectors.summary(qs=selectors.expense_list(business=business), group="month")
    assert len(months) >= 4
    assert Expense.objects.filter(business=business, attachments__isnull=False).exists()
    demo_expenses(business)
    assert Expense.objects.filter(business=business).count() == count
