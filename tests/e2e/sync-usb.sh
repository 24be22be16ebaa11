#!/usr/bin/env bash
# sync-usb.sh - end-to-end: an HQ and three field units in separate stores
# exchange bundles through one shared "USB" directory in random orders,
# with bundles duplicated, delayed, lost and retried.  After a final
# full exchange every store must export identical contacts and
# incidents.  Also: repeated sync changes nothing, a bundle for another
# node is refused (77) by import and left alone by sync, damaged copies
# are refused (65) and change nothing, a revoked node's bundle is
# refused (77), and a concurrent edit is one conflict everywhere until
# HQ resolves it.  SEED (environment) picks the random schedule.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
RANDOM=${SEED:-20261124}
USB="$T/usb"; POCKET="$T/pocket"
mkdir -p "$USB" "$POCKET"
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }
c() { local s=$1; shift; "$BIN" --store "$T/$s" "$@"; }

NODES=(hq u1 u2 u3)
UNITS=(u1 u2 u3)
c hq init --unit "ГШ ЦВС" --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
for u in "${UNITS[@]}"; do c "$u" init --unit "Група $u" --kdf-ops 1 --kdf-mem 8192 >/dev/null; done
HQID=$(c hq id | head -1)
for u in "${UNITS[@]}"; do
	c hq peer add --name "$u" "$(c "$u" id | head -1)" >/dev/null || fails=$((fails+1))
	c "$u" peer add --name hq --hq "$HQID" >/dev/null || fails=$((fails+1))
done
is "$(c hq peer list --json | json 'print(len(d))')" 3 "HQ enrolled three units"
c u1 peer add --name x "$HQID" 2>/dev/null
is $? 64 "a field unit must add its HQ with --hq"

# ---- random work and random, faulty carriage ----
declare -a IDS=()
work() {   # a random edit at a random node
	local node=${NODES[RANDOM % 4]} r=$((RANDOM % 6)) id
	if [ ${#IDS[@]} -eq 0 ] || [ $r -le 1 ]; then
		if [ $((RANDOM % 2)) -eq 0 ]; then
			id=$(c "$node" contact add --name "Контакт $RANDOM" --phone "+380 $RANDOM" --category ngo)
		else
			id=$(c "$node" incident add --title "Інцидент $RANDOM" --severity $((RANDOM % 5 + 1)) \
				--type utility_outage --settlement "Ізюм")
		fi
		[ -n "$id" ] && IDS+=("$id")
		return
	fi
	id=${IDS[RANDOM % ${#IDS[@]}]}
	# edit only what this node already holds
	if c "$node" contact show "$id" >/dev/null 2>&1; then
		case $r in
		2|3) c "$node" contact edit "$id" --phone "+380 $RANDOM" ;;
		4) c "$node" contact edit "$id" --notes "примітка $RANDOM" ;;
		5) c "$node" contact rm "$id" ;;
		esac
	elif c "$node" incident show "$id" >/dev/null 2>&1; then
		case $r in
		2|3) c "$node" incident edit "$id" --severity $((RANDOM % 5 + 1)) ;;
		4) c "$node" incident edit "$id" --status verified ;;
		5) c "$node" incident edit "$id" --description "опис $RANDOM" ;;
		esac
	fi
}
fault() {   # duplicate, lose or delay a random bundle on the drive
	local files=("$USB"/*.cmb) f
	[ -e "${files[0]}" ] || return
	f=${files[RANDOM % ${#files[@]}]}
	case $((RANDOM % 4)) in
	0) cp "$f" "$USB/dup-$RANDOM-$(basename "$f")" ;;
	1) rm -f "$f" ;;
	2) mv "$f" "$POCKET/" ;;
	3) [ -n "$(ls "$POCKET")" ] && mv "$POCKET"/* "$USB/" ;;   # delayed ones come back
	esac
}
sync_errors=0
for round in $(seq 1 14); do
	for k in 1 2 3; do work >/dev/null 2>&1; done
	for k in $(seq 1 $((RANDOM % 4 + 1))); do
		node=${NODES[RANDOM % 4]}
		c "$node" sync "$USB" >/dev/null || sync_errors=$((sync_errors+1))
		fault
	done
done
is "$sync_errors" 0 "random syncs with duplicated, lost and delayed bundles raised no error"

# ---- final full exchange ----
mv "$POCKET"/* "$USB/" 2>/dev/null
for u in "${UNITS[@]}"; do c "$u" sync "$USB" >/dev/null; done
c hq sync "$USB" >/dev/null
for u in "${UNITS[@]}"; do c "$u" sync "$USB" >/dev/null; done
for s in "${NODES[@]}"; do
	c "$s" contact list --all --json >"$T/$s.contacts"
	c "$s" incident list --all --json >"$T/$s.incidents"
done
same=0
for s in u1 u2 u3; do
	cmp -s "$T/hq.contacts" "$T/$s.contacts" && cmp -s "$T/hq.incidents" "$T/$s.incidents" || same=1
done
ok $same "after a final full exchange all four stores export identical contacts and incidents"
is "$(json 'print(len(d))' <"$T/hq.contacts" )$(json 'print(len(d))' <"$T/hq.incidents")" \
	"$(c u3 contact list --all --json | json 'print(len(d))')$(c u3 incident list --all --json | json 'print(len(d))')" \
	"same counts"
ok "$([ "$(json 'print(len(d))' <"$T/hq.contacts")" -gt 0 ] && echo 0 || echo 1)" "and there is data to compare"

# ---- running sync twice changes nothing ----
c hq sync "$USB" >/dev/null
before=$(ls -l --time-style=+%s.%N "$USB" | md5sum)
out=$(c hq sync "$USB")
echo "$out" | grep -q ' 0 imported.* 0 written'
ok $? "a second sync at HQ imports and writes nothing"
is "$(ls -l --time-style=+%s.%N "$USB" | md5sum)" "$before" "and leaves the drive as it was"

# ---- bundle for another node ----
for3=$(ls "$USB"/cimic-"$(c u3 id --json | json 'print(d["recipient_id"])')"-*.cmb | head -1)
c u1 contact list --all --json >"$T/u1.before"
c u1 bundle import "$for3" >/dev/null 2>&1
is $? 77 "bundle import refuses a bundle for another node (77)"
c u1 contact list --all --json | cmp -s - "$T/u1.before"
ok $? "and the store is unchanged"
c u1 sync "$USB" >/dev/null
ok "$([ -f "$for3" ] && echo 0 || echo 1)" "sync leaves the other node's bundle in place"
c u1 bundle inspect "$for3" | grep -q 'not addressed to this node'
ok $? "inspect shows only the clear header to a non-recipient"
c u3 bundle inspect --json "$for3" | json 'assert d["for_this_node"] and d["sender"]=="hq"'
ok $? "inspect shows sender and contents to the recipient"
c hq bundle verify "$for3" >/dev/null
ok $? "verify checks a copy without any key"

# ---- damaged copies: refused with 65, store unchanged ----
E=$(c hq contact add --name "Пошкоджений тест")
c hq bundle create --to u2 -o "$T/sample.cmb" >/dev/null 2>&1
size=$(stat -c %s "$T/sample.cmb")
c u2 incident list --all --json >"$T/u2.before"; c u2 contact list --all --json >>"$T/u2.before"
bad=0; tried=0
for k in $(seq 1 60); do
	pos=$(( (RANDOM * 32768 + RANDOM) % size ))
	python3 - "$T/sample.cmb" "$T/flip.cmb" "$pos" "$((RANDOM % 8))" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[int(sys.argv[3])] ^= 1 << int(sys.argv[4])
open(sys.argv[2], 'wb').write(d)
EOF
	c u2 bundle import "$T/flip.cmb" >/dev/null 2>&1; rc=$?
	tried=$((tried+1)); [ $rc -eq 65 ] || bad=$((bad+1))
	head -c $(( (RANDOM * 32768 + RANDOM) % size )) "$T/sample.cmb" >"$T/cut.cmb"
	c u2 bundle import "$T/cut.cmb" >/dev/null 2>&1; rc=$?
	tried=$((tried+1)); [ $rc -eq 65 ] || bad=$((bad+1))
done
is "$bad" 0 "$tried bit flips and truncations through the binary all exit 65"
{ c u2 incident list --all --json; c u2 contact list --all --json; } | cmp -s - "$T/u2.before"
ok $? "u2's store unchanged by them"
c u2 bundle import "$T/sample.cmb" >/dev/null
ok $? "the intact copy imports"
c u2 bundle import --json "$T/sample.cmb" | json 'assert d[0]["new"]==0 and d[0]["already_held"]>=1'
ok $? "re-importing it changes nothing (0 new)"

# ---- concurrent edit: one conflict, same value everywhere, resolution replicates ----
full() { for u in "${UNITS[@]}"; do c "$u" sync "$USB" >/dev/null; done; c hq sync "$USB" >/dev/null
	for u in "${UNITS[@]}"; do c "$u" sync "$USB" >/dev/null; done; }
P=$(c hq contact add --name "Голова громади" --phone "+380 1")
full
c u1 contact edit "$P" --phone "+380 111" >/dev/null
c u2 contact edit "$P" --phone "+380 222" >/dev/null
full
c hq conflicts list --json | P=$P json '
import os
c = [x for x in d if x["record"]==os.environ["P"]]
assert len(c)==1, d
vals = sorted(v["value"] for v in c[0]["values"]); who = sorted(v["author"] for v in c[0]["values"])
assert vals==["+380 111","+380 222"], vals
assert who==["Група u1","Група u2"], who'
ok $? "HQ: one open conflict with both values and both authors"
shown=$(c hq contact show "$P" --json | json 'print(d["phone"])')
same=0
for u in "${UNITS[@]}"; do [ "$(c "$u" contact show "$P" --json | json 'print(d["phone"])')" = "$shown" ] || same=1; done
ok $same "every replica shows the same value meanwhile ($shown)"
CID=$(c hq conflicts list --json | json "print([x['id'] for x in d if x['record']=='$P'][0])")
c hq conflicts resolve "$CID" --keep "+380 333" 2>/dev/null
ok $? "HQ resolves it"
full
open=0
for s in "${NODES[@]}"; do [ "$(c "$s" conflicts list --json | json "print(len([x for x in d if x['record']=='$P']))")" = 0 ] || open=1
	[ "$(c "$s" contact show "$P" --json | json 'print(d["phone"])')" = "+380 333" ] || open=1; done
ok $open "closed on every replica, all showing the kept value"

# ---- revocation ----
c u3 contact add --name "до захоплення" >/dev/null
full
c hq peer revoke u3 >/dev/null
ok $? "HQ revokes u3"
c hq peer list --json | json 'assert [p for p in d if p["name"]=="u3"][0]["revoked"]'
ok $? "peer list shows it revoked"
c u3 contact add --name "після захоплення" >/dev/null
c u3 bundle create --to hq -o "$T/u3.cmb" >/dev/null 2>&1
c hq bundle import "$T/u3.cmb" >/dev/null 2>"$T/err"
is $? 77 "a revoked node's new bundle is refused (77)"
grep -q 'revoked' "$T/err"
ok $? "with the reason"
c hq sync "$USB" >/dev/null
c u1 sync "$USB" >/dev/null
c u1 peer list --json | json 'assert [p for p in d if p["name"]=="u3"][0]["revoked"]'
ok $? "the revocation reached u1 through the roster"
c hq contact list --all --json | json 'assert not [x for x in d if x["name"]=="після захоплення"]'
ok $? "nothing the captured laptop wrote after the cutoff is in HQ's data"

echo "1..$n"
[ $fails -eq 0 ]
