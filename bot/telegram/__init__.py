"""The Telegram channel on python-telegram-bot: thin handlers around the shared conversation."""
