#!/usr/bin/env bash
# cli.sh - end-to-end: a new user's session with the real binary (TAP).
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
S=(--store "$T/s")
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

"$BIN" "${S[@]}" init --unit "Група ЦВС «Схід»" --kdf-ops 1 --kdf-mem 8192 >/dev/null
ok $? "init creates a store"
is "$(stat -c %a "$T/s/keyfile")" 600 "keyfile is 0600"
"$BIN" "${S[@]}" init --unit X --kdf-ops 1 --kdf-mem 8192 2>/dev/null
is $? 73 "init refuses an existing store"
"$BIN" "${S[@]}" id | grep -q '^cimic1:'
ok $? "id prints an identity string"
"$BIN" "${S[@]}" id --json | json 'assert d["unit"]=="Група ЦВС «Схід»" and len(d["fingerprint"])==19'
ok $? "id --json parses, unit in Cyrillic"

C1=$("$BIN" "${S[@]}" contact add --name "Наталія Шевчук" --org "КП «Харківводоканал»" \
	--category utility --phone "+380 57 731 4401" --settlement "Харків" --location "49.9808,36.2527")
ok $? "contact add"
is "${#C1}" 32 "add prints the new id"
C2=$("$BIN" "${S[@]}" contact add --name "Petra Lindqvist" --org "ICRC" --category ngo)
I1=$("$BIN" "${S[@]}" incident add --title "Пошкоджено водогін: обов’язкове відключення" \
	--type infrastructure_damage --severity 4 --when 241330ZNOV26 \
	--location "37U DQ 12345 67890" --settlement "Ізюм" --injured 2 --reliability B --credibility 2 \
	--contact "${C1:0:8}")
ok $? "incident add with DTG, MGRS, admiralty code and a linked contact"
"$BIN" "${S[@]}" incident show "$I1" --json | json '
assert d["when"]=="2026-11-24T13:30:00Z", d["when"]
assert d["when_dtg"]=="241330ZNOV26"
assert abs(d["lat"]-49.3574)<0.001 and abs(d["lon"]-37.7929)<0.001
assert d["linked"][0]["name"]=="Наталія Шевчук"
assert d["reliability"]=="B" and d["credibility"]=="2" and d["injured"]==2'
ok $? "incident show --json: time, MGRS converted, link, admiralty"
"$BIN" "${S[@]}" incident show "${I1:0:6}" | grep -q "37U DQ 1234 6789"
ok $? "show prints the location as MGRS too"

"$BIN" "${S[@]}" incident list --json | json 'assert len(d)==1'
ok $? "incident list --json"
"$BIN" "${S[@]}" contact list | grep -q "Наталія Шевчук"
ok $? "contact list shows Cyrillic"

# search: Ukrainian, English, other apostrophe, case
for q in "водогін" "ВОДОГІН" "обов'язкове" "обовʼязкове" "водо" "Lindqvist" "icrc"; do
	"$BIN" "${S[@]}" search --json "$q" | json 'assert len(d)>=1'
	ok $? "search finds '$q'"
done
"$BIN" "${S[@]}" search --json "nonexistentword" | json 'assert d==[]'
ok $? "search for a missing word gives an empty array"

# edits, archive, restore
"$BIN" "${S[@]}" incident edit "$I1" --status verified --severity 5
ok $? "edit"
"$BIN" "${S[@]}" incident show "$I1" --json | json 'assert d["status"]=="verified" and d["severity"]==5'
ok $? "edit is visible"
"$BIN" "${S[@]}" incident rm "$I1" 2>/dev/null
"$BIN" "${S[@]}" incident list --json | json 'assert d==[]'
ok $? "archived incident leaves the list"
"$BIN" "${S[@]}" incident list --all --json | json 'assert len(d)==1 and d[0]["archived"]'
ok $? "--all shows it archived"
"$BIN" "${S[@]}" incident rm --restore "$I1" 2>/dev/null
"$BIN" "${S[@]}" incident list --json | json 'assert len(d)==1'
ok $? "restore undoes the archive"
"$BIN" "${S[@]}" link add "$I1" "$C2"
"$BIN" "${S[@]}" incident show "$I1" --json | json 'assert len(d["linked"])==2'
ok $? "link add"
"$BIN" "${S[@]}" link rm "$I1" "$C2"
"$BIN" "${S[@]}" incident show "$I1" --json | json 'assert len(d["linked"])==1'
ok $? "link rm"

# bad arguments and values: one line, 64/65, nothing changed
before=$("$BIN" "${S[@]}" incident list --all --json; "$BIN" "${S[@]}" contact list --all --json)
check_bad() {
	local want=$1; shift
	local err; err=$("$BIN" "${S[@]}" "$@" 2>&1 >/dev/null); local rc=$?
	is "$rc" "$want" "exit $want for: $*"
	is "$(printf '%s\n' "$err" | grep -c '^cimic: ')" 1 "one error line for: $*"
}
check_bad 65 incident add --title X --severity 7
check_bad 65 incident add --title X --type explosion
check_bad 65 incident add --title X --location "99U ZZ 1 2"
check_bad 65 incident add --title X --when "31.02.2026"
check_bad 65 incident add --title X --reliability G
check_bad 65 incident edit "$I1" --killed -1
check_bad 64 incident add --severity 3
check_bad 64 incident add --title X --bogus 1
check_bad 64 contact frobnicate
check_bad 66 incident show ffffffff
check_bad 64 incident show zz
after=$("$BIN" "${S[@]}" incident list --all --json; "$BIN" "${S[@]}" contact list --all --json)
is "$after" "$before" "bad input changed nothing"

# wrong passphrase, check, passwd, wipe
CIMIC_PASSPHRASE=wrong "$BIN" "${S[@]}" incident list >/dev/null 2>&1
is $? 77 "wrong passphrase: exit 77"
"$BIN" "${S[@]}" check >/dev/null
ok $? "check passes"
# weak passphrases are refused at init and passwd, with the reason and a hint
for weak in 1 password sunflower 'Kharkiv2024'; do
	CIMIC_PASSPHRASE="$weak" "$BIN" --store "$T/weak" init --unit W --kdf-ops 1 --kdf-mem 8192 \
		>/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 64 ] && grep -q "too weak: .*; use a few unrelated words" "$T/err" && [ ! -e "$T/weak/keyfile" ]
	ok $? "init refuses the weak passphrase '$weak' (exit $rc: $(cat "$T/err"))"
done
printf 'password1\n' > "$T/weakpass"
"$BIN" "${S[@]}" passwd --new-passphrase-file "$T/weakpass" 2>"$T/err"
is $? 64 "passwd refuses a weak new passphrase"
grep -q "too weak" "$T/err"; ok $? "and says why: $(cat "$T/err")"
"$BIN" "${S[@]}" incident list >/dev/null 2>&1
ok $? "the old passphrase still opens the store"
printf 'new river lantern pass\n' > "$T/newpass"
"$BIN" "${S[@]}" passwd --new-passphrase-file "$T/newpass" 2>/dev/null
ok $? "passwd"
"$BIN" "${S[@]}" incident list >/dev/null 2>&1
is $? 77 "old passphrase refused after passwd"
CIMIC_PASSPHRASE='new river lantern pass' "$BIN" "${S[@]}" incident list --json | json 'assert len(d)==1'
ok $? "new passphrase opens the store"
"$BIN" "${S[@]}" wipe 2>/dev/null
is $? 64 "wipe wants --yes"
cp "$T/s/keyfile" "$T/s/keyfile.tmp-1234abcd"   # left by an interrupted passwd
t0=$(date +%s%N)
"$BIN" "${S[@]}" wipe --yes >/dev/null
ok $? "wipe --yes"
t1=$(date +%s%N)
[ $(( (t1 - t0) / 1000000 )) -lt 1000 ]; ok $? "wipe took $(( (t1 - t0) / 1000000 )) ms (< 1 s)"
[ -z "$(ls "$T/s" | grep '^keyfile')" ]; ok $? "wipe leaves no keyfile copy (keyfile.tmp-* included)"
CIMIC_PASSPHRASE='new river lantern pass' "$BIN" "${S[@]}" incident list >/dev/null 2>&1
is $? 66 "after wipe the store cannot be opened"

# a settlement known to the gazetteer gives the location
G="$CIMIC_SHARED_DATA/places/geonames-postal-UA.txt"
if [ -f "$G" ]; then
	"$BIN" --store "$T/g" init --unit G --kdf-ops 1 --kdf-mem 8192 >/dev/null
	"$BIN" --store "$T/g" import --format geonames "$G" >/dev/null
	GI=$("$BIN" --store "$T/g" incident add --title "Без світла" --settlement "Слов’янськ" 2>/dev/null)
	"$BIN" --store "$T/g" incident show "$GI" --json | json 'assert abs(d["lat"]-48.88)<0.05 and abs(d["lon"]-37.52)<0.05'
	ok $? "--settlement fills the location from the gazetteer (other apostrophe)"
else
	echo "ok $((n+=1)) # SKIP no shared GeoNames data"
fi

# demo store
D=$(env -u CIMIC_PASSPHRASE "$BIN" --store "$T/demo" demo 2>/dev/null)
is "$D" "$T/demo" "demo prints its directory"
CIMIC_PASSPHRASE=demo "$BIN" --store "$T/demo" incident list --json | json 'assert len(d)>=15'
ok $? "demo store holds incidents"
CIMIC_PASSPHRASE=demo "$BIN" --store "$T/demo" search --json "Херсон" | json 'assert len(d)>=2'
ok $? "demo store is searchable in Ukrainian"

echo "1..$n"
[ "$fails" -eq 0 ]
