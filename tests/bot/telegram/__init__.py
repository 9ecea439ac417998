"""The Telegram channel through the real PTB Application with a fake transport."""
