#!/usr/bin/env bash
# authority.sh - end-to-end: a captured or rogue laptop cannot take over,
# cancel a revocation, or erase HQ's data (DESIGN.md section 4).
# Each attack is played as an attacker would, through the real binary
# and, where the program would never write such entries, through
# tests/e2e/rogue.c (a modified field client):
#   1. a contact op on a revoked node's roster row and field, naming HQ's
#      revocation op as its pred, must not cancel the revocation;
#   2. a node enrolled as a unit that says it is an HQ stays a unit;
#   3. an old copy of a revoked laptop cannot slip a forged history in,
#      directly or relayed, and a fork is an alarm;
#   4. archives and merges of others' records by a unit wait for HQ, and
#      `peer revert` undoes what a captured node did.
. "$(dirname "$0")/link-lib.sh"
ROGUE=${CIMIC_ROGUE:?CIMIC_ROGUE not set}

# send FROM TO: a bundle from FROM imported at TO; sets RC and leaves the error in $T/err
send() {
	c "$1" bundle create --to "$2" -o "$T/$1-$2.cmb" >/dev/null 2>"$T/err" || { RC=$?; echo "# create: $(cat "$T/err")"; return; }
	c "$2" bundle import "$T/$1-$2.cmb" >/dev/null 2>"$T/err"; RC=$?; [ -n "${VERBOSE:-}" ] && cat "$T/err" >&2
}
revoked_at() {   # revoked_at STORE PEER: the revoked flag STORE shows for PEER
	c "$1" peer list --json | json "print([p['revoked'] for p in d if p['name']=='$2'][0])"
}

# ---- attack 1: a pred across tables cancels a revocation ----
mk hq --hq
for u in a b c1; do mk "$u"; enrol hq "$u"; done
for u in a b c1; do send hq "$u"; done
B_ID=$(c b incident add --title "до захоплення")
send b hq
ok $RC "HQ holds b's work before the capture"
c hq peer revoke b >/dev/null
ok $? "HQ revokes b"
send hq a
ok $RC "a learns of the revocation"
# a and b may hand bundles to c1 directly (both are on HQ's roster there)
c a peer add --name c1 "$(c c1 id | head -1)" >/dev/null &&
	c b peer add --name c1 "$(c c1 id | head -1)" >/dev/null
ok $? "a and b know c1"
"$ROGUE" pred "$T/a" b >/dev/null
ok $? "the rogue client writes a contact op naming HQ's revocation op as pred"
"$ROGUE" withhold "$T/a" c1 hq
ok $? "a keeps HQ's revocation back from c1"
send a c1
ok $RC "c1 takes a's bundle before it has the revocation (the pred is unknown there)"
send hq c1
ok $RC "then c1 gets HQ's revocation"
is "$(revoked_at c1 b)" True "the revocation holds at c1 whatever arrived before it"
c b incident add --title "після захоплення" >/dev/null
send b c1
is "$RC" 77 "c1 refuses the revoked node's bundle (77)"
send a hq
is "$RC" 65 "HQ refuses the bundle carrying the cross-table pred whole (65)"
grep -q "predecessor of another table" "$T/err"
ok $? "and says why: $(cat "$T/err")"
"$ROGUE" pred "$T/a" b 1 >/dev/null
send a c1
is "$RC" 65 "c1, holding the revocation, refuses the next such entry (65)"
start_server hq --once
c a sync --link "127.0.0.1:$SPORT" --retries 0 >/dev/null 2>"$T/link.err"; RC=$?
wait_server >/dev/null
[ "$RC" -ne 0 ] && grep -q "predecessor of another table" "$T/link.err" "$T/serve-hq.err"
ok $? "the link refuses it too: $(head -c 200 "$T/link.err")"
is "$(revoked_at hq b)" True "the revocation holds at HQ"
send b hq
is "$RC" 77 "HQ refuses b's bundle (77)"
c hq check >/dev/null && c c1 check >/dev/null
ok $? "HQ and c1 check clean"

# ---- attack 2: a self-declared HQ takes over ----
mk x --hq
c hq peer add --name x "$(c x id | head -1)" >/dev/null
ok $? "HQ enrols x, whose identity says hq, without --hq"
is "$(c hq peer list --json | json "print([p['role'] for p in d if p['name']=='x'][0])")" field \
	"HQ's roster gives x the role HQ gave: field"
c x peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
send hq x
ok $RC "x takes HQ's bundle"
send hq c1
is "$(c c1 peer list --json | json "print([p['role'] for p in d if p['name']=='x'][0])")" field \
	"the units see x as a field unit"
mk fake
c x peer add --name fake "$(c fake id | head -1)" >/dev/null
ok $? "x enrols a made-up unit in its own log"
send x hq
is "$RC" 77 "HQ refuses x's roster change (77)"
c hq peer list --json | json "assert not [p for p in d if p['name']=='fake']"
ok $? "the made-up unit is not enrolled at HQ"
c x peer add --name c1 "$(c c1 id | head -1)" >/dev/null && c x peer revoke hq >/dev/null
ok $? "x revokes the real HQ in its own log"
"$ROGUE" withhold "$T/x" c1 hq   # x's own entries only
X_FP=$(c x id | sed -n 's/^[^:]*: *\([0-9A-F-]*\)$/\1/p' | tail -1)
send x c1
is "$RC" 77 "c1 refuses x's roster changes (77)"
grep -q "by $X_FP changes the roster, which only HQ may" "$T/err"
ok $? "and says only HQ may change the roster: $(cat "$T/err")"
is "$(revoked_at c1 hq)" False "the real HQ is not revoked at c1"
c c1 peer list --json | json "assert not [p for p in d if p['name']=='fake']"
ok $? "the made-up unit is enrolled nowhere"
c hq incident add --title "від штабу" >/dev/null
send hq c1
is "$RC" 0 "c1 still takes the real HQ's bundles"

# ---- attack 3: forged history of a revoked laptop, relayed; forks ----
mk v; mk w; enrol hq v; enrol hq w
send hq v; send hq w
c v incident add --title "справжній 1" >/dev/null
cp -a "$T/v" "$T/v-old"   # the copy an attacker restores later
c v incident add --title "справжній 2" >/dev/null
c v incident add --title "справжній 3" >/dev/null
send v hq
ok $RC "HQ holds v's real work"
HELD=$(c hq peer list --json | json "print([p['held_seq'] for p in d if p['name']=='v'][0])")
c hq peer revoke v >/dev/null
is "$(c hq peer list --json | json "print([p['revoked_after_seq'] for p in d if p['name']=='v'][0])")" "$HELD" \
	"the revocation pins what HQ held (held_seq $HELD)"
c v-old incident add --title "підроблений" >/dev/null
c v-old peer add --name w "$(c w id | head -1)" >/dev/null
send v-old w
ok $RC "w, not yet told of the revocation, takes the old copy's forged entry"
is "$(c w search --json підроблений | json 'print(len(d))')" 1 "w shows it for now"
send w hq
ok $RC "w relays it to HQ"
is "$(c hq search --json підроблений | json 'print(len(d))')" 0 "HQ does not show the forged entry"
is "$(c hq incident list --json | json "print(sum(1 for r in d if r['title'].startswith('справжній')))")" 3 \
	"HQ keeps v's real entries up to the cutoff"
is "$(c hq peer list --json | json "print([p['fork'] for p in d if p['name']=='v'][0])")" True \
	"HQ raises the fork alarm for v (peer list --json fork: true)"
c hq peer list 2>"$T/alarm" | grep v | grep -q FORK && grep -q "alarm" "$T/alarm"
ok $? "and in peer list"
send hq w
ok $RC "w learns of the revocation"
is "$(c w search --json підроблений | json 'print(len(d))')" 0 "w takes the forged entry back"
send w hq; send hq w
is "$(c w incident list --json | json "print(sum(1 for r in d if r['title'].startswith('справжній')))")" 3 \
	"and, after one more exchange, shows v's pinned chain"
is "$(c w peer list --json | json "print([p['held_seq'] for p in d if p['name']=='v'][0])")" "$HELD" \
	"w holds v's log up to the cutoff"
c w check >/dev/null && c hq check >/dev/null
ok $? "w and HQ check clean"

# a fork of a node that is not revoked: both branches are kept, the node is frozen before it
mk z; enrol hq z; send hq z
c z incident add --title "z-1" >/dev/null
send z hq
cp -a "$T/z" "$T/z-old"
c z incident add --title "z-2a" >/dev/null
c z-old incident add --title "z-2b" >/dev/null
send z hq; ok $RC "HQ takes z's next entry"
send z-old hq; ok $RC "HQ takes the old copy's entry for the same seq"
is "$(c hq search --json z-2a | json 'print(len(d))')/$(c hq search --json z-2b | json 'print(len(d))')/$(c hq search --json z-1 | json 'print(len(d))')" \
	0/0/1 "neither branch shows; what came before the fork stays"
c hq peer list --json | json "p=[p for p in d if p['name']=='z'][0]; assert p['fork'] and p['held_seq'] < $(c z peer list --json >/dev/null; echo 99), p"
ok $? "z is marked fork: true and frozen"
c z incident add --title "z-3a" >/dev/null
send z hq
is "$(c hq search --json z-3a | json 'print(len(d))')" 0 "later entries of a frozen node wait too"

# ---- attack 4: a stolen laptop erases HQ's view; revert undoes it ----
mk s; mk s2; enrol hq s; enrol hq s2
K=$(c hq contact add --name "Голова громади" --phone "+380 50 111 2233")
I=$(c hq incident add --title "Пошкоджено водогін" --severity 3)
L=$(c hq contact add --name "Дублікат голови")
send hq s; send hq s2
send s hq
HELD=$(c hq peer list --json | json "print([p['held_seq'] for p in d if p['name']=='s'][0])")
OWN=$(c s contact add --name "Власний запис")
c s contact rm "$OWN" >/dev/null
c s contact rm "$K" >/dev/null && c s incident rm "$I" >/dev/null &&
	c s contact merge "$L" "$K" >/dev/null 2>&1
c s contact edit "$K" --phone "000" --notes "стерто" >/dev/null
ok $? "the stolen laptop archives and merges HQ's records and overwrites a phone"
is "$(c s contact show "$K" --json | json 'print(d["archived"])')" False \
	"even on that laptop the archive of HQ's record waits for HQ"
send s hq
ok $RC "HQ takes the bundle"
is "$(c hq contact show "$K" --json | json 'print(d["archived"])')/$(c hq incident show "$I" --json | json 'print(d["archived"])')" \
	False/False "HQ's records are not archived at HQ"
is "$(c hq contact list --json --archived | json "print(sum(1 for r in d if r['id']=='$OWN'))")" 1 \
	"a unit archives its own record at once"
N=$(c hq review list --json | json 'print(len(d))')
[ "$N" -ge 2 ]
ok $? "HQ's review list holds the waiting archives ($N)"
OPI=$(c hq review list --json | json "print([r['op'] for r in d if r['id']=='$I'][0])")
OPK=$(c hq review list --json | json "print([r['op'] for r in d if r['id']=='$K' and r['field']=='archived'][0])")
c hq review accept "${OPI:0:8}" >/dev/null && c hq review reject "${OPK:0:8}" >/dev/null
ok $? "HQ accepts one and rejects the other"
is "$(c hq contact show "$K" --json | json 'print(d["archived"])')/$(c hq incident show "$I" --json | json 'print(d["archived"])')" \
	False/True "accepted takes effect, rejected does not"
c s2 review accept "${OPK:0:8}" >/dev/null 2>&1
is $? 64 "a field unit cannot accept"
c hq review accept zzzz >/dev/null 2>&1
is $? 64 "a malformed op id is a usage error"
c hq review accept 0000 >/dev/null 2>&1
is $? 66 "an op id that waits for nothing is refused (66)"
c hq peer revoke s >/dev/null
c hq peer revert s --after "$HELD" >"$T/revert.out"
ok $? "HQ reverts what s did after seq $HELD: $(cat "$T/revert.out")"
is "$(c hq contact show "$K" --json | json 'print(d["phone"], d.get("notes"))')" "+380 50 111 2233 None" \
	"HQ shows the phone as it was before, and no note"
is "$(c hq incident show "$I" --json | json 'print(d["archived"])')" True "HQ's own decision since stays"
send hq s2
is "$(c s2 contact show "$K" --json | json 'print(d["phone"], d["archived"])')/$(c s2 incident show "$I" --json | json 'print(d["archived"])')" \
	"+380 50 111 2233 False/True" "the revert and the decisions reach the units"
c hq peer revert s --after x >/dev/null 2>&1
is $? 64 "a bad --after is a usage error"
c hq check >/dev/null && c s2 check >/dev/null
ok $? "HQ and s2 check clean"

finish
