"""The team chat's page, /chat/: a shell and its starting data.

Everything else (conversations, history, sending, files, presence) goes through
the same REST API and WebSocket as the desktop app (docs/chat-protocol.md), from
the page's JavaScript (static/chat/). Reading needs the Chat module; a person
with Chat read-only sees the conversations without a composer (the API refuses
their writes anyway).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hanout.chat import presence, selectors, services
from hanout.chat.models import EDIT_WINDOW_MINUTES, ConversationKind, MessageKind
from hanout.core.pages import member_required
from hanout.core.permissions import Module, Role
from hanout.core.selectors import business_time_zone


@require_GET
@member_required(Module.CHAT)
def chat_page(request):
    business, user = request.business, request.user
    # A business made after the chat existed has no channels yet: the first visit makes them.
    services.channels_ensure(business=business, actor=user)
    config = {
        "me": {"id": str(user.pk), "name": user.full_name or user.email},
        "business": str(business.pk),
        "can_write": request.membership.can_edit(Module.CHAT),
        "can_delete_any": request.membership.role in (Role.OWNER, Role.MANAGER),
        "edit_minutes": EDIT_WINDOW_MINUTES,
        "heartbeat_seconds": presence.HEARTBEAT_SECONDS,
        "max_file_mb": selectors.max_file_bytes(business=business) // (1024 * 1024),
        "open": request.GET.get("c", ""),
        # Labels Django already translates (the models' choices), so the page says them alike.
        "kinds": {str(k): str(label) for k, label in ConversationKind.choices},
        "message_kinds": {str(k): str(label) for k, label in MessageKind.choices},
        # times are shown in the shop's zone, as on every other page (not the computer's)
        "time_zone": business_time_zone(business) or "UTC",
        "api": "/api/v1/chat/",
        "ws": "/ws/chat/",
    }
    return render(request, "chat/page.html", {"chat_config": config})


@require_GET
@member_required(Module.CHAT)
def chat_unread(request):
    """The menu's chat badge: how many messages wait for the person, asked by the page's
    script after it is shown (one indexed query here, none in every page's rendering)."""
    response = JsonResponse(
        {"unread": selectors.unread_total(business=request.business, user=request.user)}
    )
    response["Cache-Control"] = "private, no-store"
    return response
