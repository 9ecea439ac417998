#!/usr/bin/env bash
# A local PostgreSQL server for the storage tests, on 127.0.0.1 (Debian/Ubuntu, as root).
# Prints the URL to export: TSUNAGU_TEST_POSTGRES_URL=$(.ci/postgres.sh)
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >&2
  pg_ctlcluster "$version" main start >&2 2>/dev/null || true  # already running is fine
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tsunagu') THEN
    CREATE ROLE tsunagu LOGIN PASSWORD 'tsunagu' CREATEDB;
  END IF;
END $$;
SQL
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'tsunagu_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O tsunagu tsunagu_test" >&2
echo "postgresql+asyncpg://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test"
