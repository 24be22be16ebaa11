#!/usr/bin/env bash
# link-cut.sh - a link that drops (TAP).  A proxy resets each connection
# after a random number of bytes (anywhere: handshake, a batch, an ack,
# the close) and the unit simply runs sync again.  For several seeds the
# runs must end in convergence within a bounded number of attempts, and
# acknowledged entries must never travel twice: the unit never receives
# an entry it already holds, and HQ acknowledges each of its entries once.
. "$(dirname "$0")/link-lib.sh"
SEEDS=${LINK_CUT_SEEDS:-6}
MAX_ATTEMPTS=60

# Templates: both sides write; big CSV imports make entries that span frames.
mk hq --hq; mk f1; enrol hq f1
gen_csv() {
	python3 -c "
import random; random.seed($2)
print('name,org,category,phone,notes')
for i in range($1): print(f'$3 {i},Організація {i%17},ngo,+380 44 {i:03d} {i*7%10000:04d},' + 'Примітка ' + 'ї'*random.randint(20,300))"
}
gen_csv 300 1 "Особа" >"$T/f1.csv"; gen_csv 250 2 "Partner" >"$T/hq.csv"
for i in $(seq 120); do c f1 incident add --title "Подія $i" --type other --severity $(( i % 5 + 1 )) >/dev/null; done
c f1 import --format csv --what contacts "$T/f1.csv" >/dev/null
for i in $(seq 60); do c hq contact add --name "HQ $i" --category ngo >/dev/null; done
c hq import --format csv --what contacts "$T/hq.csv" >/dev/null
up=$(( 120 + 1 ))          # unit entries: 120 incidents, one import
down=$(( 1 + 60 + 1 ))     # HQ entries: the roster, 60 contacts, one import

# The size of a whole session, through a counting proxy, on throw-away copies.
cp -a "$T/hq" "$T/hq-c"; cp -a "$T/f1" "$T/f1-c"
start_server hq-c --once
start_proxy "$T/calib.out" -c 0 "$SPORT"
c f1-c sync --link "127.0.0.1:$PPORT" --json >"$T/calib.json"
ok $? "calibration: a whole session without cuts"
wait_server; kill "$PPID_" 2>/dev/null
total=$(json 'print(d["bytes_out"]+d["bytes_in"])' <"$T/calib.json")
echo "# a whole session moves $total bytes ($up entries up, $down down)"

all_attempts=0
for seed in $(seq "$SEEDS"); do
	rm -rf "$T/hq-$seed" "$T/f1-$seed"
	cp -a "$T/hq" "$T/hq-$seed"; cp -a "$T/f1" "$T/f1-$seed"
	start_server "hq-$seed" --timeout 5
	start_proxy "$T/cut-$seed.out" -c "$total" -s "$seed" "$SPORT"
	attempt=0; rc=1; : >"$T/att-$seed.json"
	while [ "$rc" -ne 0 ] && [ "$attempt" -lt "$MAX_ATTEMPTS" ]; do
		attempt=$((attempt + 1))
		c "f1-$seed" sync --link "127.0.0.1:$PPORT" --retries 0 --timeout 5 --json \
			>>"$T/att-$seed.json" 2>>"$T/att-$seed.err"
		rc=$?
	done
	stop_server; kill "$PPID_" 2>/dev/null
	all_attempts=$((all_attempts + attempt))
	cuts=$(grep -c ' cut$' "$T/cut-$seed.out")
	ok "$rc" "seed $seed: converged after $attempt attempts ($cuts connections cut)"
	# Both ends count what they received: the unit in its --json lines, HQ in its log.
	cat "$T/serve-hq-$seed.out" "$T/serve-hq-$seed.err" >"$T/hqlog-$seed"
	python3 - "$T/att-$seed.json" "$T/hqlog-$seed" "$up" "$down" <<'PY'
import json, re, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
log = open(sys.argv[2]).read()
up, down = int(sys.argv[3]), int(sys.argv[4])
hq = [tuple(map(int, m)) for m in re.findall(r"receiv(?:ed|ing) (\d+) \((\d+) new, (\d+) already held\)", log)]
acked = sum(r["acked"] for r in runs); sent = sum(r["sent"] for r in runs)
new = sum(r["new"] for r in runs); already = sum(r["already"] for r in runs)
hq_new = sum(h[1] for h in hq); hq_already = sum(h[2] for h in hq); hq_recv = sum(h[0] for h in hq)
print(f"# up: HQ applied {hq_new}/{up} new, {hq_already} already held; the unit put {sent} entries on "
      f"the wire, {acked} acknowledged ({sent - hq_new} lost in cuts and sent again)")
print(f"# down: the unit applied {new}/{down} new, {already} already held")
assert len(hq) == len(runs), (len(hq), len(runs))
assert already == 0 and hq_already == 0, "an entry already committed came again"
assert new == down and hq_new == up, "not every entry arrived exactly once"
assert acked <= up
PY
	ok $? "seed $seed: every entry applied once, nothing committed travelled twice"
	same "hq-$seed" "f1-$seed"
	ok $? "seed $seed: HQ and the unit hold the same records"
	c "hq-$seed" check >/dev/null && c "f1-$seed" check >/dev/null
	ok $? "seed $seed: both stores check clean"
	# LINK_CUT_KEEP=DIR keeps each seed's records for a closer look.
	[ -n "${LINK_CUT_KEEP:-}" ] && cp "$T/att-$seed.json" "$T/cut-$seed.out" "$T/hqlog-$seed" "$LINK_CUT_KEEP/"
	rm -rf "$T/hq-$seed" "$T/f1-$seed"
done
echo "# $SEEDS seeds, $all_attempts attempts in all"
finish
