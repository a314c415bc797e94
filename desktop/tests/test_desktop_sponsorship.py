"""The sponsorship screen: the server's code, link and figures; inviting by email (full
access only); the server's refusal shown in place."""

from __future__ import annotations

from conftest import api_get, click, find, find_visual, screenshot, sign_in
from tests.fixtures import Mailbox


def open_screen(qtbot, d):
    find(d.window, "shell").setProperty("current", "sponsorship")
    screen = None

    def loaded():
        nonlocal screen
        screen = find(d.window, "sponsorshipScreen")
        return bool(find(d.window, "referralCode").property("text"))

    qtbot.waitUntil(loaded, timeout=20_000)
    qtbot.waitUntil(lambda: not d.api.busy, timeout=20_000)
    return screen


def test_the_owner_sees_the_code_and_invites_a_business(qtbot, desktop, hanout_server):
    d = desktop
    sign_in(qtbot, d)
    assert "sponsorship" in [m["key"] for m in d.session.modules]
    open_screen(qtbot, d)
    summary = api_get(hanout_server, d.api.token, "referrals/")
    assert find(d.window, "referralCode").property("text") == summary["code"]
    assert find(d.window, "referralLink").property("text") == summary["link"]
    assert find(d.window, "referralSponsees").property("value") == str(summary["sponsees"])
    sponsees = api_get(hanout_server, d.api.token, "referrals/sponsees/")["results"]
    assert find(d.window, "sponseesModel").property("count") == len(sponsees)
    screenshot(d.window, "sponsorship-en")

    # A bad address: the server's words beside the field, nothing sent.
    before = len(hanout_server.mailbox.messages)
    find(d.window, "inviteEmail").setProperty("text", "not-an-email")
    click(d.window, find(d.window, "inviteButton"))
    form = find(d.window, "inviteForm")
    qtbot.waitUntil(lambda: form.property("error") != "", timeout=20_000)
    assert form.property("fieldErrors")["email"]

    # A real invitation arrives by email with the code.
    find(d.window, "inviteEmail").setProperty("text", "friend@shop.example")
    find(d.window, "inviteMessage").setProperty("text", "Essaie Hanout !")
    click(d.window, find(d.window, "inviteButton"))
    sent = find(d.window, "inviteSent")
    qtbot.waitUntil(lambda: sent.property("text") != "", timeout=20_000)
    assert "friend@shop.example" in sent.property("text")

    def delivered():
        return [
            m for m in hanout_server.mailbox.messages[before:] if "friend@shop.example" in m["To"]
        ]

    qtbot.waitUntil(lambda: bool(delivered()), timeout=30_000)
    body = "\n".join(Mailbox.bodies_of(delivered()[0]))
    assert summary["code"] in body and "Essaie Hanout" in body


def test_a_reader_sees_no_invitation_form(qtbot, desktop, hanout_server):
    email = "ayman@kaching.example"
    hanout_server.manage_shell(
        "from hanout.accounts.models import Membership, ModuleAccess;"
        f"m = Membership.objects.get(user__email='{email}');"
        "ModuleAccess.objects.update_or_create(membership=m, module='sponsorship',"
        " defaults={'level': 'read', 'business': m.business})"
    )
    d = desktop
    sign_in(qtbot, d, email=email)
    assert d.session.canRead("sponsorship") and not d.session.canWrite("sponsorship")
    open_screen(qtbot, d)
    assert not find(d.window, "inviteLoader").property("active")
    assert find_visual(d.window, "inviteButton") is None
