"""Everything that does IO: channels, storage, translations, the command line."""
