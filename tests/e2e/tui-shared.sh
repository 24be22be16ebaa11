#!/bin/bash
# HQ's working day on one store: the interface stays open while the CLI
# writes in another process and `cimic serve` runs in a third.  The open
# list shows the CLI's record within 3 s, keeping the cursor on the
# record it was on; an open form keeps what was typed; a unit syncing
# over the link shows up in the list; `peer revoke` from the CLI while
# the server runs stops that unit's next session (77).
. "$(dirname "$0")/tui-lib.sh"

PW='correct horse battery staple'
c() { local s=$1; shift; CIMIC_PASSPHRASE=$PW "$CIMIC_BIN" --store "$T_DIR/$s" "$@"; }
c hq init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
c east init --unit "Група Схід" --kdf-ops 1 --kdf-mem 8192 >/dev/null
c hq peer add --name east "$(c east id | head -1)" >/dev/null
c east peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
c hq incident add --title "Перший запис" --when 2026-11-01T08:00Z >/dev/null
c hq incident add --title "Другий запис" --when 2026-11-02T08:00Z >/dev/null
c hq incident add --title "Третій запис" --when 2026-11-03T08:00Z >/dev/null

t_start 100 30 -- --store "$T_DIR/hq"
t_unlock "$PW"; t_ok $? "the interface is open on HQ's store"
t_wait "Третій запис" 5
t_keys j
t_screen | grep -q "^> .*Другий запис"; t_ok $? "the cursor is on the second record"

start=$(date +%s%N)
c hq incident add --title "Запис з командного рядка" --settlement "Харків" >"$T_DIR/add.out" 2>"$T_DIR/add.err"
t_ok $? "a CLI incident add succeeds while the interface is open (was: store in use)"
t_wait "Запис з командного рядка" 3; t_ok $? "it appears on the open list within 3 s"
echo "# shown after $(( ($(date +%s%N) - start) / 1000000 )) ms"
t_screen | grep -q "^> .*Другий запис"; t_ok $? "the cursor stayed on the record it was on"

CIMIC_PASSPHRASE=$PW "$CIMIC_BIN" --store "$T_DIR/hq" serve --listen 127.0.0.1:0 \
	>"$T_DIR/serve.out" 2>"$T_DIR/serve.err" &
SPID=$!
trap 'kill "$SPID" 2>/dev/null; t_cleanup' EXIT
for _ in $(seq 200); do grep -q '^listening on' "$T_DIR/serve.out" && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T_DIR/serve.out")
[ -n "$PORT" ]; t_ok $? "cimic serve runs in a third process on the same store"

# an open form survives the refreshes
t_keys i
t_wait "Quick capture" 5
t_type "Чернетка, що не зникає"
c east incident add --title "Донесення з поля" --settlement "Суми" >/dev/null
c east sync --link "127.0.0.1:$PORT" >"$T_DIR/sync1.out" 2>&1
t_ok $? "a unit syncs over the link with the serving store"
c hq incident add --title "Ще один з CLI" >/dev/null
sleep 2.5   # two refresh periods: the form must still hold the typed text
t_screen | grep -q "Чернетка, що не зникає"; t_ok $? "the open form keeps what was typed"
t_keys C-s
t_wait "Saved «Чернетка, що не зникає»" 5; t_ok $? "and saves it"
t_wait "Донесення з поля" 5; t_ok $? "the unit's record appears in the open interface"
t_screen | grep "Донесення з поля" | grep -q "Група Схід"; t_ok $? "the list names its unit"

c hq peer revoke east >/dev/null; t_ok $? "peer revoke from the CLI while serving"
c east incident add --title "Після відкликання" >/dev/null
c east sync --link "127.0.0.1:$PORT" --retries 0 >"$T_DIR/sync2.out" 2>"$T_DIR/sync2.err"; rc=$?
[ "$rc" -eq 77 ]; t_ok $? "the revoked unit's next session is refused with 77 (got $rc)"
grep -q "revoked" "$T_DIR/sync2.err"; t_ok $? "saying it is revoked"
kill "$SPID"; wait "$SPID"; t_ok $? "the server stops cleanly"
sleep 1.5
t_screen | grep -q "Після відкликання"; t_ok $((1 - $?)) "nothing of the revoked unit's later work arrived"
t_alive; t_ok $? "the interface is still running"
t_keys q
t_wait_exit 5; t_ok $? "quit"
c hq check >/dev/null; t_ok $? "check ok"
t_done
