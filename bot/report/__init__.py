"""Staff reports: figures counted from the database and drawn as PNG charts."""
