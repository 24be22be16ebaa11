#!/usr/bin/env bash
# hostile-text.sh - text from another unit, a vCard or a courier's drive
# never drives the terminal (TAP).  Names, notes, unit names and file
# names full of ESC sequences, C1 controls, carriage returns and bidi
# overrides go through every command that shows them; the raw bytes must
# never reach stdout or stderr, the escaped forms (\e, \x07, \u202e) must,
# and --json must stay valid JSON that decodes to the exact text.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }
c() { local s=$1; shift; "$BIN" --store "$T/$s" "$@"; }
OUT="$T/all.out"   # every byte the commands print, stdout and stderr
# run CMD...: its stdout goes on (and into $OUT), its stderr only into $OUT
run() { local f="$T/run.$n.$RANDOM"; "$@" >"$f" 2>>"$OUT"; local rc=$?; cat "$f" >>"$OUT"; cat "$f"; return $rc; }
# raw FILE: does FILE hold an ESC, a C1 control, a CR or a bidi override as raw bytes?
raw() { python3 - "$1" <<'EOF'
import re, sys
d = open(sys.argv[1], 'rb').read()
bad = re.search(rb'\x1b|\x07|\r|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]', d)
if bad:
    print("# raw %r at byte %d" % (bad.group(0), bad.start()))
sys.exit(0 if bad else 1)
EOF
}

UNIT=$'Група\e]0;pwned\a\e[2J'
NAME=$'Evil\e[2J\e[Hname'
ORG=$'Org\u202eexe.fdp'
NOTES=$'first line\nsecond\e[31m red\r overwritten \xc2\x9b1m'
run c u init --unit "$UNIT" --kdf-ops 1 --kdf-mem 8192 >/dev/null
c hq init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
run c u id >/dev/null
X=$(c u contact add --name "$NAME" --org "$ORG" --phone $'+380\e[5m 67 000' --notes "$NOTES")
ok $? "a contact with ESC, CR, C1 and bidi characters is stored as typed"
c u contact show "$X" --json | NAME="$NAME" ORG="$ORG" NOTES="$NOTES" json '
import os
assert d["name"]==os.environ["NAME"] and d["org"]==os.environ["ORG"] and d["notes"]==os.environ["NOTES"], d'
ok $? "show --json is valid JSON and decodes to the exact text"
c u contact list --json >"$T/list.json"
! raw "$T/list.json"
ok $? "the JSON itself holds no raw control or override (written as \\u escapes)"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Card\033[1;31mRED\033[0m\r\nORG:\033]2;title\007Org\r\nNOTE:bell\007 and \302\233CSI\r\nEND:VCARD\r\n' >"$T/evil.vcf"
run c u import --format vcard "$T/evil.vcf" >/dev/null
c u incident add --title $'Water \u202dpipe\u202c \u2067burst\u2069' --description $'a\tb\x01c' >/dev/null

run c u contact list >"$T/list.txt"
grep -qF 'Evil\e[2J\e[Hname' "$T/list.txt" && grep -qF 'Org\u202eexe.fdp' "$T/list.txt"
ok $? "contact list shows the escapes"
grep -qF 'Card\e[1;31mRED\e[0m' "$T/list.txt"
ok $? "a name from a vCard too"
run c u contact show "$X" >"$T/show.txt"
grep -qF 'second\e[31m red\r overwritten \u009b1m' "$T/show.txt" && grep -qx 'first line' <(sed 's/^Notes *//' "$T/show.txt")
ok $? "show keeps the line break of a note and escapes the rest"
grep -qF 'Група\e]0;pwned\x07\e[2J' "$T/show.txt"
ok $? "the author's unit name is escaped"
run c u incident list >"$T/ilist.txt"
grep -qF 'Water \u202dpipe\u202c \u2067burst\u2069' "$T/ilist.txt"
ok $? "incident list shows bidi overrides and isolates as escapes"
run c u incident show "$(c u incident list --json | json 'print(d[0]["id"])')" >/dev/null
run c u search evil >"$T/search.txt"
grep -qF 'Evil\e[2J\e[Hname' "$T/search.txt"
ok $? "search shows the escapes"
run c u search card >/dev/null

# HQ enrols the unit (its name comes in the identity string), hears from it
# through a drive, and a concurrent edit names the unit in a conflict.
USB="$T/usb"; mkdir -p "$USB"
run c hq peer add --name u "$(c u id | head -1)" >"$T/peeradd.txt"
grep -qF 'unit Група\e]0;pwned\x07\e[2J' "$T/peeradd.txt"
ok $? "peer add shows the unit's name escaped"
c u peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
run c u sync "$USB" >/dev/null
run c hq sync "$USB" >/dev/null
run c u sync "$USB" >/dev/null
c hq contact edit "$X" --phone "+380 1" >/dev/null
c u contact edit "$X" --phone "+380 2" >/dev/null
run c u sync "$USB" >/dev/null
run c hq sync "$USB" >/dev/null
run c hq conflicts list >"$T/conflicts.txt"
grep -qF 'Група\e]0;pwned\x07\e[2J' "$T/conflicts.txt"
ok $? "conflicts list names the unit escaped"
run c hq conflicts show "$(c hq conflicts list --json | json 'print(d[0]["id"])')" >/dev/null
run c hq contact show "$X" >/dev/null
run c hq peer list >/dev/null

# A courier's drive: file names that are escape sequences.
cp "$(ls "$USB"/*.cmb | head -1)" "$USB/"$'evil\e[2J\e]0;x\a.cmb'
printf '\211CMB\r\n\032\n-not-a-real-bundle-----------------------------------------' >"$USB/"$'bad\e[31m\u202e.cmb'
run c hq sync "$USB" >"$T/sync.txt"
grep -qF 'bad\e[31m\u202e.cmb' "$T/sync.txt"
ok $? "sync names a refused file with its name escaped"
run c hq bundle import "$USB/"$'bad\e[31m\u202e.cmb' >/dev/null
run c hq bundle verify "$USB/"$'evil\e[2J\e]0;x\a.cmb' >/dev/null
run c hq bundle inspect "$USB/"$'evil\e[2J\e]0;x\a.cmb' >/dev/null
run c u bundle import --json "$USB/"$'bad\e[31m\u202e.cmb' >"$T/import.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["file"].endswith("bad\x1b[31m\u202e.cmb"), d' "$T/import.json"
ok $? "bundle import --json keeps the exact file name in valid JSON"
run c hq nosuchcommand $'\e[2J' >/dev/null
run c hq contact show $'\e[2Jdeadbeef' >/dev/null

grep -c . "$OUT" | { read -r lines; echo "# $lines lines of output checked"; }
! raw "$OUT"
ok $? "no raw ESC, BEL, CR, C1 control or bidi override on stdout or stderr of any command"
grep -qF '\e' "$OUT" && grep -qF '\u202e' "$OUT" && grep -qF '\x07' "$OUT" && grep -qF '\u009b' "$OUT"
ok $? "their escaped forms are there instead"
echo "1..$n"
[ $fails -eq 0 ]
