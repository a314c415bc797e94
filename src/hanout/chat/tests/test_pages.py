"""The chat's page, /chat/: who may open it, what it starts with, and the menu's badge.

The page is a shell; what it shows comes from the REST API and the WebSocket, which
have their own tests (test_api.py, test_consumers.py) and the browser tests
(test_browser.py)."""

from __future__ import annotations

import json
import uuid

import pytest

from hanout.accounts.services import module_access_set
from hanout.chat import selectors, services
from hanout.chat.models import Conversation, ConversationKind
from hanout.core.permissions import Level, Module, Role
from tests.factories import make_member
from tests.fixtures import login

pytestmark = pytest.mark.django_db


def _config(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="chat-config" type="application/json">') + len(
        '<script id="chat-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def _say(conversation, actor, text):
    return services.message_send(
        conversation=conversation, actor=actor, text=text, client_id=uuid.uuid4()
    )


def test_the_chat_page_needs_a_sign_in(client):
    response = client.get("/chat/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/chat/")


def test_a_cashier_opens_the_chat_and_the_page_starts_with_what_its_script_needs(client, owner):
    cashier = make_member(owner, role=Role.CASHIER, full_name="Awa Diop")
    login(client, cashier)
    response = client.get("/chat/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chat-composer"' in html and 'id="chat-mic"' in html
    config = _config(response)
    assert config["me"] == {"id": str(cashier.user.pk), "name": "Awa Diop"}
    assert config["can_write"] is True
    assert config["can_delete_any"] is False
    assert config["edit_minutes"] == 15
    assert config["max_file_mb"] == 25
    assert config["ws"] == "/ws/chat/" and config["api"] == "/api/v1/chat/"
    # No inline script: the data is JSON, the code comes from static files (CSP).
    assert "chat/chat.js" in html and "jsi18n" in html
    assert "<script>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_first_visit_makes_the_business_and_shop_channels_once(client, owner):
    assert not Conversation.objects.filter(business=owner.business).exists()
    login(client, owner)
    client.get("/chat/")
    client.get("/chat/")
    kinds = sorted(
        Conversation.objects.filter(business=owner.business).values_list("kind", flat=True)
    )
    assert kinds.count(ConversationKind.BUSINESS) == 1
    assert kinds.count(ConversationKind.SHOP) >= 1


def test_a_manager_may_delete_anyones_messages_and_the_page_says_so(client, owner):
    manager = make_member(owner, role=Role.MANAGER)
    login(client, manager)
    assert _config(client.get("/chat/"))["can_delete_any"] is True


def test_without_the_chat_module_the_page_is_refused_and_the_menu_has_no_chat(client, owner):
    cashier = make_member(owner, role=Role.CASHIER)
    module_access_set(actor_membership=owner, membership=cashier, levels={Module.CHAT: Level.NONE})
    login(client, cashier)
    response = client.get("/chat/")
    assert response.status_code == 403
    assert 'href="/chat/"' not in client.get("/profile/").content.decode()


def test_read_only_chat_shows_the_conversations_without_a_composer(client, owner):
    cashier = make_member(owner, role=Role.CASHIER)
    module_access_set(actor_membership=owner, membership=cashier, levels={Module.CHAT: Level.READ})
    login(client, cashier)
    response = client.get("/chat/")
    assert response.status_code == 200
    assert 'id="chat-composer"' not in response.content.decode()
    assert _config(response)["can_write"] is False


def test_the_menu_shows_chat_with_the_unread_count(client, owner):
    cashier = make_member(owner, role=Role.CASHIER)
    services.channels_ensure(business=owner.business)
    channel = Conversation.objects.get(business=owner.business, kind=ConversationKind.BUSINESS)
    _say(channel, owner.user, "Bonjour")
    _say(channel, owner.user, "La livraison arrive à 10 h")
    _say(channel, cashier.user, "Bien reçu")  # one's own messages are not unread
    login(client, cashier)
    html = client.get("/profile/").content.decode()
    assert 'href="/chat/"' in html
    # drawn hidden, filled by the page's script from /chat/unread/ (no query per page)
    assert 'data-nav-badge="chat" data-nav-badge-src="/chat/unread/" hidden' in html
    answer = client.get("/chat/unread/")
    assert answer.json() == {"unread": 2} and answer["Cache-Control"] == "private, no-store"

    services.read_mark(conversation=channel, actor=cashier.user)
    assert client.get("/chat/unread/").json() == {"unread": 0}


def test_the_unread_count_needs_the_chat(client, owner):
    cashier = make_member(owner, role=Role.CASHIER)
    assert client.get("/chat/unread/").status_code == 302  # not signed in: the login page
    module_access_set(actor_membership=owner, membership=cashier, levels={"chat": "none"})
    login(client, cashier)
    assert client.get("/chat/unread/").status_code == 403
    assert "data-nav-badge-src" not in client.get("/profile/").content.decode()


def test_the_badge_counts_only_conversations_the_person_sees(client, owner):
    a = make_member(owner, role=Role.CASHIER)
    b = make_member(owner, role=Role.CASHIER)
    outsider = make_member(owner, role=Role.CASHIER)
    direct, _ = services.direct_open(business=owner.business, actor=a.user, other_id=b.user.pk)
    _say(direct, a.user, "Entre nous")
    assert selectors.unread_total(business=owner.business, user=b.user) == 1
    assert selectors.unread_total(business=owner.business, user=outsider.user) == 0


def test_the_menu_badge_costs_one_query(client, owner, django_assert_num_queries):
    services.channels_ensure(business=owner.business)
    with django_assert_num_queries(1):
        assert selectors.unread_total(business=owner.business, user=owner.user) == 0
