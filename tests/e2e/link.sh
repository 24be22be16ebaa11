#!/usr/bin/env bash
# link.sh - cimic serve and sync --link on loopback (TAP): a first sync
# both ways, an idle re-sync, the bytes on the wire for one changed record,
# refusals (unknown node, wrong key, revoked node), a timeout, and clients
# that misbehave or crowd the server without stalling it.
. "$(dirname "$0")/link-lib.sh"

mk hq --hq; mk f1; enrol hq f1
for i in $(seq 20); do
	c f1 incident add --title "Інцидент $i: пошкоджено лінію" --type utility_outage --severity 3 >/dev/null
done
for i in $(seq 10); do c hq contact add --name "Контакт $i" --category ngo >/dev/null; done
session hq f1 --json >"$T/s1.json" 2>"$T/s1.err"
is "$RC/$SRC" 0/0 "first sync over the link (client and server succeed)"
json 'assert d["sent"]==20 and d["acked"]==20 and d["received"]==11 and d["new"]==11, d' <"$T/s1.json"
ok $? "20 entries up, 11 down (roster and contacts), all acknowledged"
same hq f1
ok $? "HQ and the unit hold the same records"
is "$(count f1)" 30 "30 records on the unit"
c f1 check >/dev/null && c hq check >/dev/null
ok $? "both stores check clean (signatures, chains, tables)"

session hq f1 --json >"$T/s2.json"
json 'assert d["sent"]==0 and d["received"]==0, d' <"$T/s2.json"
ok $? "a second sync moves no entry"
idle=$(json 'print(d["bytes_out"]+d["bytes_in"])' <"$T/s2.json")
echo "# idle re-sync: $idle bytes on the wire (handshake, hellos, done)"

# One changed record after a full sync, counted by the client and by a proxy.
I=$(c f1 incident list --json | json 'print(d[0]["id"])')
c f1 incident edit "$I" --status verified --description "Бригада на місці" >/dev/null
start_server hq --once
start_proxy "$T/count.out" -c 0 "$SPORT"
c f1 sync --link "127.0.0.1:$PPORT" --json >"$T/s3.json"
ok $? "sync of one changed record through a counting proxy"
wait_server
wait_for "$T/count.out" '^conn 1 '
wire=$(json 'print(d["bytes_out"]+d["bytes_in"])' <"$T/s3.json")
proxied=$(awk '/^conn 1 /{print $4+$6}' "$T/count.out")
is "$proxied" "$wire" "the proxy counts what the client reports"
[ "$wire" -lt 2048 ]
ok $? "one changed record after a full sync: $wire bytes, handshake included (aim < 2048)"
echo "# one changed record: $wire bytes on the wire ($(json 'print(d["bytes_out"], "up,", d["bytes_in"], "down")' <"$T/s3.json"))"
c hq incident show "$I" --json | json 'assert d["status"]=="verified"'
ok $? "HQ sees the change"
kill "$PPID_" 2>/dev/null

# An unknown node is refused before any entry flows.
mk f2; c f2 peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
c f2 incident add --title "should not arrive" >/dev/null
session hq f2 --retries 0 2>"$T/f2.err" >/dev/null
is "$RC/$SRC" 77/77 "an unknown node is refused (exit 77 on both sides)"
grep -q "not enrolled" "$T/f2.err"
ok $? "and told why"
c hq search --json "arrive" | json 'assert d==[]'
ok $? "nothing of it reached HQ"

# A node that holds a wrong key for HQ: enrolled at another HQ, calling this one.
mk hq2 --hq; mk f3; enrol hq2 f3
session hq f3 --retries 0 2>"$T/f3.err" >/dev/null
is "$RC/$SRC" 77/77 "a wrong key for the server is refused (exit 77 on both sides)"
grep -q "wrong key" "$T/f3.err"
ok $? "and the message says wrong key"

# A revoked node.
c hq peer revoke f1 >/dev/null
c f1 incident add --title "after the capture" >/dev/null
session hq f1 --retries 0 2>"$T/rev.err" >/dev/null
is "$RC/$SRC" 77/77 "a revoked node is refused (exit 77 on both sides)"
grep -q "revoked" "$T/rev.err"
ok $? "and told it is revoked"
c hq search --json "capture" | json 'assert d==[]'
ok $? "its new entry did not reach HQ"

# Timeout: a peer that accepts and never answers.
start_proxy "$T/hole.out" -b 1
start=$(date +%s)
c f3 sync --link "127.0.0.1:$PPORT" --timeout 2 --retries 0 2>"$T/to.err" >/dev/null
is $? 74 "a silent peer times out (exit 74)"
grep -q "nothing heard" "$T/to.err"
ok $? "with a clear message"
[ $(( $(date +%s) - start )) -le 6 ]
ok $? "within the timeout (2 s) and the closing grace"
kill "$PPID_" 2>/dev/null

# Misbehaving clients cannot stall the server.
mk hq3 --hq; mk f4; enrol hq3 f4
c f4 incident add --title "через шум" >/dev/null
start_server hq3 --timeout 3
exec 5<>"/dev/tcp/127.0.0.1/$SPORT"                 # silent
exec 6<>"/dev/tcp/127.0.0.1/$SPORT"; printf 'GET / HTTP/1.0\r\n\r\n' >&6   # not our protocol (reads as a long frame)
exec 7<>"/dev/tcp/127.0.0.1/$SPORT"; printf '\377\377\001\002' >&7         # a frame it never finishes
exec 8<>"/dev/tcp/127.0.0.1/$SPORT"                                      # one byte a second
( for _ in $(seq 8); do printf 'x' >&8 2>/dev/null || break; sleep 1; done ) & PIDS+=($!)
start=$(date +%s%N)
c f4 sync --link "127.0.0.1:$SPORT" --retries 0 --json >"$T/busy.json"
ok $? "a real unit syncs while three bad clients hold connections"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 2000 ]
ok $? "without waiting for them (${ms} ms)"
# All four never finish a handshake: one deadline (the server's timeout, 3 s) drops each,
# the trickling one included, however its bytes keep coming.
for _ in $(seq 200); do
	[ "$(grep -c 'handshake took longer' "$T/serve-hq3.err")" -ge 4 ] && break
	sleep 0.05
done
is "$(grep -c 'handshake took longer' "$T/serve-hq3.err")" 4 "the four bad clients are dropped at the handshake deadline"
exec 5>&- 6>&- 7>&- 8>&-
kill -0 "$SPID"
ok $? "the server is still running"
stop_server
c hq3 search --json "шум" | json 'assert len(d)==1'
ok $? "the unit's entry arrived"

# A connection that never authenticates does not take a session slot, even
# the only one (the busy server and the quota: link-admission.sh).
start_server hq3 --timeout 2 --max-clients 1
exec 5<>"/dev/tcp/127.0.0.1/$SPORT"
c f4 sync --link "127.0.0.1:$SPORT" --retries 0 2>"$T/full.err" >/dev/null
ok $? "with --max-clients 1 and an idle connection open, the unit still gets through"
exec 5>&-
stop_server
finish
