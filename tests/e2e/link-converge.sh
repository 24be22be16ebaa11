#!/usr/bin/env bash
# link-converge.sh - replicas converge over the link (TAP): two nodes with
# a concurrent edit, then HQ and four units syncing at the same time
# against one server, twice; every store ends with the same records,
# conflicts included, compared field by field.
. "$(dirname "$0")/link-lib.sh"

# --- two nodes, both writing, one field edited on both sides ---
mk hq --hq; mk f1; enrol hq f1
C=$(c hq contact add --name "Олена Коваль" --org "ДСНС" --phone "+380 44 000 0001")
session hq f1 >/dev/null 2>&1
is "$RC/$SRC" 0/0 "two nodes: first session"
c hq contact edit "$C" --phone "+380 44 000 0002" >/dev/null
c f1 contact edit "$C" --phone "+380 44 000 0003" >/dev/null
for i in $(seq 5); do c f1 incident add --title "Евакуація $i" --type evacuation >/dev/null; done
for i in $(seq 5); do c hq contact add --name "HQ contact $i" >/dev/null; done
session hq f1 >/dev/null 2>&1
is "$RC/$SRC" 0/0 "two nodes: second session after both wrote"
same hq f1
ok $? "two nodes converge, field by field"
c f1 contact show "$C" --json | json 'assert d["conflicts"]==1, d["conflicts"]'
ok $? "the concurrent phone edit is an open conflict on the unit"
c hq contact show "$C" --json | json 'assert d["conflicts"]==1'
ok $? "and on HQ"

# --- five nodes: HQ and four units, syncing concurrently ---
mk hq5 --hq
for u in u1 u2 u3 u4; do mk $u; enrol hq5 $u; done
for u in u1 u2 u3 u4; do
	for i in $(seq 6); do c $u incident add --title "$u: пошкодження $i" --severity $(( i % 5 + 1 )) >/dev/null; done
	c $u contact add --name "Голова громади ($u)" --category local_authority >/dev/null
done
S=$(c hq5 contact add --name "Shared shelter" --category shelter)
start_server hq5 --max-clients 8
for round in 1 2; do
	pids=()
	for u in u1 u2 u3 u4; do
		c $u sync --link "127.0.0.1:$SPORT" --json >"$T/r$round-$u.json" 2>"$T/r$round-$u.err" &
		pids+=($!)
	done
	st=0
	for p in "${pids[@]}"; do wait "$p" || st=1; done
	ok $st "round $round: four units synced at the same time"
	# round 1 also spreads the shared contact; both units then edit it concurrently
	if [ "$round" = 1 ]; then
		stop_server
		c u1 contact edit "$S" --address "вул. Шкільна, 1" >/dev/null
		c u3 contact edit "$S" --address "вул. Шкільна, 3" >/dev/null
		start_server hq5 --max-clients 8
	fi
done
# u1 and u3 must see each other's concurrent edits: one more pass brings the last ones home
for u in u1 u2 u3 u4; do c $u sync --link "127.0.0.1:$SPORT" >/dev/null 2>&1 || echo "# $u third pass failed"; done
stop_server
grep -c "^session with" "$T/serve-hq5.out" | grep -qx 8
ok $? "the server logged all 8 sessions since its restart, none failed"
[ ! -s "$T/serve-hq5.err" ]
ok $? "and no error"
same hq5 u1 u2 u3 u4
ok $? "all five replicas hold the same records, field by field"
is "$(count hq5)" 29 "29 records everywhere (24 incidents, 5 contacts)"
c u2 contact show "$S" --json | json 'assert d["conflicts"]==1'
ok $? "the concurrent address edit is one open conflict everywhere"
st=0
for s in hq5 u1 u2 u3 u4; do c $s check >/dev/null || { echo "# check failed on $s"; st=1; }; done
ok $st "every store checks clean"
finish
