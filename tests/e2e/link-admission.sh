#!/usr/bin/env bash
# link-admission.sh - admission control on the link server (TAP), DESIGN.md
# section 4: callers that have not proved they are a live, enrolled node
# get a short deadline (5 s) and a small quota of their own (8), apart
# from the session slots, so a crowd of idle connections or replayed
# handshakes never locks an enrolled unit out; sessions keep their slots,
# and when those are all taken a caller is told the server is busy.
. "$(dirname "$0")/link-lib.sh"
HOLD=${CIMIC_LINKHOLD:?CIMIC_LINKHOLD not set}

mk hq --hq; mk f1; enrol hq f1; mk f2; enrol hq f2
c f1 incident add --title "Обстріл підстанції" --severity 4 >/dev/null

# idle PORT N SECONDS: opens N idle connections, says "open N", then
# "closed K last S" once the server closed K of them (the last after S s).
idle() { python3 - "$@" <<'EOF'
import select, socket, sys, time
port, n, limit = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
t0 = time.monotonic()
print("open", len(socks), flush=True)
closed = {}
while len(closed) < n and time.monotonic() - t0 < limit:
    ready, _, _ = select.select([s for s in socks if s not in closed], [], [], 0.2)
    for s in ready:
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if not data:
            closed[s] = time.monotonic() - t0
print("closed %d last %.1f" % (len(closed), max(closed.values(), default=0)), flush=True)
EOF
}

# ---- 40 idle connections, then a unit ----
start_server hq
idle "$SPORT" 40 15 >"$T/idle.out" & IDLE=$!; PIDS+=("$IDLE")
wait_for "$T/idle.out" '^open 40$'
ok $? "40 idle TCP connections are open to the server"
start=$(date +%s%N)
c f1 sync --link "127.0.0.1:$SPORT" --retries 0 --json >"$T/s1.json" 2>"$T/s1.err"
ok $? "a unit's sync --link succeeds while they are open"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 3000 ]
ok $? "at once (${ms} ms), not after a deadline"
json 'assert d["sent"]==1, d' <"$T/s1.json"
ok $? "and its entry went up"
c f2 sync --link "127.0.0.1:$SPORT" --retries 0 >/dev/null 2>&1
ok $? "a second unit gets through too"
wait "$IDLE"
read -r _ closed _ last <<<"$(tail -1 "$T/idle.out")"
is "$closed" 40 "the server closed every idle connection"
python3 -c "import sys; sys.exit(0 if float('$last') <= 7.5 else 1)"
ok $? "the last within the handshake deadline of 5 s (after ${last} s)"
grep -q 'dropped for a newer connection' "$T/serve-hq.err" && grep -q 'handshake took longer than 5 s' "$T/serve-hq.err"
ok $? "the oldest were dropped for newer ones, the rest at the deadline"
kill -0 "$SPID"
ok $? "the server is still running"
c f1 incident add --title "Друге повідомлення" >/dev/null
c f1 sync --link "127.0.0.1:$SPORT" --retries 0 >/dev/null 2>&1
ok $? "and serves the next sync"
stop_server

# ---- session slots: an admitted session holds one, the next caller hears "busy" ----
start_server hq --max-clients 1 --timeout 20
"$HOLD" "$T/f2" "$SPORT" -w "$T/msg1" >"$T/hold.out" 2>&1 & HOLDER=$!; PIDS+=("$HOLDER")
wait_for "$T/hold.out" '^held$'
ok $? "a unit's session is admitted and holds the one session slot"
c f1 sync --link "127.0.0.1:$SPORT" --retries 0 >/dev/null 2>"$T/busy.err"
is $? 74 "the next unit is told to come back later (74)"
grep -q 'busy' "$T/busy.err"
ok $? "because the server is busy: $(head -1 "$T/busy.err")"
kill "$HOLDER"; wait "$HOLDER" 2>/dev/null
c f1 sync --link "127.0.0.1:$SPORT" --retries 3 >/dev/null 2>&1
ok $? "once the session ends, the unit gets through"

# ---- replayed handshakes are never admitted ----
for i in 1 2 3; do
	"$HOLD" -r "$T/msg1" "$SPORT" >"$T/replay$i.out" 2>&1 & PIDS+=($!)
done
for i in 1 2 3; do wait_for "$T/replay$i.out" '^sent$' || break; done
ok $? "three connections replay a recorded handshake message 1"
start=$(date +%s%N)
c f1 sync --link "127.0.0.1:$SPORT" --retries 0 >/dev/null 2>&1
ok $? "the one session slot is still free for a real unit"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 3000 ]
ok $? "at once (${ms} ms)"
all=0
for i in 1 2 3; do
	wait_for "$T/replay$i.out" '^closed after' || all=1
	ms=$(sed -n 's/^closed after \([0-9]*\) ms$/\1/p' "$T/replay$i.out")
	[ -n "$ms" ] && [ "$ms" -le 7500 ] || all=1
done
ok $all "each replay is closed within the handshake deadline"
kill -0 "$SPID"
ok $? "the server is still running"
stop_server
finish
