"""Per-address request limits: a sliding minute, kept in memory, never logged."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

__all__ = ["AddressLimiter"]

_WINDOW = 60.0  # seconds
_MAX_ADDRESSES = 100_000  # bounded so a flood of addresses cannot fill the memory


class AddressLimiter:
    """At most ``per_minute`` requests from one address in any 60 seconds."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, address: str) -> float:
        """0 when the request may go on, else the seconds until it may."""
        now = self.clock()
        times = self._seen.pop(address, None) or deque()
        while times and times[0] <= now - _WINDOW:
            times.popleft()
        self._seen[address] = times  # most recently seen last
        while len(self._seen) > _MAX_ADDRESSES:
            self._seen.popitem(last=False)
        if len(times) >= self.per_minute:
            return times[0] + _WINDOW - now
        times.append(now)
        return 0.0
