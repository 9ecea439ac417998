"""The Telegram channel on python-telegram-bot: thin handlers around the shared conversation."""

import os

# Opt in to PTB's coming type for RetryAfter.retry_after (timedelta); the rate limiter reads it,
# and the old type raises a deprecation warning on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")
