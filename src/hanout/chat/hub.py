"""One listener per server process for the conversations its sockets show.

Channels' usual way is one channel per socket, each socket in the groups it
listens to: a message to a conversation of 1,000 open sockets is then 1,000
channel messages (1,000 Redis list pushes with channels-redis), each woken,
copied and dispatched on its own. Measured with bench/bench_chat.py, that
dispatch was most of the fan-out's time.

Here each process has one hub channel. The hub joins a conversation's group
(and a business's presence group) once, when its first local socket needs it,
and leaves when the last one goes. A message to the group reaches each
process once; the hub hands its already-encoded frame to every local socket
of that group, in order. Per-person groups (joined, left, read) stay on the
sockets' own channels: they are few.

Nothing depends on the hub for correctness: a message is saved before it is
pushed, and a client that reconnects asks for what it missed by seq.
"""

from __future__ import annotations

import asyncio
import logging
import weakref

log = logging.getLogger(__name__)

# Groups expire from channel layers after a day (group_expiry); the hub re-joins its
# groups every hour so a socket open for days keeps hearing its conversations.
REJOIN_EVERY_SECONDS = 3600


class Hub:
    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.members: dict[str, set] = {}
        self._started = asyncio.Lock()
        self._tasks: list[asyncio.Task] = []

    async def _start(self) -> None:
        async with self._started:
            if self.channel is None:
                # A process channel like the sockets' ("specific.<process>!<id>"), marked
                # so its capacity can be set: channels-redis reads all of a process's
                # channels through one queue, another prefix would be a second queue
                # whose reader blocks the first for seconds.
                channel = (await self.layer.new_channel()).replace("!", "!chat-hub-", 1)
                loop = asyncio.get_running_loop()
                self._tasks = [
                    loop.create_task(self._listen(channel)),
                    loop.create_task(self._rejoin()),
                ]
                self.channel = channel

    async def add(self, group: str, consumer) -> None:
        if self.channel is None:
            await self._start()
        members = self.members.get(group)
        if members is None:
            members = self.members[group] = set()
            await self.layer.group_add(group, self.channel)
        members.add(consumer)

    async def discard(self, group: str, consumer) -> None:
        members = self.members.get(group)
        if members is None:
            return
        members.discard(consumer)
        if not members:
            del self.members[group]
            await self.layer.group_discard(group, self.channel)

    async def _listen(self, channel: str) -> None:
        while True:
            message = await self.layer.receive(channel)
            for consumer in list(self.members.get(message.get("group"), ())):
                try:
                    await consumer.deliver(message)
                except Exception:  # one broken socket must not silence the others
                    log.debug("chat hub: delivery failed", exc_info=True)

    async def _rejoin(self) -> None:
        while True:
            await asyncio.sleep(REJOIN_EVERY_SECONDS)
            for group in list(self.members):
                await self.layer.group_add(group, self.channel)


_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def hub_for(layer) -> Hub:
    """The hub of the running event loop (one per server process; tests make many loops)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None or hub.layer is not layer:
        hub = _hubs[loop] = Hub(layer)
    return hub
