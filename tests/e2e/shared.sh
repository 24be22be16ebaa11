#!/usr/bin/env bash
# shared.sh - one store shared by several processes (DESIGN section 2):
# `serve`, a long-lived reader and CLI commands work on it at the same
# time; a busy store makes commands wait, and one that stays busy too
# long exits 75 with one line; the -shm wal-index is 0600 and, like the
# database and the WAL, holds no plaintext (TAP).
. "$(dirname "$0")/link-lib.sh"
HOLD=${CIMIC_STOREHOLD:?CIMIC_STOREHOLD not set}
LAT=quartzfalcon7731 CYR=канаркажовта4419

mk hq --hq; mk f1; enrol hq f1
start_server hq
"$HOLD" -r "$T/hq" 120 >"$T/reader.out" 2>"$T/reader.err" &
RPID=$!; PIDS+=("$RPID")
wait_for "$T/reader.out" '^open$'; ok $? "a long-lived reader holds the store open"

bad=0
for i in 1 2 3 4 5; do
	c hq contact add --name "$LAT $i" --notes "$CYR $i" >/dev/null || bad=$((bad+1))
done
c hq incident add --title "$CYR incident" --description "$LAT" >/dev/null || bad=$((bad+1))
ok $bad "CLI writes while serve and a reader have the store open"
is "$(c hq contact list --json | json 'print(len(d))')" 5 "CLI reads see the new contacts"
is "$(c hq search "$LAT" --json | json 'print(len(d) if isinstance(d, list) else len(d.get("results", [])))')" 6 \
	"search beside the server finds them (5 contacts, 1 incident)"

# four writers at once: every command waits its turn, none fails
pids=()
for w in 1 2 3 4; do
	( for i in 1 2 3 4 5; do c hq incident add --title "writer $w-$i" >/dev/null || exit 1; done ) &
	pids+=($!)
done
bad=0; for p in "${pids[@]}"; do wait "$p" || bad=$((bad+1)); done
ok $bad "four concurrent CLI writers: no command failed"
is "$(c hq incident list --all --json | json 'print(sum(1 for r in d if r["title"].startswith("writer ")))')" 20 \
	"all 20 concurrent incidents committed"

# a unit syncs with the serving store while the others work on it
c f1 incident add --title "from the field" >/dev/null
c f1 sync --link "127.0.0.1:$SPORT" >/dev/null 2>"$T/sync.err"; ok $? "a unit syncs over the link with the shared store"
is "$(c hq incident list --all --json | json 'print(sum(1 for r in d if r["title"] == "from the field"))')" 1 \
	"its record is readable at once by another process"

ls "$T/hq/cimic.db-shm" >/dev/null 2>&1; ok $? "the -shm wal-index exists while the store is shared"
is "$(stat -c %a "$T/hq/cimic.db-shm")" 600 "the -shm file is 0600"
is "$(stat -c %a "$T/hq/cimic.db")" 600 "the database is 0600"
leak=0
for f in cimic.db cimic.db-wal cimic.db-shm; do
	[ -f "$T/hq/$f" ] || continue
	if grep -qa -e "$LAT" -e "$CYR" -e "writer 1-" -e "from the field" "$T/hq/$f"; then
		echo "# plaintext in $f"; leak=$((leak+1))
	fi
done
ok $leak "no canary (Latin or Cyrillic) in cimic.db, -wal or -shm"

# busy: a writer holding the store makes a command wait, then succeed
"$HOLD" "$T/hq" 2 >"$T/hold.out" 2>&1 &
HPID=$!; PIDS+=("$HPID")
wait_for "$T/hold.out" '^held$'
start=$(date +%s%N)
c hq contact add --name "waited" >/dev/null 2>"$T/wait.err"; rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
is "$rc" 0 "a command waits for a writer instead of failing"
ok $(( elapsed >= 1000 ? 0 : 1 )) "it waited for the lock (${elapsed} ms)"
wait "$HPID"

# busy too long: exit 75 with one line
"$HOLD" "$T/hq" 4 >"$T/hold.out" 2>&1 &
HPID=$!; PIDS+=("$HPID")
wait_for "$T/hold.out" '^held$'
CIMIC_BUSY_TIMEOUT=300 c hq contact add --name "gave up" >/dev/null 2>"$T/busy.err"; rc=$?
is "$rc" 75 "a store busy past the timeout exits 75 (EX_TEMPFAIL)"
is "$(wc -l <"$T/busy.err")" 1 "with one line"
grep -q '^cimic: .*the store is busy: .*; try again$' "$T/busy.err"; ok $? "saying the store is busy and to try again"
sed 's/^/# /' "$T/busy.err"
wait "$HPID"

kill -TERM "$RPID"; wait "$RPID"; ok $? "the long-lived reader never failed ($(cat "$T/reader.out" | tail -1))"
stop_server
c hq check >/dev/null; ok $? "check ok after the shared work"
finish
