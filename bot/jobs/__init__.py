"""Background jobs of the running bot: retention and change notices."""
