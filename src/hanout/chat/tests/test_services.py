"""The chat's services: conversations, sending, editing, deleting, mentions, unread counts."""

from __future__ import annotations

import datetime
import uuid

import pytest

from hanout.chat import selectors, services
from hanout.chat.models import Attachment, ConversationKind, Message, MessageKind
from hanout.chat.tests.factories import document, png, webm
from hanout.core import clock
from hanout.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(owner):
    cashier = make_member(owner, role=Role.CASHIER, full_name="Awa Diallo")
    staff = make_member(owner, role=Role.STAFF, full_name="Hamid Ait Lahcen")
    services.channels_ensure(business=owner.business, actor=owner.user)
    return owner, cashier, staff


def _channel(business):
    return selectors.conversation_list(business=business, user=None).get(
        kind=ConversationKind.BUSINESS
    )


def test_channels_are_made_once_business_and_shop(team):
    owner = team[0]
    again = services.channels_ensure(business=owner.business, actor=owner.user)
    assert again == []
    kinds = sorted(
        c.kind for c in selectors.conversation_list(business=owner.business, user=owner.user)
    )
    assert kinds == ["business", "shop"]


def test_a_message_is_numbered_and_counts_as_unread_for_the_others(team):
    owner, cashier, staff = team
    channel = _channel(owner.business)
    first = services.message_send(conversation=channel, actor=owner.user, text="Bonjour")
    second = services.message_send(conversation=channel, actor=cashier.user, text="Salut")
    assert (first.seq, second.seq) == (1, 2)

    def unread(member):
        return selectors.conversation_get(
            business=owner.business, user=member.user, pk=channel.pk
        ).unread

    assert (unread(owner), unread(cashier), unread(staff)) == (1, 1, 2)
    services.read_mark(conversation=channel, actor=staff.user, seq=1)
    assert unread(staff) == 1
    services.read_mark(conversation=channel, actor=staff.user)
    assert unread(staff) == 0
    # A marker never goes back.
    services.read_mark(conversation=channel, actor=staff.user, seq=1)
    assert unread(staff) == 0


def test_sending_twice_with_the_same_client_id_makes_one_message(team):
    owner = team[0]
    channel = _channel(owner.business)
    key = uuid.uuid4()
    one = services.message_send(conversation=channel, actor=owner.user, text="Hi", client_id=key)
    two = services.message_send(conversation=channel, actor=owner.user, text="Hi", client_id=key)
    assert one.pk == two.pk
    assert Message.objects.filter(conversation=channel).count() == 1
    with pytest.raises(Conflict):
        services.message_send(conversation=channel, actor=owner.user, text="Other", client_id=key)


def test_an_empty_or_huge_message_is_refused_and_nothing_is_written(team):
    owner = team[0]
    channel = _channel(owner.business)
    for text in ["", "   \n ", "x" * 4001]:
        with pytest.raises(ValidationFailed) as err:
            services.message_send(conversation=channel, actor=owner.user, text=text)
        assert "text" in err.value.fields
    assert not Message.objects.exists()
    channel.refresh_from_db()
    assert channel.last_seq == 0


def test_edit_own_message_within_fifteen_minutes_only(team, monkeypatch):
    owner, cashier, _staff = team
    channel = _channel(owner.business)
    msg = services.message_send(conversation=channel, actor=cashier.user, text="Livraison à 10h")
    edited = services.message_edit(message=msg, actor=cashier.user, text="Livraison à 11h")
    assert edited.text == "Livraison à 11h" and edited.edited_at is not None
    assert AuditEntry.objects.filter(action="chat.message_edit").count() == 1
    with pytest.raises(PermissionDenied):
        services.message_edit(message=msg, actor=owner.user, text="Not mine")
    later = clock.now() + datetime.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    with pytest.raises(PermissionDenied) as err:
        services.message_edit(message=msg, actor=cashier.user, text="Too late")
    assert err.value.code == "edit_window_closed"


def test_delete_leaves_a_mark_own_or_by_a_manager(team):
    owner, cashier, staff = team
    channel = _channel(owner.business)
    mine = services.message_send(conversation=channel, actor=cashier.user, text="secret")
    theirs = services.message_send(
        conversation=channel, actor=staff.user, text="photo", upload=png(), kind=MessageKind.IMAGE
    )
    with pytest.raises(PermissionDenied):
        services.message_delete(message=theirs, actor=cashier.user)
    gone = services.message_delete(message=mine, actor=cashier.user)
    assert gone.deleted_at is not None and gone.text == ""
    data = selectors.message_data(gone)
    assert data["deleted"] is True and data["text"] == "" and data["seq"] == 1
    services.message_delete(message=theirs, actor=owner.user)  # the owner moderates
    assert not Attachment.objects.exists()
    assert selectors.message_history(conversation=channel, search="secret").items == []
    assert [m.seq for m in selectors.message_history(conversation=channel).items] == [1, 2]


def test_mentions_by_name_or_by_id_only_of_people_who_see_it(team, other_owner):
    owner, cashier, staff = team
    channel = _channel(owner.business)
    msg = services.message_send(
        conversation=channel,
        actor=owner.user,
        text="@Awa Diallo peux-tu appeler le fournisseur ?",
        mentions=[str(staff.user.pk), str(other_owner.user.pk)],
    )
    assert {m.user_id for m in msg.mentions.all()} == {cashier.user.pk, staff.user.pk}


def test_search_ignores_accents_and_case(team):
    owner = team[0]
    channel = _channel(owner.business)
    services.message_send(conversation=channel, actor=owner.user, text="Le CAFÉ est livré")
    services.message_send(conversation=channel, actor=owner.user, text="Le thé aussi")
    found = selectors.message_history(conversation=channel, search="cafe livre")
    assert [m.text for m in found.items] == ["Le CAFÉ est livré"]


def test_history_pages_before_and_after(team):
    owner = team[0]
    channel = _channel(owner.business)
    for n in range(7):
        services.message_send(conversation=channel, actor=owner.user, text=f"m{n}")
    latest = selectors.message_history(conversation=channel, size=3)
    assert [m.seq for m in latest.items] == [5, 6, 7] and latest.has_more
    older = selectors.message_history(conversation=channel, before=5, size=3)
    assert [m.seq for m in older.items] == [2, 3, 4] and older.has_more
    missed = selectors.message_history(conversation=channel, after=4, size=2)
    assert [m.seq for m in missed.items] == [5, 6] and missed.has_more
    rest = selectors.message_history(conversation=channel, after=6, size=2)
    assert [m.seq for m in rest.items] == [7] and not rest.has_more


def test_groups_and_direct_messages_are_for_their_members_only(team):
    owner, cashier, staff = team
    group = services.group_create(
        business=owner.business, actor=owner.user, title="Inventaire", member_ids=[staff.user.pk]
    )
    with pytest.raises(NotFound):
        services.message_send(conversation=group, actor=cashier.user, text="hello?")
    assert group.pk not in {
        c.pk for c in selectors.conversation_list(business=owner.business, user=cashier.user)
    }
    dm, created = services.direct_open(
        business=owner.business, actor=cashier.user, other_id=staff.user.pk
    )
    again, created_again = services.direct_open(
        business=owner.business, actor=staff.user, other_id=cashier.user.pk
    )
    assert created and not created_again and dm.pk == again.pk
    with pytest.raises(NotFound):
        services.message_send(conversation=dm, actor=owner.user, text="listening in")


def test_someone_from_another_business_cannot_write_or_be_added(team, other_owner):
    owner = team[0]
    channel = _channel(owner.business)
    with pytest.raises(NotFound):
        services.message_send(conversation=channel, actor=other_owner.user, text="hi")
    with pytest.raises(NotFound):
        services.direct_open(
            business=owner.business, actor=owner.user, other_id=other_owner.user.pk
        )
    with pytest.raises(NotFound):
        services.group_create(
            business=owner.business, actor=owner.user, title="x", member_ids=[other_owner.user.pk]
        )


def test_a_deactivated_employee_sees_nothing(team):
    from hanout.accounts import services as accounts

    owner, cashier, _staff = team
    channel = _channel(owner.business)
    accounts.employee_set_active(actor_membership=owner, membership=cashier, active=False)
    with pytest.raises(NotFound):
        services.message_send(conversation=channel, actor=cashier.user, text="still here?")


def test_files_images_and_voice(team, settings):
    owner = team[0]
    channel = _channel(owner.business)
    img = services.message_send(
        conversation=channel, actor=owner.user, upload=png(), kind=MessageKind.IMAGE
    )
    att = img.attachments.get()
    assert att.thumbnail and att.width == 64 and att.content_type == "image/png"
    doc = services.message_send(
        conversation=channel,
        actor=owner.user,
        upload=document(name="../../etc/passwd"),
        kind=MessageKind.FILE,
        text="le fichier",
    )
    att = doc.attachments.get()
    assert att.original_name == "passwd" and att.file.name.endswith(".bin")
    voice = services.message_send(
        conversation=channel,
        actor=owner.user,
        upload=webm(),
        kind=MessageKind.VOICE,
    )
    att = voice.attachments.get()
    assert (att.content_type, att.duration_ms, len(att.waveform)) == ("audio/webm", 2000, 64)
    assert att.file.name.endswith(".webm") and att.playable.name.endswith(".m4a")


def test_bad_files_are_refused_and_nothing_is_written(team):
    owner = team[0]
    channel = _channel(owner.business)
    services.settings_update(business=owner.business, actor=owner.user, max_file_mb=1)
    cases = [
        (document(name="fake.png", body=b"%PDF-1.4 not an image"), MessageKind.IMAGE, {}),
        (document(body=b"x" * (1024 * 1024 + 1)), MessageKind.FILE, {}),
        (document(body=b""), MessageKind.FILE, {}),
        (document(name="voice.webm", body=b"not audio at all"), MessageKind.VOICE, {}),
        # a WebM header and nothing a decoder can read
        (document(name="v.webm", body=b"\x1a\x45\xdf\xa3" + b"\x00" * 500), MessageKind.VOICE, {}),
        # a real recording cut in half
        (document(name="v.webm", body=webm().read()[:200]), MessageKind.VOICE, {}),
    ]
    for upload, kind, extra in cases:
        with pytest.raises(ValidationFailed):
            services.message_send(
                conversation=channel, actor=owner.user, upload=upload, kind=kind, **extra
            )
    assert not Message.objects.exists() and not Attachment.objects.exists()
