"""The chat's REST API: what members, non-members and other businesses get."""

from __future__ import annotations

import io
import uuid

import pytest
from django.test import Client

from hanout.chat import audio, selectors, services
from hanout.chat.models import Attachment, Conversation, ConversationKind, Message
from hanout.chat.tests.factories import document, m4a, png, webm
from hanout.core.permissions import Role
from tests.factories import make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/chat/conversations/"


@pytest.fixture
def team(owner):
    cashier = make_member(owner, role=Role.CASHIER, full_name="Awa Diallo")
    staff = make_member(owner, role=Role.STAFF, full_name="Hamid")
    services.channels_ensure(business=owner.business, actor=owner.user)
    channel = Conversation.objects.get(business=owner.business, kind=ConversationKind.BUSINESS)
    return owner, cashier, staff, channel


def test_send_then_read_history_and_unread(team):
    owner, cashier, _staff, channel = team
    api, other = api_client_for(owner), api_client_for(cashier)
    key = str(uuid.uuid4())
    sent = api.post(
        f"{BASE}{channel.pk}/messages/", {"text": "Bonjour", "client_id": key}, format="json"
    )
    assert sent.status_code == 201, sent.content
    again = api.post(
        f"{BASE}{channel.pk}/messages/", {"text": "Bonjour", "client_id": key}, format="json"
    )
    assert again.status_code == 200 and again.json()["id"] == sent.json()["id"]
    assert Message.objects.count() == 1

    listed = {c["id"]: c for c in other.get(BASE).json()["results"]}
    assert listed[str(channel.pk)]["unread"] == 1
    history = other.get(f"{BASE}{channel.pk}/messages/").json()
    assert [m["text"] for m in history["results"]] == ["Bonjour"]
    assert history["results"][0]["author"]["id"] == str(owner.user.pk)
    read = other.post(f"{BASE}{channel.pk}/read/", {}, format="json")
    assert read.status_code == 200 and read.json()["seq"] == 1
    listed = {c["id"]: c for c in other.get(BASE).json()["results"]}
    assert listed[str(channel.pk)]["unread"] == 0


def test_history_after_a_seq_gives_what_was_missed(team):
    owner, _cashier, _staff, channel = team
    api = api_client_for(owner)
    for n in range(5):
        services.message_send(conversation=channel, actor=owner.user, text=f"m{n}")
    body = api.get(f"{BASE}{channel.pk}/messages/?after=2").json()
    assert [m["seq"] for m in body["results"]] == [3, 4, 5] and not body["has_more"]
    body = api.get(f"{BASE}{channel.pk}/messages/?before=3&size=1").json()
    assert [m["seq"] for m in body["results"]] == [2] and body["has_more"]
    bad = api.get(f"{BASE}{channel.pk}/messages/?before=x")
    assert bad.status_code == 400 and "before" in bad.json()["error"]["fields"]


def test_another_business_and_non_members_get_404(team, other_owner):
    owner, cashier, staff, channel = team
    group = services.group_create(
        business=owner.business, actor=owner.user, title="Managers", member_ids=[staff.user.pk]
    )
    msg = services.message_send(conversation=group, actor=owner.user, text="private")
    stranger, outsider = api_client_for(other_owner), api_client_for(cashier)
    for client in (stranger, outsider):
        assert client.get(f"{BASE}{group.pk}/").status_code == 404
        assert client.get(f"{BASE}{group.pk}/messages/").status_code == 404
        r = client.post(f"{BASE}{group.pk}/messages/", {"text": "hi"}, format="json")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        assert client.delete(f"{BASE}{group.pk}/messages/{msg.pk}/").status_code == 404
        assert str(group.pk) not in {c["id"] for c in client.get(BASE).json()["results"]}
    assert stranger.get(f"{BASE}{channel.pk}/").status_code == 404
    assert api_client_for(staff).get(f"{BASE}{group.pk}/messages/").status_code == 200


def test_groups_and_direct_conversations_through_the_api(team):
    owner, cashier, staff, _channel = team
    api = api_client_for(owner)
    made = api.post(
        BASE, {"kind": "group", "title": "Caisse", "members": [str(cashier.user.pk)]}, format="json"
    )
    assert made.status_code == 201, made.content
    assert {m["id"] for m in made.json()["members"]} == {str(owner.user.pk), str(cashier.user.pk)}
    dm = api.post(BASE, {"kind": "direct", "user": str(staff.user.pk)}, format="json")
    assert dm.status_code == 201 and dm.json()["name"] == "Hamid"
    again = api_client_for(staff).post(
        BASE, {"kind": "direct", "user": str(owner.user.pk)}, format="json"
    )
    assert again.status_code == 200 and again.json()["id"] == dm.json()["id"]
    bad = api.post(BASE, {"kind": "direct"}, format="json")
    assert bad.status_code == 400 and "user" in bad.json()["error"]["fields"]
    bad = api.post(BASE, {"kind": "shop"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]


def test_bad_messages_are_a_clear_400_and_nothing_is_written(team):
    owner, _cashier, _staff, channel = team
    api = api_client_for(owner)
    for body in ({"text": ""}, {"text": "   "}, {}, {"text": "x" * 5000}):
        r = api.post(f"{BASE}{channel.pk}/messages/", body, format="json")
        assert r.status_code == 400, body
        assert "text" in r.json()["error"]["fields"]
    url = f"{BASE}{channel.pk}/uploads/"
    fake = api.post(url, {"kind": "image", "file": document(name="cat.png", body=b"<script>")})
    assert fake.status_code == 400 and "file" in fake.json()["error"]["fields"]
    assert "image" in fake.json()["error"]["message"]
    services.settings_update(business=owner.business, actor=owner.user, max_file_mb=1)
    big = api.post(url, {"kind": "file", "file": document(body=b"x" * (1024 * 1024 + 10))})
    assert big.status_code == 400 and "1 MB" in big.json()["error"]["message"]
    nokind = api.post(url, {"kind": "video", "file": document()})
    assert nokind.status_code == 400 and "kind" in nokind.json()["error"]["fields"]
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_files_are_downloads_images_have_thumbnails_voice_keeps_its_curve(team):
    owner, cashier, _staff, channel = team
    api = api_client_for(owner)
    url = f"{BASE}{channel.pk}/uploads/"
    doc = api.post(
        url, {"kind": "file", "file": document(name="..\\..\\rapport<b>.html", body=b"<h1>x</h1>")}
    )
    assert doc.status_code == 201, doc.content
    att = doc.json()["attachments"][0]
    assert att["original_name"] == "rapport<b>.html"
    raw = api_client_for(cashier).get(att["url"])
    assert raw.status_code == 200
    assert raw["Content-Disposition"].startswith("attachment;")
    assert raw["X-Content-Type-Options"] == "nosniff"
    assert raw["Content-Type"] == "application/octet-stream"
    assert b"".join(raw.streaming_content) == b"<h1>x</h1>"

    img = api.post(url, {"kind": "image", "file": png(), "text": "vitrine"})
    assert img.status_code == 201
    thumb = api.get(img.json()["attachments"][0]["thumbnail_url"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"

    # Chrome's WebM/Opus: measured here (what the client says is not asked), and an
    # AAC copy made for the browsers that cannot play it
    voice = api.post(url, {"kind": "voice", "file": webm(seconds=2.5, silent_first=1.0)})
    assert voice.status_code == 201, voice.content
    att = voice.json()["attachments"][0]
    assert att["duration_ms"] == 2500 and att["content_type"] == "audio/webm"
    assert len(att["waveform"]) == 64 and att["waveform"][:20] == [0] * 20
    assert min(att["waveform"][-20:]) >= 95  # the tone, at the loudest (Opus is lossy)
    assert att["playable_url"].endswith("?playable=1")
    played = api.get(att["playable_url"])
    assert played.status_code == 200 and played["Content-Type"] == "audio/mp4"
    body = b"".join(played.streaming_content)
    assert body[4:8] == b"ftyp"
    copy = audio.inspect(io.BytesIO(body), "mp4", max_ms=60_000)
    assert copy.playable is None and 2500 <= copy.duration_ms <= 2600  # AAC pads a frame
    # Safari's MP4/AAC already plays everywhere: no copy, the recording itself is played
    safari = api.post(url, {"kind": "voice", "file": m4a()}).json()["attachments"][0]
    assert safari["playable_url"].endswith("?raw=1") and safari["content_type"] == "audio/mp4"
    assert 2000 <= safari["duration_ms"] <= 2100
    assert api.get(safari["url"].replace("raw", "playable")).status_code == 200
    # only voice has a playable copy, only images a thumbnail
    doc_id = doc.json()["attachments"][0]["id"]
    assert api.get(f"/api/v1/chat/attachments/{doc_id}/?playable=1").status_code == 404
    assert api.get(safari["url"].replace("raw", "thumbnail")).status_code == 404
    listed = api.get("/api/v1/chat/attachments/").json()["results"]
    assert len(listed) == 4


def test_search_finds_words_of_this_conversation_only(team, other_owner):
    """What the desktop's and the web page's search ask: one conversation, the caller's
    business, accents and case ignored, deleted messages left out."""
    owner, cashier, staff, channel = team
    group = services.group_create(
        business=owner.business, actor=owner.user, title="Managers", member_ids=[staff.user.pk]
    )
    arrived = services.message_send(
        conversation=channel, actor=owner.user, text="Les olives sont arrivées"
    )
    gone = services.message_send(conversation=channel, actor=cashier.user, text="olives vertes")
    services.message_delete(message=gone, actor=cashier.user)
    services.message_send(conversation=group, actor=owner.user, text="olives en promotion")
    services.channels_ensure(business=other_owner.business, actor=other_owner.user)
    theirs = Conversation.objects.get(business=other_owner.business, kind=ConversationKind.BUSINESS)
    services.message_send(conversation=theirs, actor=other_owner.user, text="olives ailleurs")

    api = api_client_for(cashier)
    url = f"{BASE}{channel.pk}/messages/"
    found = api.get(url, {"search": "OLIVES arrivees"})
    assert found.status_code == 200
    assert [m["id"] for m in found.json()["results"]] == [str(arrived.pk)]
    everything = api.get(url, {"search": "olives"}).json()
    assert [m["text"] for m in everything["results"]] == ["Les olives sont arrivées"]
    assert not everything["has_more"]
    assert api.get(url, {"search": "promotion"}).json()["results"] == []
    # A group she is not in and another business's channel are not found at all.
    assert api.get(f"{BASE}{group.pk}/messages/", {"search": "olives"}).status_code == 404
    assert api.get(f"{BASE}{theirs.pk}/messages/", {"search": "olives"}).status_code == 404
    too_long = api.get(url, {"search": "x" * 201})
    assert too_long.status_code == 400 and "search" in too_long.json()["error"]["fields"]


def test_edit_and_delete_through_the_api(team):
    owner, cashier, _staff, channel = team
    mine = api_client_for(cashier)
    sent = mine.post(f"{BASE}{channel.pk}/messages/", {"text": "<b>hi</b>"}, format="json").json()
    url = f"{BASE}{channel.pk}/messages/{sent['id']}/"
    assert sent["text"] == "<b>hi</b>"  # stored as typed; pages escape it
    edited = mine.patch(url, {"text": "hello"}, format="json")
    assert edited.status_code == 200 and edited.json()["edited_at"]
    refused = api_client_for(owner).patch(url, {"text": "nope"}, format="json")
    assert refused.status_code == 403
    gone = api_client_for(owner).delete(url)
    assert gone.status_code == 200 and gone.json()["deleted"] and gone.json()["text"] == ""


def test_presence_and_settings(team):
    owner, cashier, _staff, _channel = team
    from hanout.chat import presence

    presence.heartbeat(business_id=owner.business.pk, user_id=cashier.user.pk, active=True)
    rows = {r["user"]["id"]: r for r in api_client_for(owner).get("/api/v1/chat/presence/").json()}
    assert rows[str(cashier.user.pk)]["status"] == "online"
    assert rows[str(owner.user.pk)]["status"] == "offline"

    api = api_client_for(owner)
    assert api.get("/api/v1/chat/settings/").json() == {"max_file_mb": 25}
    assert api.patch("/api/v1/chat/settings/", {"max_file_mb": 5}, format="json").json() == {
        "max_file_mb": 5
    }
    bad = api.patch("/api/v1/chat/settings/", {"max_file_mb": 500}, format="json")
    assert bad.status_code == 400
    assert (
        api_client_for(cashier)
        .patch("/api/v1/chat/settings/", {"max_file_mb": 50}, format="json")
        .status_code
        == 403
    )


def test_the_conversation_list_costs_the_same_queries_for_many_conversations(
    team, django_assert_max_num_queries
):
    owner, cashier, staff, channel = team
    for n in range(6):
        services.group_create(
            business=owner.business, actor=owner.user, title=f"g{n}", member_ids=[staff.user.pk]
        )
        services.direct_open(business=owner.business, actor=owner.user, other_id=cashier.user.pk)
        services.message_send(conversation=channel, actor=cashier.user, text=f"m{n}")
    api = api_client_for(owner)
    with django_assert_max_num_queries(12):
        body = api.get(BASE).json()["results"]
    assert len(body) == 2 + 6 + 1
    assert {c["name"] for c in body if c["kind"] == "direct"} == {"Awa Diallo"}
    # In pages of 4, newest activity first, nothing skipped or repeated.
    seen, url = [], f"{BASE}?page_size=4"
    while url:
        page = api.get(url).json()
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    assert seen == [c["id"] for c in body]
    assert seen[0] == str(channel.pk)  # the channel had the last message


def test_leaving_a_group(team):
    owner, cashier, _staff, _channel = team
    group = services.group_create(
        business=owner.business, actor=owner.user, title="g", member_ids=[cashier.user.pk]
    )
    api = api_client_for(cashier)
    assert api.post(f"{BASE}{group.pk}/leave/", {}, format="json").status_code == 204
    assert api.get(f"{BASE}{group.pk}/").status_code == 404


def test_a_deactivated_employee_is_shut_out_and_their_messages_stay(team):
    """An employee who leaves: their token and their session stop working at once, they
    are no longer in the business channel's audience, and what they wrote stays, signed."""
    owner, cashier, _staff, channel = team
    mine = api_client_for(cashier)
    sent = mine.post(f"{BASE}{channel.pk}/messages/", {"text": "Je pars"}, format="json")
    assert sent.status_code == 201
    session = Client()
    session.force_login(cashier.user)
    assert session.get("/chat/").status_code == 200
    from hanout.accounts import services as accounts

    accounts.employee_set_active(actor_membership=owner, membership=cashier, active=False)
    assert mine.get(BASE).status_code == 401
    assert (
        mine.post(f"{BASE}{channel.pk}/messages/", {"text": "x"}, format="json").status_code == 401
    )
    assert session.get("/chat/").status_code in (302, 403)
    assert session.get(BASE).status_code in (401, 403)
    history = api_client_for(owner).get(f"{BASE}{channel.pk}/messages/").json()["results"]
    assert [(m["text"], m["author"]["name"]) for m in history] == [("Je pars", "Awa Diallo")]
    assert cashier.user.pk not in set(
        selectors.audience(conversation=channel).values_list("pk", flat=True)
    )
    assert Message.objects.count() == 1
