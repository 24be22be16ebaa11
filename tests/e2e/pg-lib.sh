# pg-lib.sh - a throw-away PostgreSQL cluster for tests (sourced).
#
#   pg_start         initdb + start in a new private directory, unix socket only
#   pg_stop          stop it (fast shutdown); pg_restart starts it again
#   pg_cleanup       stop it and remove its directory (call from the EXIT trap)
#   pgsql ARGS...    psql as the cluster's superuser "postgres", quiet, tuples only
#
# The cluster listens on no TCP address at all (listen_addresses=''): only
# on a socket in DIR/sock, on a random port number (which names the
# socket), so tests never meet each other or a real server.  As root,
# initdb and pg_ctl refuse to run, so they run as the system user
# `postgres` (runuser) and the directory (under $TMPDIR when postgres can
# reach it, else /tmp) is given to it; otherwise they run as the current
# user.  The superuser is named postgres either way, with trust
# authentication for it alone; every other role logs in with a password
# (scram-sha-256), so the tests see libpq's passfiles work.
# Sets PGT_HOST (the socket directory) and PGT_PORT.  pg_start exits 77
# (skip) with the reason when the server binaries are missing.
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PGT_DIR=
PGT_HOST=
PGT_PORT=

pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	local base=${TMPDIR:-/tmp}
	if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
		echo "1..0 # SKIP PostgreSQL server binaries not found (apt-get install postgresql postgis)"
		exit 77
	fi
	if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
		echo "1..0 # SKIP PostGIS not installed (apt-get install postgis postgresql-15-postgis-3)"
		exit 77
	fi
	if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "1..0 # SKIP running as root and there is no postgres user to run the server"
		exit 77
	fi
	[ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$base" && base=/tmp
	PGT_DIR=$(mktemp -d "$base/cimic-pg-XXXXXX") || exit 99
	mkdir -p "$PGT_DIR/sock"
	[ "$(id -u)" -eq 0 ] && chown -R postgres "$PGT_DIR"
	PGT_HOST=$PGT_DIR/sock
	PGT_PORT=$((20000 + RANDOM % 40000))
	pg_as "$PG_BIN/initdb" -D "$PGT_DIR/data" -U postgres -A scram-sha-256 --auth-local=trust \
		--no-sync -E UTF8 --locale=C >"$PGT_DIR/initdb.log" 2>&1 || {
		echo "Bail out! initdb failed: $(tail -3 "$PGT_DIR/initdb.log")"
		exit 99
	}
	# the superuser keeps trust on the socket; everyone else needs a password
	printf 'local all postgres trust\nlocal all all scram-sha-256\n' |
		pg_as tee "$PGT_DIR/data/pg_hba.conf" >/dev/null
	pg_as "$PG_BIN/pg_ctl" -D "$PGT_DIR/data" -l "$PGT_DIR/server.log" -w -t 60 \
		-o "-c listen_addresses='' -k $PGT_HOST -p $PGT_PORT -c fsync=off" start \
		>/dev/null 2>&1 || {
		echo "Bail out! the test PostgreSQL did not start: $(tail -3 "$PGT_DIR/server.log")"
		exit 99
	}
}

pg_stop() {
	[ -n "$PGT_DIR" ] && [ -d "$PGT_DIR/data" ] &&
		pg_as "$PG_BIN/pg_ctl" -D "$PGT_DIR/data" -m fast -w stop >/dev/null 2>&1
	return 0
}

pg_restart() {
	pg_as "$PG_BIN/pg_ctl" -D "$PGT_DIR/data" -l "$PGT_DIR/server.log" -w -t 60 \
		-o "-c listen_addresses='' -k $PGT_HOST -p $PGT_PORT -c fsync=off" start >/dev/null 2>&1
}

pg_cleanup() {
	pg_stop
	[ -n "$PGT_DIR" ] && rm -rf "$PGT_DIR"
}

pgsql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGT_HOST" -p "$PGT_PORT" -U postgres "$@"
}
