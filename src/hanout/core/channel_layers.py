"""The channel layer of a single machine (no REDIS_URL): Channels' in-memory layer, swept less.

Channels' `InMemoryChannelLayer` sweeps every channel and every group
membership for expired entries on each `receive` and `group_send`. Each open
socket waits in `receive`, so one message to a conversation of 1,000 open
sockets runs 1,000 sweeps over some 4,000 entries: the fan-out grows with the
square of the sockets (measured with bench/bench_chat.py: most of the server's
time at 1,000 sockets went there). Expiry is a safety net for messages nobody
reads and groups nobody left (60 s and a day by default), so sweeping once a
second changes nothing a client can see.

It also honours `channel_capacity` (the chat hub's channel gets more room).
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer

SWEEP_EVERY_SECONDS = 1.0


class SweptInMemoryChannelLayer(InMemoryChannelLayer):
    _next_sweep = 0.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Channels 4 keeps `channel_capacity` as given here, but reads it as compiled
        # (pattern, capacity) pairs: compile it, as channels-redis does.
        self.channel_capacity = self.compile_capacities(self.channel_capacity)

    def _clean_expired(self):
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY_SECONDS
        super()._clean_expired()
