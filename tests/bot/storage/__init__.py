"""Storage against SQLite (and PostgreSQL when given): store, migrations, reports."""
