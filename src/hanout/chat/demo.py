"""Demo data for the team chat (called by hanout.demo.load_demo; idempotent).

For each demo business, through the real services: the business channel and
the shop channel with a short morning conversation (a mention, a photo of the
delivery), a group of the owner and the cashiers, and a direct conversation
between the owner and the first employee. The owner has read the business
channel up to the photo, so the unread badges have something to show.
"""

from __future__ import annotations

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

TEXTS = {
    "fr": {
        "hello": "Bonjour à tous ! La livraison de farine arrive à 10 h.",
        "reply": "@{owner} bien reçu, je m'occupe de la réception.",
        "photo": "La vitrine ce matin",
        "shop": "Le terminal de carte redémarre, patientez une minute.",
        "group": "Caisse",
        "group_msg": "Pensez à compter le fond de caisse avant 18 h.",
        "direct": "Tu peux faire la fermeture samedi ?",
        "direct_reply": "Oui, pas de souci.",
    },
    "ar": {
        "hello": "صباح الخير! سلعة الدقيق توصل على 10.",
        "reply": "@{owner} مفهوم، غادي نستقبلها.",
        "photo": "الواجهة هذا الصباح",
        "shop": "جهاز البطاقات كيعاود التشغيل، دقيقة من فضلكم.",
        "group": "الصندوق",
        "group_msg": "عدّو صندوق البداية قبل الستة.",
        "direct": "واش تقدر تسد المحل نهار السبت؟",
        "direct_reply": "إيه، ما كاين مشكل.",
    },
}


def _photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), "#f4e3c1")
    draw = ImageDraw.Draw(img)
    for x in range(20, 300, 60):
        draw.rectangle([x, 120, x + 40, 200], fill="#c68642")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("vitrine.jpg", out.getvalue(), content_type="image/jpeg")


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    from hanout.accounts.models import Membership
    from hanout.chat import services
    from hanout.chat.models import Conversation, ConversationKind, MessageKind

    if Conversation.objects.filter(business=business).exists():
        return
    texts = TEXTS.get(spec["store"].language, TEXTS["fr"])
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    staff = [
        Membership.objects.get(business=business, user__email=p.email).user for p in spec["staff"]
    ]
    services.channels_ensure(business=business, actor=owner)
    channel = Conversation.objects.get(business=business, kind=ConversationKind.BUSINESS)
    shop_channel = Conversation.objects.filter(
        business=business, kind=ConversationKind.SHOP
    ).first()

    def send(conversation, actor, text="", **kw):
        return services.message_send(
            conversation=conversation, actor=actor, text=text, client_id=uuid.uuid4(), **kw
        )

    send(channel, owner, texts["hello"])
    photo = send(channel, staff[0], texts["photo"], upload=_photo(), kind=MessageKind.IMAGE)
    services.read_mark(conversation=channel, actor=owner, seq=photo.seq)
    first_name = (owner.full_name or owner.email).split()[0]
    send(channel, staff[0], texts["reply"].format(owner=first_name), mentions=[owner.pk])
    if shop_channel is not None:
        send(shop_channel, staff[-1], texts["shop"])
    group = services.group_create(
        business=business, actor=owner, title=texts["group"], member_ids=[u.pk for u in staff]
    )
    send(group, owner, texts["group_msg"])
    direct, _created = services.direct_open(business=business, actor=owner, other_id=staff[0].pk)
    send(direct, owner, texts["direct"])
    send(direct, staff[0], texts["direct_reply"])
