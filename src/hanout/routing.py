"""WebSocket routes."""

from django.urls import path

from hanout.chat.consumers import ChatConsumer
from hanout.notifications.consumers import NotificationsConsumer
from hanout.pos.consumers import RegisterConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
    path("ws/register/<uuid:register_id>/", RegisterConsumer.as_asgi()),
]
