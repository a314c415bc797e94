"""End to end in Debian Chromium: the sponsor copies the link and emails an invitation;
the invited person opens the link from the email and registers; the new business is
the sponsor's sponsee. Console errors (CSP violations) fail the test. Screenshots go
to artifacts/ (git-ignored)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

from hanout.core.models import Business  # noqa: E402
from hanout.referrals.models import Sponsorship  # noqa: E402
from tests.factories import PASSWORD, make_business  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]

if not Path(CHROMIUM).exists():  # pragma: no cover
    pytest.skip("Debian chromium is not installed", allow_module_level=True)


def _wait_for_mail(mailbox, timeout=10.0) -> str:
    deadline = time.monotonic() + timeout
    while not mailbox.messages:
        assert time.monotonic() < deadline, "the invitation did not arrive"
        mailbox.event.wait(0.5)
    return mailbox.bodies()[0]


def test_an_invited_shop_registers_from_the_emailed_link(live_server, smtp_server, settings):
    settings.HANOUT_PUBLIC_URL = live_server.url
    sponsor = make_business("Boulangerie du Parc")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            context.set_default_timeout(10_000)
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=login]", sponsor.user.email)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.click("form button[type=submit]")
            page.goto(f"{live_server.url}/sponsorship/")
            code = page.inner_text("#referral-code").strip()
            assert page.input_value("#referral-link") == f"{live_server.url}/register/?ref={code}"
            page.click("#copy-link")
            page.wait_for_function(
                "document.getElementById('copy-status').textContent.includes('Copied')"
            )
            page.fill("#id_email", "amina@epicerie.example")
            page.fill("#id_message", "Essaie, c'est simple.")
            with page.expect_navigation():
                page.click("#invite-send")
            assert "The invitation was sent" in page.content()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "sponsorship-invited.png", full_page=True)

            body = _wait_for_mail(smtp_server)
            link = re.search(r"https?://\S+/register/\?ref=\S+", body).group(0)
            invited = browser.new_context(viewport={"width": 390, "height": 844})
            guest = invited.new_page()
            guest.on("console", lambda m: m.type == "error" and errors.append(m.text))
            guest.goto(link)
            assert "Boulangerie du Parc" in guest.inner_text("#register-sponsor")
            assert guest.input_value("#id_referral_code") == code
            guest.fill("#id_name", "Épicerie Amina")
            guest.select_option("#id_country", "BE")
            with guest.expect_navigation():
                guest.click("#store-next")
            assert "Boulangerie du Parc" in guest.inner_text("#register-sponsor")
            guest.fill("#id_full_name", "Amina")
            guest.fill("#id_email", "amina@epicerie.example")
            guest.fill("#id_password1", "a-long-Secret-42")
            guest.fill("#id_password2", "a-long-Secret-42")
            with guest.expect_navigation():
                guest.click("#manager-submit")
        finally:
            browser.close()
    assert errors == []
    sponsee = Business.objects.get(name="Épicerie Amina")
    assert Sponsorship.objects.get(sponsee=sponsee).business == sponsor.business
