"""The translators' tools: extraction, checks, statistics and previews of the catalogs."""
