"""Registering a store in two steps, through the pages, with the real job queue
and a real SMTP server for the verification email."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hanout.accounts.models import IdentityDocument, Membership, User
from hanout.core.models import AuditEntry, Business, Shop
from hanout.core.permissions import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

STORE = {
    "name": "Épicerie du Coin",
    "currency": "EUR",
    "country": "BE",
    "time_zone": "Europe/Brussels",
    "shop_name": "",
    "address": "Rue Haute 5, Bruxelles",
    "language": "fr",
}


def manager(**extra):
    data = {
        "full_name": "Nadia Amrani",
        "email": "nadia@coin.example",
        "phone": "0470 12 34 56",
        "password1": "a-long-Secret-42",
        "password2": "a-long-Secret-42",
    }
    data.update(extra)
    return data


def test_step_two_without_step_one_goes_back_to_step_one(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 302 and response["Location"] == "/register/"


def test_a_store_is_registered_in_two_steps_and_the_email_is_verified(
    client, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = client.post("/register/", STORE)
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/"
    doc = SimpleUploadedFile("id-card.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", manager(id_document=doc))
    assert response.status_code == 302, response.content.decode()[:2000]

    business = Business.objects.get(name="Épicerie du Coin")
    assert (business.currency, business.country, business.default_language) == ("EUR", "BE", "fr")
    shop = Shop.objects.for_business(business).get()
    assert shop.name == "Épicerie du Coin" and shop.time_zone == "Europe/Brussels"
    user = User.objects.get(email="nadia@coin.example")
    assert user.full_name == "Nadia Amrani" and user.phone == "+32470123456"
    assert user.password.startswith("argon2$argon2id$")
    membership = Membership.objects.get(business=business, user=user)
    assert membership.role == Role.OWNER
    doc = IdentityDocument.objects.get(business=business)
    assert doc.content_type == "application/pdf" and doc.size == len(PDF)
    assert doc.file.read() == PDF
    assert AuditEntry.objects.for_business(business).filter(action="business.register").exists()

    # The verification email went through the job queue to the SMTP server.
    assert smtp_server.messages, "no email reached the SMTP server"
    body = smtp_server.bodies()[0]
    assert "Hello from Hanout!" in body
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", body).group(0)
    path = "/" + link.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "Épicerie du Coin" in home.content.decode()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("id.pdf", b"this is not a pdf at all", "PDF, JPEG or PNG"),
        ("id.exe", b"MZ\x90\x00\x03", "PDF, JPEG or PNG"),
        ("id.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024 + 1), "10 MB"),
    ],
    ids=["fake pdf", "executable", "too large"],
)
def test_a_bad_identity_document_is_refused_and_nothing_is_created(client, name, content, message):
    client.post("/register/", STORE)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post("/accounts/signup/", manager(id_document=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="nadia@coin.example").exists()
    assert not Business.objects.filter(name="Épicerie du Coin").exists()


def test_a_bad_phone_number_is_refused_beside_the_field_and_nothing_is_created(client):
    client.post("/register/", STORE)
    response = client.post("/accounts/signup/", manager(phone="12"))
    assert response.status_code == 200
    assert "not a valid phone number" in response.content.decode()
    assert not User.objects.filter(email="nadia@coin.example").exists()
    assert not Business.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("currency", "XYZ"),
        ("country", "ZZ"),
        ("time_zone", "Mars/Base"),
        ("name", ""),
        ("name", "n" * 121),
    ],
)
def test_step_one_refuses_bad_values(client, field, value):
    response = client.post("/register/", {**STORE, field: value})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert "hanout_register_store" not in client.session


def test_script_in_the_business_name_is_escaped(client, django_capture_on_commit_callbacks):
    client.post("/register/", {**STORE, "name": "<script>alert(1)</script>"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", manager())
    user = User.objects.get(email="nadia@coin.example")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_email_already_registered_cannot_register_again(client, owner):
    """allauth does not reveal that the address exists (it emails its owner instead);
    no second business or account is created."""
    users = User.objects.count()
    client.post("/register/", STORE)
    client.post("/accounts/signup/", manager(email=owner.user.email))
    assert Business.objects.count() == 1
    assert User.objects.count() == users


def test_the_signed_in_message_is_in_the_users_own_language(client, owner):
    owner.user.language = "fr"
    owner.user.save(update_fields=["language"])
    response = client.post(
        "/accounts/login/",
        {"login": owner.user.email, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        f"Connexion avec {owner.user} réussie."
    ]
