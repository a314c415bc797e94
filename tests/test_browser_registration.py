"""End to end in a real browser (Debian Chromium through Playwright): registering a
store, verifying the email, the three ways to sign in, password reset, the
sign-in rate limit, the language switch (RTL for Arabic) and two-factor
authentication with an authenticator app.

Every page is checked for browser console errors, which is where Content-Security-
Policy violations show up. Screenshots land in artifacts/ (git-ignored) at 1280 px
and at 360 px wide (`…-360.png`).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.otp import fresh_totp, totp

# Playwright's sync API runs an event loop in this thread; the ORM calls this test
# makes (fixtures, assertions) are plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EMAIL = "nadia@coin.example"
PASSWORD = "a-long-Secret-42"
NEW_PASSWORD = "another-long-Secret-77"
BUSINESS = "Épicerie du Coin"
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 360, "height": 780}
TIMEOUT_MS = 10_000

if not Path(CHROMIUM).exists():  # pragma: no cover - the machine lacks Debian's chromium
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


# --- browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile; fails the test if the console reported an error."""
    context = browser.new_context(viewport=WIDE, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg):
        # base.html links no icon, so Chromium asks for /favicon.ico (404): not a page error.
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{msg.type}: {msg.text} at {msg.location.get('url')} (page {page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
    yield page
    context.close()
    assert errors == [], "browser console errors (CSP violations show here):\n" + "\n".join(errors)


def shot(page, name: str) -> None:
    """Screenshot the whole page at 1280 px, then at 360 px, then go back to 1280 px."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")
    page.set_viewport_size(NARROW)
    page.screenshot(path=ARTIFACTS / f"{name}-360.png", full_page=True, animations="disabled")
    page.set_viewport_size(WIDE)


def submit(page, selector: str) -> None:
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def expect_path(page, path: str) -> None:
    page.wait_for_url(re.compile(r"^https?://[^/]+" + re.escape(path) + r"(\?.*)?$"))


# --- mail ----------------------------------------------------------------------------------


def wait_for_mail(mailbox, count: int, timeout: float = 10.0) -> str:
    """The text body of message number `count` (1-based), once it has arrived."""
    deadline = time.monotonic() + timeout
    while len(mailbox.messages) < count:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"expected {count} email(s), got {len(mailbox.messages)}"
        mailbox.event.wait(min(remaining, 0.5))
        mailbox.event.clear()
    return mailbox.bodies()[count - 1]


def link_in(body: str, path_part: str) -> str:
    match = re.search(r"https?://\S*" + re.escape(path_part) + r"\S*", body)
    assert match, f"no link containing {path_part!r} in:\n{body}"
    return match.group(0)


def code_in(body: str) -> str:
    match = re.search(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})+|\d{6,9})\s*$", body, re.MULTILINE)
    assert match, f"no sign-in code in:\n{body}"
    return match.group(1)


# --- steps ---------------------------------------------------------------------------------


def sign_in(page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    submit(page, "form[action='/accounts/login/'] button[type=submit]")


def sign_out(page, live_server) -> None:
    page.click(".app-topbar .dropdown-toggle")
    submit(page, ".app-topbar form[action='/accounts/logout/'] button")
    expect_path(page, "/accounts/login/")
    assert page.locator(".app-topbar .dropdown-toggle").count() == 0


def choose_language(page, code: str) -> None:
    with page.expect_navigation():
        page.select_option("#language-select", code)


def register_store(page, live_server, mailbox) -> None:
    page.goto(f"{live_server.url}/")
    expect_path(page, "/register/")  # a fresh installation starts with registration
    page.fill("#id_name", BUSINESS)
    page.select_option("#id_currency", "EUR")
    page.select_option("#id_country", "BE")
    page.select_option("#id_time_zone", "Europe/Brussels")
    page.fill("#id_address", "Rue Haute 5, 1000 Bruxelles")
    shot(page, "registration-step1")
    submit(page, "#store-next")
    expect_path(page, "/accounts/signup/")

    page.fill("#id_full_name", "Nadia Amrani")
    page.fill("#id_email", EMAIL)
    page.fill("#id_phone", "+32 470 12 34 56")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.set_input_files(
        "#id_id_document", {"name": "id-card.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    shot(page, "registration-step2")
    submit(page, "#manager-submit")
    expect_path(page, "/accounts/confirm-email/")
    assert "Verify Your Email Address" in page.inner_text("h1")
    shot(page, "verification-sent")

    link = wait_for_mail(mailbox, 1)
    link = link_in(link, "/accounts/confirm-email/")
    page.goto(link)
    assert "Confirm Email Address" in page.inner_text("h1")
    assert EMAIL in page.inner_text("main")
    shot(page, "email-confirm")
    submit(page, "main form button[type=submit]")
    expect_path(page, "/")
    assert BUSINESS in page.inner_text(".navbar-brand")
    assert page.locator(".app-topbar .dropdown-toggle").inner_text().strip() != ""


# --- the stories ---------------------------------------------------------------------------


def test_register_verify_sign_in_three_ways_and_switch_language(page, live_server, smtp_server):
    register_store(page, live_server, smtp_server)
    shot(page, "home-en")
    sign_out(page, live_server)
    shot(page, "login")

    # Again, with the password.
    sign_in(page, live_server, EMAIL, PASSWORD)
    expect_path(page, "/")
    assert BUSINESS in page.inner_text(".navbar-brand")
    sign_out(page, live_server)

    # With a one-time code sent by email.
    response = page.goto(f"{live_server.url}/accounts/login/")
    # The console check above only means something with the policy in force.
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    assert page.locator("a[href='/register/']").count() >= 1  # "Register a store" for newcomers
    submit(page, "a[href='/accounts/login/code/']")
    page.fill("#id_email", EMAIL)
    shot(page, "login-code-request")
    submit(page, "main form button[type=submit]")
    expect_path(page, "/accounts/login/code/confirm/")
    code = code_in(wait_for_mail(smtp_server, 2))
    page.fill("#id_code", code)
    shot(page, "login-code-confirm")
    submit(page, "main form[action='/accounts/login/code/confirm/'] button[type=submit]")
    expect_path(page, "/")
    assert BUSINESS in page.inner_text(".navbar-brand")

    # Arabic is right to left; Tamazight (Tifinagh) is left to right.
    choose_language(page, "ar")
    assert page.get_attribute("html", "lang") == "ar"
    assert page.locator("html[dir=rtl]").count() == 1
    shot(page, "home-ar")
    for path, name in [
        ("/accounts/2fa/", "mfa-index-ar"),
        ("/accounts/password/change/", "password-change-ar"),
        ("/accounts/logout/", "logout-ar"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html[dir=rtl]").count() == 1
        shot(page, name)
    page.goto(f"{live_server.url}/")
    choose_language(page, "zgh")
    assert page.get_attribute("html", "lang") == "zgh"
    assert page.locator("html[dir=ltr]").count() == 1
    shot(page, "home-zgh")

    # The pages a signed-out visitor meets, in Arabic.
    choose_language(page, "ar")
    sign_out(page, live_server)
    assert page.locator("html[dir=rtl]").count() == 1
    shot(page, "login-ar")
    page.goto(f"{live_server.url}/accounts/login/code/")
    shot(page, "login-code-request-ar")
    page.goto(f"{live_server.url}/accounts/password/reset/")
    shot(page, "password-reset-ar")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", "not the password")
    submit(page, "form[action='/accounts/login/'] button[type=submit]")
    assert page.locator(".alert-danger").count() == 1
    shot(page, "login-error-ar")
    choose_language(page, "en")
    assert page.locator("html[dir=ltr]").count() == 1


def test_password_reset_by_email(page, live_server, smtp_server):
    from tests.factories import make_business

    membership = make_business("Alpha Bakery")
    email = membership.user.email

    page.goto(f"{live_server.url}/accounts/login/")
    submit(page, "a[href='/accounts/password/reset/']")
    page.fill("#id_email", email)
    shot(page, "password-reset")
    submit(page, "main form button[type=submit]")
    expect_path(page, "/accounts/password/reset/done/")
    shot(page, "password-reset-done")

    page.goto(link_in(wait_for_mail(smtp_server, 1), "/accounts/password/reset/key/"))
    page.wait_for_selector("#id_password1")
    # A field error is shown beside its field.
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD + "x")
    submit(page, "main form button[name=action]")
    assert page.locator("#id_password2.is-invalid").count() == 1
    assert page.locator("#id_password2 ~ .invalid-feedback").inner_text().strip()
    shot(page, "password-reset-from-key-error")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    submit(page, "main form button[name=action]")
    expect_path(page, "/accounts/password/reset/key/done/")
    shot(page, "password-reset-from-key-done")

    sign_in(page, live_server, email, NEW_PASSWORD)
    expect_path(page, "/")
    assert "Alpha Bakery" in page.inner_text(".navbar-brand")


def test_six_failed_sign_ins_hit_the_rate_limit(page, live_server):
    from tests.factories import make_business

    email = make_business("Alpha Bakery").user.email
    for attempt in range(1, 7):
        sign_in(page, live_server, email, f"wrong password {attempt}")
        expect_path(page, "/accounts/login/")
        alert = page.inner_text(".alert-danger")
        if attempt <= 5:
            assert "not correct" in alert, alert
    assert "Too many failed login attempts" in alert, alert
    shot(page, "login-rate-limited")


def test_two_factor_with_an_authenticator_app(page, live_server):
    from tests.factories import PASSWORD as FACTORY_PASSWORD
    from tests.factories import make_business

    email = make_business("Alpha Bakery").user.email
    sign_in(page, live_server, email, FACTORY_PASSWORD)
    expect_path(page, "/")

    page.goto(f"{live_server.url}/accounts/2fa/")
    shot(page, "mfa-index")
    submit(page, "a[href='/accounts/2fa/totp/activate/']")
    # allauth asks for the password again before changing how one signs in.
    expect_path(page, "/accounts/reauthenticate/")
    page.fill("#id_password", FACTORY_PASSWORD)
    shot(page, "reauthenticate")
    submit(page, "main form[action^='/accounts/reauthenticate/'] button[type=submit]")
    expect_path(page, "/accounts/2fa/totp/activate/")
    qr = page.locator("main img")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    loaded = qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded, "the QR code did not load (CSP img-src?)"
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    shot(page, "totp-activate")

    # A wrong code is refused beside the field.
    page.fill("#id_code", "000000" if totp(secret) != "000000" else "111111")
    submit(page, "main form button[type=submit]")
    assert page.locator("#id_code.is-invalid").count() == 1
    page.fill("#id_code", fresh_totp(secret))
    submit(page, "main form button[type=submit]")
    # allauth generates recovery codes with the first authenticator and shows them.
    expect_path(page, "/accounts/2fa/recovery-codes/")
    codes = page.input_value("#recovery_codes").split()
    assert len(codes) >= 10 and len(set(codes)) == len(codes)
    shot(page, "recovery-codes")
    page.goto(f"{live_server.url}/accounts/2fa/")
    assert page.locator("a[href='/accounts/2fa/totp/deactivate/']").count() == 1
    shot(page, "mfa-index-active")
    sign_out(page, live_server)

    sign_in(page, live_server, email, FACTORY_PASSWORD)
    expect_path(page, "/accounts/2fa/authenticate/")
    shot(page, "mfa-authenticate")
    page.fill("#id_code", fresh_totp(secret))
    submit(page, "main form[action='/accounts/2fa/authenticate/'] button[type=submit]")
    expect_path(page, "/")
    assert "Alpha Bakery" in page.inner_text(".navbar-brand")

    # A recovery code works too, once.
    sign_out(page, live_server)
    sign_in(page, live_server, email, FACTORY_PASSWORD)
    expect_path(page, "/accounts/2fa/authenticate/")
    page.fill("#id_code", codes[0])
    submit(page, "main form[action='/accounts/2fa/authenticate/'] button[type=submit]")
    expect_path(page, "/")
