#!/usr/bin/env bash
# scope.sh - end-to-end: HQ says what each field unit receives (DESIGN.md
# section 3, need-to-know replication): `peer scope NAME --area
# S,W,N,E|OBLAST|--own` and `share ID... --with NAME`, refused at a field
# unit and for an unknown unit, shown by `peer list` and `peer list --json`.
. "$(dirname "$0")/link-lib.sh"
G="${CIMIC_SHARED_DATA:?CIMIC_SHARED_DATA not set}/places/geonames-postal-UA.txt"

scope_of() {   # scope_of STORE PEER: the scope STORE's peer list shows for PEER
	c "$1" peer list --json | json "print([p['scope'] for p in d if p['name']=='$2'][0])"
}
shared_of() {
	c "$1" peer list --json | json "print([p['shared'] for p in d if p['name']=='$2'][0])"
}

mk hq --hq
mk x --hq
for u in a b; do mk "$u"; enrol hq "$u"; done
c hq peer add --name x --hq "$(c x id | head -1)" >/dev/null
ok $? "HQ trusts a second HQ x"

is "$(scope_of hq a)" own "a unit never given a scope receives its own and HQ's entries"
is "$(scope_of hq x)" None "an HQ has no scope: it receives everything"
c hq peer list | grep -E '^a +field' | grep -qE ' own$'
ok $? "peer list shows the scope column"

c hq peer scope a --area 47.5,35.0,48.2,36.4 >"$T/out"
ok $? "HQ gives a an area: $(cat "$T/out")"
is "$(scope_of hq a)" "area 47.5000,35.0000,48.2000,36.4000" "peer list --json shows the area"
c hq peer list | grep -E '^a ' | grep -q "area 47.5000,35.0000,48.2000,36.4000"
ok $? "and so does peer list"
is "$(scope_of hq b)" own "b keeps its own scope"

c hq peer scope a --area 48.2,35.0,47.5,36.4 2>"$T/err"
is $? 65 "an area with south above north is refused (65): $(cat "$T/err")"
c hq peer scope a --area 47.5,35.0,48.2 2>/dev/null
is $? 65 "an area of three numbers is refused (65)"
is "$(scope_of hq a)" "area 47.5000,35.0000,48.2000,36.4000" "a refused scope changes nothing"

c hq peer scope a --area Zaporizhzhia 2>"$T/err"
is $? 66 "an oblast name needs the gazetteer (66): $(cat "$T/err")"
c hq import --format geonames "$G" >/dev/null
ok $? "HQ imports the gazetteer"
c hq peer scope a --area "Запорізька область" >/dev/null
is "$(scope_of hq a)" "oblast Zaporizka" "a Ukrainian oblast name resolves to the gazetteer's admin name"
c hq peer scope a --area own >/dev/null 2>&1
is $? 66 "a word that names no oblast is refused (66)"
for q in Zaporizhzhia ZAPORIZKA "zaporiz'ka oblast" "ЗАПОРІЗЬКА"; do
	c hq peer scope b --area "$q" >/dev/null
	is "$(scope_of hq b)" "oblast Zaporizka" "'$q' means the same oblast"
done
for pair in "Kharkiv:Kharkivska" "Odesa:Odeska" "Cherkasy oblast:Cherkaska" "Київська:Kyivska" \
	"Kyiv:Kyiv" "Chernivtsi:Chernivetska" "Chernihiv:Chernihivska"; do
	c hq peer scope b --area "${pair%%:*}" >/dev/null
	is "$(scope_of hq b)" "oblast ${pair#*:}" "'${pair%%:*}' resolves to ${pair#*:}"
done
c hq peer scope b --area Nowhereland 2>"$T/err"
is $? 66 "an unknown oblast is refused (66): $(cat "$T/err")"
is "$(scope_of hq b)" "oblast Chernihivska" "and the scope stays"
c hq peer scope b --own >/dev/null
is "$(scope_of hq b)" own "--own puts b back to own + HQ's"
c hq peer scope b --own --area 1,2,3,4 2>"$T/err"
is $? 64 "--own and --area together are a usage error (64)"
grep -q "expected 'peer scope NAME" "$T/err"
ok $? "which names the form: $(cat "$T/err")"

c hq peer scope nobody --own 2>"$T/err"
is $? 66 "an unknown unit is refused (66): $(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "^cimic: peer scope: " "$T/err"
ok $? "in one line"
c hq peer scope x --own 2>"$T/err"
is $? 64 "an HQ cannot be given a scope (64): $(cat "$T/err")"
grep -q "'x' is an HQ" "$T/err"
ok $? "and says x is an HQ"
c a peer scope hq --own 2>"$T/err"
is $? 64 "a field unit cannot set scopes (64): $(cat "$T/err")"
grep -q "only HQ" "$T/err"
ok $? "and says so"

# share
INC=$(c hq incident add --title "евакуація" --location 47.8,35.2)
CON=$(c hq contact add --name "Оксана")
c hq share "$INC" "${CON:0:8}" --with b >"$T/out"
ok $? "HQ shares an incident and a contact (by prefix) with b: $(cat "$T/out")"
is "$(shared_of hq b)" 2 "peer list --json counts 2 shared records"
c hq share "$INC" --with b >"$T/out"
grep -q "shared 0 " "$T/out"
ok $? "sharing again adds nothing: $(cat "$T/out")"
is "$(shared_of hq b)" 2 "still 2"
is "$(shared_of hq a)" 0 "nothing is shared with a"
c hq peer list | grep -E '^b ' | grep -q "own, 2 shared"
ok $? "peer list shows the shared records"
c hq share ffffffff --with b 2>"$T/err"
is $? 66 "an unknown record is refused (66): $(cat "$T/err")"
c hq share "$INC" --with nobody 2>"$T/err"
is $? 66 "an unknown unit is refused (66)"
c hq share "$INC" --with x 2>"$T/err"
is $? 64 "nothing is shared with an HQ (64)"
grep -q "'x' is an HQ" "$T/err"
ok $? "and says why: $(cat "$T/err")"
c hq share "$INC" 2>"$T/err"
is $? 64 "share without --with is a usage error (64)"
grep -q "expected 'share ID... --with NAME'" "$T/err"
ok $? "which names the form"
A_INC=$(c a incident add --title "a's")
c a share "$A_INC" --with hq 2>"$T/err"
is $? 64 "a field unit cannot share (64): $(cat "$T/err")"
is "$(shared_of hq b)" 2 "refused shares change nothing"

c hq check >/dev/null
ok $? "HQ's store checks clean"
finish
