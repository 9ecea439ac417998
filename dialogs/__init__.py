"""The screening dialog: pure Python state machine, rules and content (no IO)."""
