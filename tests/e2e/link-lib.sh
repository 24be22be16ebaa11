# link-lib.sh - helpers for the link scenarios (sourced by link*.sh).
# Stores live in $T; every process started here is remembered and killed
# by its pid at exit.  Waits poll for text with a bounded loop.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
PROXY=${CIMIC_CUTPROXY:?CIMIC_CUTPROXY not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-link-XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
finish() { echo "1..$n"; [ "$fails" -eq 0 ]; exit $?; }
c() { local s=$1; shift; "$BIN" --store "$T/$s" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

# mk NAME [--hq]: a new store with fast (test-only) KDF parameters.
mk() { local s=$1; shift; c "$s" init --unit "$s" "$@" --kdf-ops 1 --kdf-mem 8192 >/dev/null; }
# enrol HQ FIELD: each side trusts the other.
enrol() {
	c "$1" peer add --name "$2" "$(c "$2" id | head -1)" >/dev/null &&
	c "$2" peer add --name "$1" --hq "$(c "$1" id | head -1)" >/dev/null
}

# wait_for FILE REGEX: up to 10 s for a line to appear.
wait_for() {
	for _ in $(seq 200); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# start_server NAME [serve options]: sets SPORT (kernel-chosen) and SPID.
start_server() {
	local s=$1; shift
	# truncate here, not in the background child: a stale "listening on"
	# line from the last server must not be read as this one's
	: >"$T/serve-$s.out"
	"$BIN" --store "$T/$s" serve --listen 127.0.0.1:0 "$@" >>"$T/serve-$s.out" 2>"$T/serve-$s.err" &
	SPID=$!; PIDS+=("$SPID")
	wait_for "$T/serve-$s.out" '^listening on ' || { echo "Bail out! server did not start"; exit 1; }
	SPORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/serve-$s.out")
}
stop_server() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }
# wait_server [SECONDS]: the --once server's status; killed (and 124) if it does not end in time.
wait_server() {
	for _ in $(seq $(( ${1:-15} * 20 ))); do
		kill -0 "$SPID" 2>/dev/null || { wait "$SPID"; return $?; }
		sleep 0.05
	done
	echo "# the server did not end: killed"
	kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null
	return 124
}

# start_proxy OUTFILE [cutproxy options] TARGET_PORT: sets PPORT and PPID_.
start_proxy() {
	local out=$1; shift
	: >"$out"
	"$PROXY" "$@" >>"$out" &
	PPID_=$!; PIDS+=("$PPID_")
	wait_for "$out" '^port ' || { echo "Bail out! proxy did not start"; exit 1; }
	PPORT=$(sed -n 's/^port //p' "$out")
}

# dump NAME: incidents and contacts, every field, sorted by id (what replicas must share).
dump() {
	{ c "$1" incident list --all --json; c "$1" contact list --all --json; } | python3 -c '
import json, sys
dec = json.JSONDecoder(); text = sys.stdin.read(); rows = []; i = 0
while i < len(text):
    if text[i].isspace(): i += 1; continue
    d, i = dec.raw_decode(text, i); rows += d
print(json.dumps(sorted(rows, key=lambda r: r["id"]), sort_keys=True, ensure_ascii=False))'
}
# same A B...: all stores hold the same records; prints nothing.
same() {
	local first; first=$(dump "$1"); shift
	for s in "$@"; do [ "$(dump "$s")" = "$first" ] || return 1; done
	[ "$first" != "[]" ]
}
# count NAME: records held.
count() { dump "$1" | json 'print(len(d))'; }

# Other processes may use a serving store (normal locking); the helpers
# below still read a server's store after its session ended, so what
# they compare is final.
# session SERVER CLIENT [sync options]: one session with a --once server;
# RC is the client's status, SRC the server's.
session() {
	local s=$1 cl=$2; shift 2
	start_server "$s" --once
	c "$cl" sync --link "127.0.0.1:$SPORT" "$@"; RC=$?
	wait_server; SRC=$?
}
