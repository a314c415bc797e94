"""The process's chat hub (chat.hub): one channel per process in each group, however many
sockets; frames reach every local socket of the group, in order; the group is left with
the last socket."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync

from hanout.chat.hub import Hub
from hanout.core.channel_layers import SweptInMemoryChannelLayer


class Socket:
    def __init__(self, fail=False):
        self.frames: list[str] = []
        self.fail = fail

    async def deliver(self, message):
        if self.fail:
            raise ConnectionError("gone")
        self.frames.append(message["frame"])


def test_one_channel_per_group_and_every_local_socket_served():
    async def scenario():
        layer = SweptInMemoryChannelLayer(channel_capacity={"*!chat-hub-*": 1000})
        hub = Hub(layer)
        a, b, broken, elsewhere = Socket(), Socket(), Socket(fail=True), Socket()
        for s in (a, b, broken):
            await hub.add("chat-c1", s)
        await hub.add("chat-c2", elsewhere)
        assert list(layer.groups["chat-c1"]) == [hub.channel]  # one member: the hub
        assert "!chat-hub-" in hub.channel and layer.get_capacity(hub.channel) == 1000
        for n in range(150):  # more than a socket channel's 100
            await layer.group_send(
                "chat-c1", {"type": "chat.event", "group": "chat-c1", "frame": str(n)}
            )
        for _ in range(200):
            if len(b.frames) == 150:
                break
            await asyncio.sleep(0.01)
        assert a.frames == b.frames == [str(n) for n in range(150)]  # a broken socket harms none
        assert elsewhere.frames == []
        await hub.discard("chat-c1", a)
        await hub.discard("chat-c1", broken)
        assert "chat-c1" in layer.groups
        await hub.discard("chat-c1", b)
        assert "chat-c1" not in layer.groups and "chat-c2" in layer.groups
        for task in hub._tasks:
            task.cancel()

    async_to_sync(scenario)()
