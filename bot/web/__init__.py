"""The web channel: the screening as a mobile-first page on the same engine, store and catalogs."""
