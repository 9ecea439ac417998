"""Anonymous visitors: a random secret in a cookie, the user id and CSRF token derived from it.

The cookie holds a random secret, never shown anywhere else. The user id is a hash of it, so
logs (which carry user ids) never hold what would let someone act as the person; the CSRF token
is another hash of it, so a page from another site, which cannot read the cookie, cannot forge
a form.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

__all__ = ["COOKIE", "USER_PREFIX", "Visitor", "is_web_user"]

COOKIE = "tsunagu"
USER_PREFIX = "web:"
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32)


class Visitor:
    """One browser: its cookie secret and what is derived from it."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    @classmethod
    def new(cls) -> Visitor:
        """A visitor seen for the first time (or whose cookie was erased or forged)."""
        return cls(secrets.token_urlsafe(32))

    @classmethod
    def from_cookie(cls, value: str | None) -> Visitor | None:
        """The visitor a cookie names, if it is one this server could have set."""
        return cls(value) if value is not None and _SECRET.fullmatch(value) else None

    @property
    def user(self) -> str:
        """The conversation's id: ``web:`` and a hash of the secret (safe in logs)."""
        return USER_PREFIX + _digest("user", self.secret)[:24]

    @property
    def csrf(self) -> str:
        """The token every form of this visitor carries."""
        return _digest("csrf", self.secret)

    def csrf_ok(self, token: str | None) -> bool:
        """Whether a form's token is this visitor's (compared in constant time)."""
        return token is not None and hmac.compare_digest(token.encode(), self.csrf.encode())


def is_web_user(user: str) -> bool:
    """Whether a stored conversation is a web visitor's."""
    return user.startswith(USER_PREFIX)


def _digest(purpose: str, secret: str) -> str:
    return hashlib.sha256(f"tsunagu-web:{purpose}:{secret}".encode()).hexdigest()
