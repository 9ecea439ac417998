"""The staff desk through the real Application: cases, relays, canned replies."""
