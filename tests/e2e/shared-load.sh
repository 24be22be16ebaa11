#!/bin/bash
# shared-load.sh SECONDS - HQ's store under a working day's load: the
# interface open in tmux, `cimic serve` with five units each adding an
# incident and syncing over the link in a loop, a CLI writer and a CLI
# reader, all at once for SECONDS (20 in the default suite, 120 in
# 'slow').  Afterwards: no command failed, every id a command printed
# (an acknowledged commit) is in HQ's store and on the open interface's
# list, `check` passes, and the canary strings are in no file of any
# store, the -shm wal-index included.
. "$(dirname "$0")/tui-lib.sh"

SECS=${1:-20}
PW='correct horse battery staple'
LAT=quillvortex5521 CYR=канаркасиня7734
UNITS="u1 u2 u3 u4 u5"
export CIMIC_BUSY_TIMEOUT=30000   # a 2-core machine shared by others: wait, never fail
c() { local s=$1; shift; CIMIC_PASSPHRASE=$PW "$CIMIC_BIN" --store "$T_DIR/$s" "$@"; }
PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; t_cleanup; }
trap stop_all EXIT

c hq init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
for u in $UNITS; do
	c $u init --unit "Підрозділ $u" --kdf-ops 1 --kdf-mem 8192 >/dev/null
	c hq peer add --name $u "$(c $u id | head -1)" >/dev/null
	c $u peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
done

t_start 100 30 -- --store "$T_DIR/hq"
t_unlock "$PW"; t_ok $? "the interface is open on HQ's store"

CIMIC_PASSPHRASE=$PW "$CIMIC_BIN" --store "$T_DIR/hq" serve --listen 127.0.0.1:0 \
	>"$T_DIR/serve.out" 2>"$T_DIR/serve.err" &
SPID=$!; PIDS+=("$SPID")
for _ in $(seq 200); do grep -q '^listening on' "$T_DIR/serve.out" && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T_DIR/serve.out")
[ -n "$PORT" ]; t_ok $? "serve runs beside it"

END=$(( $(date +%s) + SECS ))
# fail FILE WHAT: one line per failed command, with its status and stderr
fail() { echo "$2" >>"$T_DIR/$1.fail"; }
unit_loop() {
	local u=$1 i=0 id rc
	while [ "$(date +%s)" -lt "$END" ]; do
		i=$((i + 1))
		if id=$(c $u incident add --title "$LAT $u-$i" --description "$CYR" 2>>"$T_DIR/$u.err"); then
			echo "$id" >>"$T_DIR/$u.ids"
		else fail $u "add $i: $?"; fi
		c $u sync --link "127.0.0.1:$PORT" --retries 0 >/dev/null 2>>"$T_DIR/$u.err"
		rc=$?; [ $rc -eq 0 ] || fail $u "sync $i: $rc"
	done
}
writer_loop() {
	local i=0 id
	while [ "$(date +%s)" -lt "$END" ]; do
		i=$((i + 1))
		if id=$(c hq incident add --title "$CYR штаб $i" --description "$LAT" 2>>"$T_DIR/writer.err"); then
			echo "$id" >>"$T_DIR/writer.ids"
		else fail writer "add $i: $?"; fi
	done
}
reader_loop() {
	local i=0
	while [ "$(date +%s)" -lt "$END" ]; do
		i=$((i + 1))
		c hq incident list --json >/dev/null 2>>"$T_DIR/reader.err" || fail reader "list $i: $?"
		c hq search "$LAT" --limit 10 >/dev/null 2>>"$T_DIR/reader.err" || fail reader "search $i: $?"
		c hq peer list >/dev/null 2>>"$T_DIR/reader.err" || fail reader "peer list $i: $?"
	done
	echo "$i" >"$T_DIR/reader.rounds"
}
loops=()
for u in $UNITS; do unit_loop $u & loops+=($!); done
writer_loop & loops+=($!)
reader_loop & loops+=($!)
PIDS+=("${loops[@]}")
# the officer moves about and captures incidents meanwhile
n=0
while [ "$(date +%s)" -lt "$END" ]; do
	n=$((n + 1))
	t_keys 1; t_keys j; t_keys k
	t_keys i
	if t_wait "Quick capture" 10; then
		t_type "$LAT tui $n"; t_keys C-s
		if t_wait "Saved «$LAT tui $n»" 30; then echo "$LAT tui $n" >>"$T_DIR/tui.titles"
		else fail tui "capture $n not saved"; fi
	else fail tui "capture $n: no form"; fi
	t_keys 3; sleep 0.3; t_keys 5; sleep 0.3
done
for p in "${loops[@]}"; do wait "$p"; done
# while serve and the interface still hold the store: the -shm and -wal as they are now
mkdir -p "$T_DIR/live"
cp "$T_DIR"/hq/cimic.db* "$T_DIR/live/"
[ -e "$T_DIR/live/cimic.db-shm" ]; t_ok $? "the -shm wal-index is in use while shared"

failed=$(cat "$T_DIR"/*.fail 2>/dev/null | wc -l)
[ "$failed" -eq 0 ]; t_ok $? "no command failed ($(cat "$T_DIR"/*.ids | wc -l) adds, $(cat "$T_DIR/reader.rounds") read rounds)"
cat "$T_DIR"/*.fail 2>/dev/null | head -5 | sed 's/^/# /'
sort -u "$T_DIR"/*.err 2>/dev/null | grep -v -e '^session with' -e 'results shown' -e 'sync: connected to' | head -5 | sed 's/^/# /'
# a last session each, so that everything the units acknowledged has reached HQ
for u in $UNITS; do c $u sync --link "127.0.0.1:$PORT" >/dev/null 2>&1 || fail final "$u"; done
[ ! -e "$T_DIR/final.fail" ]; t_ok $? "a last session of each unit succeeds"
kill "$SPID"; wait "$SPID"; t_ok $? "serve stops cleanly"

c hq incident list --all --json | python3 -c 'import json,sys; print("\n".join(r["id"] for r in json.load(sys.stdin)))' \
	| sort >"$T_DIR/held"
cat "$T_DIR"/*.ids | sort -u >"$T_DIR/acked"
lost=$(comm -23 "$T_DIR/acked" "$T_DIR/held" | wc -l)
[ "$lost" -eq 0 ] && [ -s "$T_DIR/acked" ]; t_ok $? "no acknowledged commit lost ($(wc -l <"$T_DIR/acked") acknowledged, $lost missing)"
c hq incident list --all --json | python3 -c 'import json,sys; print("\n".join(r["title"] for r in json.load(sys.stdin)))' \
	| sort >"$T_DIR/held.titles"
sort -u "$T_DIR/tui.titles" >"$T_DIR/tui.sorted"
lost=$(comm -23 "$T_DIR/tui.sorted" "$T_DIR/held.titles" | wc -l)
[ "$lost" -eq 0 ] && [ -s "$T_DIR/tui.sorted" ]; t_ok $? "every incident the interface saved is there ($(wc -l <"$T_DIR/tui.sorted"))"
total=$(wc -l <"$T_DIR/held")
t_keys 1
t_wait "$total · newest first" 5; t_ok $? "the open interface counts all $total incidents"
t_alive; t_ok $? "the interface is still running"
t_keys q; t_wait_exit 10; t_ok $? "and quits cleanly"
c hq check >/dev/null; t_ok $? "check ok at HQ"
leak=0
for f in "$T_DIR"/live/* "$T_DIR"/hq/* "$T_DIR"/u*/*; do
	[ -f "$f" ] || continue
	if grep -qa -e "$LAT" -e "$CYR" "$f"; then echo "# plaintext in $f"; leak=$((leak + 1)); fi
done
t_ok $leak "no canary (Latin or Cyrillic) in any store file, -wal and -shm included"
t_done
