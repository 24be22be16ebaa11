#!/usr/bin/env bash
# publish.sh - `cimic publish` into a throw-away PostgreSQL with PostGIS:
# the first run of BENCH_INCIDENTS incidents (100000), a run after
# BENCH_CHANGES edits (1000), a run with nothing changed.  Times and rows/s
# as RESULT lines (bench-publish.c).  Skips (77) without the server.
set -u
BENCH=${BENCH_PUBLISH:-$(dirname "$0")/../../build/tests/bench/bench-publish}
. "$(dirname "$0")/../e2e/pg-lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-bench-pg-XXXXXX")
trap 'pg_cleanup; rm -rf "$T"' EXIT
pg_start
pgsql -c "CREATE ROLE bench LOGIN PASSWORD 'bench-only-here'" \
	-c "CREATE DATABASE picture OWNER bench" >/dev/null
pgsql -d picture -c "CREATE EXTENSION postgis" >/dev/null
echo "$PGT_HOST:$PGT_PORT:picture:bench:bench-only-here" >"$T/pgpass"
chmod 600 "$T/pgpass"
PGPASSFILE="$T/pgpass" "$BENCH" "host=$PGT_HOST port=$PGT_PORT dbname=picture user=bench" \
	"${BENCH_INCIDENTS:-100000}" "${BENCH_CHANGES:-1000}"
rc=$?
pgsql -d picture -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size('picture'))"
exit $rc
