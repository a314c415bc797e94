"""The operator's admin: the programme is edited there; the ledger is read-only and a
reward is cancelled by the reverse action, which adds an entry."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanout.accounts.models import User
from hanout.referrals import services
from hanout.referrals.models import RewardEntry, RewardKind, RewardProgramme
from hanout.referrals.tests.helpers import programme, sponsee_of
from tests.factories import make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = User.objects.create_superuser(email="ops@hanout.example", password="x-Secret-42!")
    client.force_login(user)
    return user


def test_the_operator_configures_a_programme(client, operator):
    response = client.post(
        "/django-admin/referrals/rewardprogramme/add/",
        {
            "name": "Spring",
            "valid_from": "2026-03-01",
            "is_active": "on",
            "one_time_amount": "25",
            "currency": "MAD",
            "active_days_required": "45",
            "fee_percent": "5",
            "fee_months": "6",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    p = RewardProgramme.objects.get(name="Spring")
    assert (p.one_time_amount, p.currency, p.active_days_required) == (Decimal("25"), "MAD", 45)
    bad = client.post(
        "/django-admin/referrals/rewardprogramme/add/",
        {
            "name": "Bad",
            "valid_from": "2026-03-01",
            "one_time_amount": "1",
            "currency": "XX",
            "active_days_required": "1",
            "fee_percent": "150",
            "fee_months": "1",
        },
    )
    assert bad.status_code == 200 and not RewardProgramme.objects.filter(name="Bad").exists()


def test_the_ledger_is_read_only_and_reversed_by_an_action(client, operator):
    programme()
    sponsor = make_business("Admin sponsor")
    s = sponsee_of(sponsor.business)
    entry = services.referral_fee_share_record(sponsee=s.sponsee, fee_amount="30", reference="A1")
    page = client.get(f"/django-admin/referrals/rewardentry/{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(f"/django-admin/referrals/rewardentry/{entry.pk}/delete/").status_code == 403
    response = client.post(
        "/django-admin/referrals/rewardentry/",
        {"action": "reverse_entries", "_selected_action": [str(entry.pk)]},
    )
    assert response.status_code == 302
    reversal = RewardEntry.objects.get(kind=RewardKind.REVERSAL)
    assert reversal.reverses == entry and reversal.amount == Decimal("-3.000")
    assert reversal.created_by == operator
