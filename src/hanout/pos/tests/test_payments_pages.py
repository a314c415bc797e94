"""The customer's pay page `/pay/<token>/` on a phone (Django's test client), and the
QR image `/pay/<token>/qr.svg`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from hanout.core import clock
from hanout.pos import services_payments as services
from hanout.pos.models import PaymentLinkStatus
from hanout.pos.tests.payments_support import (
    APPROVED,
    DECLINED,
    NO_FUNDS,
    future_expiry,
    make_link,
    make_register,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone():
    """An anonymous browser that checks CSRF like a real one."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def link(owner):
    return make_link(make_register(owner), owner.user)


def url(link) -> str:
    return f"/pay/{link.token}/"


def card_form(phone, link, number=APPROVED, expiry=None, cvc="123"):
    page = phone.get(url(link))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    token = token or phone.cookies["csrftoken"].value
    return phone.post(
        url(link),
        {
            "card_number": number,
            "expiry": expiry or future_expiry(),
            "cvc": cvc,
            "csrfmiddlewaretoken": token,
        },
    )


def text(response) -> str:
    return response.content.decode()


def test_the_phone_shows_the_shop_the_lines_and_the_total(phone, link):
    response = phone.get(url(link))
    assert response.status_code == 200
    page = text(response)
    assert link.register.shop.name in page
    assert "Croissant" in page and "Déodorant CienMEN" in page
    assert "9,00\xa0€" in page  # English in Belgium
    assert 'name="card_number"' in page and 'name="expiry"' in page and 'name="cvc"' in page
    assert "csrfmiddlewaretoken" in page
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in page  # CSP: no inline script


def test_customer_pays_and_is_told_to_close_the_page(phone, link):
    response = card_form(phone, link)
    assert response.status_code == 302 and response["Location"] == url(link)
    page = text(phone.get(url(link)))
    assert "Payment accepted — you can close this page." in page
    assert 'name="card_number"' not in page
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.PAID


def test_a_declined_card_says_why_and_lets_the_customer_try_again(phone, link):
    response = card_form(phone, link, DECLINED)
    assert response.status_code == 200
    page = text(response)
    assert "card declined" in page and "Try another card" in page
    assert "4 attempts left" in page
    assert 'name="card_number"' in page
    assert "4000 0000 0000 0002" not in page.split("Test cards")[0]  # the number is not echoed
    response = card_form(phone, link, NO_FUNDS)
    assert "insufficient funds" in text(response)


def test_a_mistyped_card_is_shown_beside_the_field(phone, link):
    response = card_form(phone, link, "4242 4242 4242 4241", expiry="13/99", cvc="1")
    assert response.status_code == 400
    page = text(response)
    assert "This card number is not valid" in page
    assert "MM/YY" in page and "3 or 4 digits" in page
    assert page.count("is-invalid") >= 3


def test_without_the_csrf_token_nothing_is_charged(phone, link):
    response = phone.post(
        url(link), {"card_number": APPROVED, "expiry": future_expiry(), "cvc": "123"}
    )
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.PENDING


def test_a_paid_link_replayed_says_so_and_charges_nothing(phone, link):
    card_form(phone, link)
    link.refresh_from_db()
    reference = link.provider_reference
    response = card_form(Client(enforce_csrf_checks=True), link)
    assert response.status_code == 409
    page = text(response)
    assert "This payment was already made." in page
    assert "Payment accepted" in page and 'name="card_number"' not in page
    link.refresh_from_db()
    assert link.provider_reference == reference


def test_a_post_to_a_paid_link_is_refused(link):
    services.payment_link_pay(
        token=link.token, card_number=APPROVED, expiry=future_expiry(), cvc="123"
    )
    response = Client().post(
        url(link), {"card_number": APPROVED, "expiry": future_expiry(), "cvc": "123"}
    )
    assert response.status_code == 409
    assert "already made" in text(response)


def test_an_expired_link_says_so(phone, link, monkeypatch):
    moment = link.expires_at + timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: moment)
    page = text(phone.get(url(link)))
    assert "This payment link has expired" in page
    assert 'name="card_number"' not in page


def test_a_cancelled_link_says_so(phone, link, owner):
    services.payment_link_cancel(link=link, actor=owner.user)
    page = text(phone.get(url(link)))
    assert "This payment was cancelled" in page and "Nothing was charged" in page


def test_an_unknown_link_is_a_404_page(phone):
    response = phone.get("/pay/not-a-real-token-at-all-000000000000/")
    assert response.status_code == 404
    assert "Payment link not found" in text(response)
    assert phone.get("/pay/x/qr.svg").status_code == 404


def test_too_many_posts_from_one_phone_are_slowed_down(link, settings):
    settings.HANOUT_PAY_RATE_LIMIT = (3, 600)
    phone = Client()
    for _ in range(3):
        phone.post(url(link), {"card_number": "1", "expiry": "", "cvc": ""})
    response = phone.post(
        url(link), {"card_number": APPROVED, "expiry": future_expiry(), "cvc": "123"}
    )
    assert response.status_code == 429
    assert "Too many attempts" in text(response)
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.PENDING


def test_the_page_speaks_the_business_language_right_to_left_in_arabic(other_owner):
    link = make_link(make_register(other_owner, "الصندوق 1"), other_owner.user, amount="30")
    response = Client().get(url(link))
    page = text(response)
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    assert "bootstrap.rtl.min.css" in page
    assert response["Content-Language"] == "ar"
    # The visitor's own choice wins (the language switch sets this cookie).
    phone = Client()
    phone.cookies["django_language"] = "fr"
    page = text(phone.get(url(link)))
    assert 'lang="fr"' in page and 'dir="ltr"' in page
    assert 'action="/i18n/setlang/"' in page


def test_the_qr_image_holds_the_pay_address(phone, link):
    response = phone.get(f"/pay/{link.token}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    # A standalone document that scales in an <img>: namespace, size and viewBox.
    assert svg.startswith('<svg viewBox="0 0 ') and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert 'width="' in svg and 'fill="#fff"' in svg
