"""Replies the endpoint has already given, kept for the next client who asks the same.

The served graph never changes while ``serve`` runs, so a successful reply to a query
(the same text, asking for the same media type) is the reply to every later asking of
it. Only successful replies are kept (an error, a timeout or a refusal is always worked
out again); the cache holds at most ``max_bytes`` of bodies and forgets the least
recently used first. Safe to share between the server's threads.

>>> cache = ReplyCache(max_bytes=10)
>>> cache.put(("q1", "json"), "reply-1", size=6)
>>> cache.put(("q2", "json"), "reply-2", size=6)   # over budget: q1 is forgotten
>>> cache.get(("q1", "json")) is None, cache.get(("q2", "json"))
(True, 'reply-2')
>>> cache.hits, cache.misses, len(cache)
(1, 1, 1)
>>> ReplyCache(max_bytes=0).put(("q", "json"), "reply", size=5)  # 0: keeps nothing
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class ReplyCache(Generic[Value]):
    """A least-recently-used map with a budget in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.hits = self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[Value, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Value | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, value: Value, size: int) -> None:
        """Keep ``value`` (``size`` bytes) for ``key``; a value larger than the whole
        budget is not kept."""
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, forgotten) = self._entries.popitem(last=False)
                self._bytes -= forgotten
