#!/bin/bash
# `:net HOST:PORT` in the terminal interface: a link session with HQ's
# `cimic serve` (loopback, kernel-chosen port), its result on the message
# line, the records it brought, and a clear error when nobody answers.
. "$(dirname "$0")/tui-lib.sh"

c() { local s=$1; shift; CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$T_DIR/$s" "$@"; }
c hq init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
t_store "$T_DIR/f1" "Група «Схід»" Tisa-lantern-47-orbit
c hq peer add --name east "$(c f1 id | head -1)" >/dev/null
c f1 peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
c hq contact add --name "Ірина Мельник" --org "Обласний штаб" >/dev/null
c hq serve --listen 127.0.0.1:0 --once >"$T_DIR/serve.out" 2>&1 &
SPID=$!
for _ in $(seq 200); do grep -q '^listening on' "$T_DIR/serve.out" && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T_DIR/serve.out")

t_start 80 24 -- --store "$T_DIR/f1"
t_unlock Tisa-lantern-47-orbit; t_ok $? "unlocked"
t_keys :
t_type "net 127.0.0.1:$PORT"; t_keys Enter
t_wait "Network link with hq: sent 0, received 2 (2 new)" 15; t_ok $? ":net runs a link session and reports it"
for _ in $(seq 300); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.05; done
kill "$SPID" 2>/dev/null   # still there after 15 s: the session failed; never wait forever
wait "$SPID"; t_ok $? "the server saw a clean session"
t_keys :
t_type "contacts"; t_keys Enter
t_wait "Ірина Мельник" 5; t_ok $? "HQ's contact is on the unit"
t_keys :
t_type "net 127.0.0.1:1"; t_keys Enter
t_wait "Network link: cannot connect to 127.0.0.1:1" 15; t_ok $? "nobody listening: a clear error"
t_alive; t_ok $? "the interface is still running"
t_done
