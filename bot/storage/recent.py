"""Sessions and update ids kept in memory, write-through.

Sessions are cached with SQLite only (the bot process is then the only writer); update ids this
process committed are remembered with either database.
"""

from __future__ import annotations

from collections import OrderedDict

from dialogs.session import Session

__all__ = ["Recent"]

_CACHE_SIZE = 50_000  # sessions kept in memory
_RECENT_UPDATES = 100_000  # update ids remembered in memory


class Recent:
    """The most recently used sessions and the most recent update ids, bounded."""

    size = _CACHE_SIZE

    def __init__(self) -> None:
        self.sessions: OrderedDict[str, Session | None] = OrderedDict()
        self.updates: OrderedDict[int, None] = OrderedDict()

    def session(self, user: str) -> tuple[bool, Session | None]:
        """(known, a copy of the session): known with None means "stored nowhere"."""
        if user not in self.sessions:
            return False, None
        self.sessions.move_to_end(user)
        session = self.sessions[user]
        return True, session.copy() if session else None

    def keep(self, user: str, session: Session | None) -> None:
        """Remember ``user``'s session as stored (None: they have none)."""
        self.sessions[user] = session
        self.sessions.move_to_end(user)
        while len(self.sessions) > _CACHE_SIZE:
            self.sessions.popitem(last=False)

    def remember(self, update_id: int) -> None:
        """An update id committed by this process."""
        self.updates[update_id] = None
        while len(self.updates) > _RECENT_UPDATES:
            self.updates.popitem(last=False)
