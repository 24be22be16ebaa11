#!/usr/bin/env bash
# foreign.sh - end-to-end: data from other systems (DESIGN.md section 8, TAP).
#
# A 2,000-row HXL incident list from another organisation's tracker
# (gen-foreign-hxl.py: its own ids, ids repeated inside the file, English
# descriptions, columns cimic has no field for) imports whole; a re-import
# changes nothing (records, their update times and the op count identical);
# a corrected row updates its record in place and only the changed field;
# the source's id is shown, searchable and exported back; --dry-run writes
# nothing; bad rows are named with their lines; a Ukrainian CSV header
# imports; the shared HXL samples still import.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
SRC=${CIMIC_SRCDIR:?CIMIC_SRCDIR not set}
DATA=${CIMIC_SHARED_DATA:-}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
c() { "$BIN" --store "$T/$1" "${@:2}"; }
ops() { c "$1" check | sed -n 's/.* and \([0-9]*\) ops verified.*/\1/p'; }
listing() { c "$1" incident list --all --json --sort oldest; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

python3 "$SRC/tests/e2e/gen-foreign-hxl.py" 2000 "$T/tracker.csv"
ok $? "the tracker's file is written (2,000 rows)"
c s init --unit "ЦВС Схід" --kdf-ops 1 --kdf-mem 8192 >/dev/null

# --- a dry run first: the report, nothing written
before=$(ops s)
out=$(c s import --format hxl --source tracker --dry-run "$T/tracker.csv"); rc=$?
is "$rc" 0 "dry run exits 0"
is "$(printf '%s\n' "$out" | head -1)" "1921 created, 0 updated, 0 unchanged" "dry run: the records it would create"
printf '%s\n' "$out" | grep -q '^dry run: nothing written$'
ok $? "dry run says nothing was written"
is "$(ops s)" "$before" "dry run: no op written"
is "$(listing s)" "[]" "dry run: no record"

# --- the import
out=$(c s import --format hxl --source tracker "$T/tracker.csv"); rc=$?
is "$rc" 0 "2,000-row HXL imports"
is "$(printf '%s\n' "$out" | head -1)" "1921 created, 0 updated, 0 unchanged" \
	"one record per id (79 ids repeated inside the file)"
printf '%s\n' "$out" | grep -q '^2000 rows read, 79 repeating'
ok $? "the report counts rows read and rows repeating an id"
printf '%s\n' "$out" | grep '^not imported' | grep -q '#x_perpetrator (Perpetrator), #x_confidence (Confidence)'
ok $? "the report names the unmapped columns: $(printf '%s\n' "$out" | grep '^not imported')"
is "$(listing s | json 'print(len(d))')" 1921 "1,921 incidents listed"
listing s | json '
by = {r["source_id"]: r for r in d}
r = by["EVT-000021"]
assert r["source"] == "tracker", r["source"]
assert r["settlement"] == "Izium" and r["oblast"] == "Kharkivska" and r["oblast_code"] == "UA63"
assert r["raion_code"] == "UA6306" and r["org"] and r["sector"] and r["url"].endswith("/21")
assert r["location"] and r["when"] and r["reported"]
assert all(x["source"] == "tracker" and x["source_id"].startswith("EVT-") for x in d)'
ok $? "fields from the HXL tags: source reference, place, P-codes, org, sector, link, time"
# EVT-000006 (line 8) is repeated on line 28 with a death toll one higher: the later row wins
k1=$(sed -n 8p "$T/tracker.csv" | python3 -c 'import csv,sys; r=next(csv.reader(sys.stdin)); assert r[0]=="EVT-000006"; print(r[12])')
listing s | json "r=[x for x in d if x['source_id']=='EVT-000006'][0]; assert r['killed']==$k1+1, r['killed']"
ok $? "an id repeated inside the file is one record, the later row's values"
c s contact list --json | json 'assert len(d)==5 and all(x["source"]=="tracker" for x in d)'
ok $? "the incidents' contact persons are five contacts, from the source"

# --- re-import: nothing changes
snap=$(listing s); before=$(ops s)
out=$(c s import --format hxl --source tracker "$T/tracker.csv")
is "$(printf '%s\n' "$out" | head -1)" "0 created, 0 updated, 1921 unchanged" "re-import: all unchanged"
is "$(ops s)" "$before" "re-import: no op written (check: $before ops)"
[ "$(listing s)" = "$snap" ]
ok $? "re-import: records and their update times identical"

# --- show and search by the source's id
id=$(c s search --json EVT-001234 | json 'print(d[0]["id"])')
ok $? "search by the source's id finds its record"
c s incident show --json "$id" | json 'assert d["source_id"]=="EVT-001234" and d["source"]=="tracker"'
ok $? "the found record is EVT-001234"
c s incident show "$id" | grep -Eq '^Id at the source +EVT-001234$'
ok $? "show prints the id at the source"
c s incident show "$id" | grep -Eq '^Source +tracker$'
ok $? "show prints the source"

# --- a corrected row updates its record in place, only the changed field
python3 - "$T/tracker.csv" "$T/corrected.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
for r in rows[2:]:
    if r[0] == "EVT-000500":
        r[13] = str(int(r[13]) + 7)          # injured, corrected
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\r\n").writerows(rows)
PY
old=$(c s incident show --json "$(c s search --json EVT-000500 | json 'print(d[0]["id"])')")
before=$(ops s)
out=$(c s import --format hxl --source tracker "$T/corrected.csv")
is "$(printf '%s\n' "$out" | head -1)" "0 created, 1 updated, 1920 unchanged" "corrected file: one record updated"
is "$(ops s)" "$((before + 1))" "one op: only the changed field"
new=$(c s incident show --json "$(c s search --json EVT-000500 | json 'print(d[0]["id"])')")
python3 - "$old" "$new" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert a["id"] == b["id"]
assert b["injured"] == a["injured"] + 7
for k in a:
    if k not in ("injured", "updated", "linked"):
        assert a[k] == b[k], k
PY
ok $? "the record keeps its id and every other field"
is "$(listing s | json 'print(len(d))')" 1921 "still 1,921 incidents"

# --- a dry run of a changed file reports, writes nothing
python3 - "$T/corrected.csv" "$T/more.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
new = list(rows[2]); new[0] = "EVT-999999"
rows[3][5] = "Balakliia"
rows.append(new)
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\r\n").writerows(rows)
PY
snap=$(listing s); before=$(ops s)
out=$(c s import --format hxl --source tracker --dry-run "$T/more.csv")
is "$(printf '%s\n' "$out" | head -1)" "1 created, 1 updated, 1920 unchanged" "dry run of a changed file: its report"
is "$(ops s)" "$before" "dry run: no op"
[ "$(listing s)" = "$snap" ]
ok $? "dry run: records unchanged"

# --- exported back: HXL, CSV and JSON carry the source reference
c s export --format hxl --what incidents | sed -n 2p | grep -q '#meta+source,#meta+source+id'
ok $? "HXL export: #meta+source and #meta+source+id"
c s export --format hxl --what incidents | grep -q ',tracker,EVT-000500,'
ok $? "HXL export: the source's ids"
c s export --format csv --what incidents | head -1 | grep -q ',source,source_id,'
ok $? "CSV export: source and source_id columns"
c s export --format json | json 'assert sum(1 for r in d["incidents"] if r["source_id"]=="EVT-000500")==1'
ok $? "JSON export: source_id"
c s export --format hxl --what incidents -o "$T/back.hxl"
c b init --unit B --kdf-ops 1 --kdf-mem 8192 >/dev/null
out=$(c b import --format hxl "$T/back.hxl")
is "$(printf '%s\n' "$out" | head -1)" "1921 created, 0 updated, 0 unchanged" "the export imports into another store"
c b incident list --all --json | json 'assert {r["source"] for r in d}=={"tracker"} and len({r["source_id"] for r in d})==1921'
ok $? "... with the source references of the original"
out=$(c b import --format hxl --source tracker "$T/tracker.csv")
is "$(printf '%s\n' "$out" | head -1)" "0 created, 1 updated, 1920 unchanged" \
	"... where the tracker's own file then meets the same records (one differs: the corrected row)"

# --- another source's ids are other records
out=$(c s import --format hxl --source other-ngo "$T/tracker.csv")
is "$(printf '%s\n' "$out" | head -1)" "1921 created, 0 updated, 0 unchanged" "the same ids from another source are other records"
c d init --unit D --kdf-ops 1 --kdf-mem 8192 >/dev/null
c d import --format hxl "$T/tracker.csv" >/dev/null
c d incident show --json "$(c d search --json EVT-000007 | json 'print(d[0]["id"])')" | json 'assert d["source"]=="tracker.csv", d["source"]'
ok $? "without --source, the source is the file's name"

# --- bad rows: line and reason; all or nothing; --skip-bad
python3 - "$T/tracker.csv" "$T/bad.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[:12]
rows[4][1] = "31.02.2026"              # line 5: no such day
rows[8][10] = "91.5"                   # line 9: latitude out of range
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\r\n").writerows(rows)
PY
c e init --unit E --kdf-ops 1 --kdf-mem 8192 >/dev/null
out=$(c e import --format hxl "$T/bad.csv" 2>"$T/err"); rc=$?
is "$rc" 65 "bad rows: exit 65"
is "$(wc -l <"$T/err")" 1 "bad rows: one error line: $(cat "$T/err")"
printf '%s\n' "$out" | grep -q '^refused line 5: when: no such date or time: 31.02.2026$'
ok $? "bad date: its line and reason"
printf '%s\n' "$out" | grep -q '^refused line 9: location'
ok $? "bad coordinate: its line and reason"
is "$(ops e)" 0 "all or nothing: nothing written"
out=$(c e import --format hxl --skip-bad "$T/bad.csv"); rc=$?
is "$rc" 0 "--skip-bad: exit 0"
is "$(printf '%s\n' "$out" | head -1)" "8 created, 0 updated, 0 unchanged" "--skip-bad: the other rows imported"
printf '%s\n' "$out" | grep -q '^skipped line 5:' && printf '%s\n' "$out" | grep -q '^skipped line 9:'
ok $? "--skip-bad lists what it skipped"

# --- unmapped columns kept on request
c k init --unit K --kdf-ops 1 --kdf-mem 8192 >/dev/null
head -12 "$T/tracker.csv" >"$T/few.csv"
out=$(c k import --format hxl --keep-unmapped "$T/few.csv")
printf '%s\n' "$out" | grep -q '^kept in the text, no field in cimic: #x_perpetrator'
ok $? "--keep-unmapped: the report says the columns were kept"
c k incident list --json | json 'assert all("\nPerpetrator: " in r["description"] and "\nConfidence: " in r["description"] for r in d), d[0]["description"]'
ok $? "--keep-unmapped: each unmapped cell is a line of the description"

# --- the source reference travels in bundles; two units importing one file make one record each
c hq init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
HQID=$(c hq id | head -1)
mkdir -p "$T/usb"
for u in f1 f2; do
	c "$u" init --unit "Unit $u" --kdf-ops 1 --kdf-mem 8192 >/dev/null
	c "$u" peer add --name hq --hq "$HQID" >/dev/null
	c hq peer add --name "$u" "$(c "$u" id | head -1)" >/dev/null
	c "$u" import --format hxl --source tracker "$T/few.csv" >/dev/null
	c "$u" sync "$T/usb" >/dev/null
done
c hq sync "$T/usb" >/dev/null
c hq incident list --all --json | json '
assert len(d) == 10, len(d)
assert sorted(r["source_id"] for r in d) == ["EVT-%06d" % i for i in range(1, 11)]
assert all(r["source"] == "tracker" for r in d)'
ok $? "HQ gets the source references in the bundles, one record per id from two units"

# --- a CSV without hashtags, headed in Ukrainian
printf '%s\n' "Ідентифікатор,Дата,Тип події,Опис,Населений пункт,Широта,Довгота,Загинуло,Поранено,Організація" \
	"UA-1,01.12.2026 22:10,Обстріл,\"Пошкоджено водогін; без води 3 тис. мешканців\",Ізюм,49.2117,37.2569,1,3,ГО «Схід»" \
	"UA-2,2 грудня 2026,евакуація,Евакуація маломобільних,Куп’янськ,\"49,7106\",\"37,6156\",0,0,ДСНС" >"$T/uk.csv"
c u init --unit U --kdf-ops 1 --kdf-mem 8192 >/dev/null
out=$(c u import --format csv "$T/uk.csv"); rc=$?
is "$rc" 0 "a Ukrainian-headed CSV imports"
is "$(printf '%s\n' "$out" | head -1)" "2 created, 0 updated, 0 unchanged" "both rows"
c u incident list --json --sort oldest | json '
a, b = d
assert a["source_id"] == "UA-1" and a["when"] == "2026-12-01T20:10:00Z", a["when"]
assert a["killed"] == 1 and a["injured"] == 3 and a["settlement"] == "Ізюм" and a["org"] == "ГО «Схід»"
assert a["description"].startswith("Пошкоджено водогін") and "Тип події: Обстріл" in a["description"]
assert abs(a["lat"] - 49.2117) < 1e-6 and abs(b["lat"] - 49.7106) < 1e-6
assert b["type"] == "evacuation" and b["when"] == "2026-12-01T22:00:00Z"'
ok $? "Ukrainian headers: date as Kyiv time, counts, place, type word, decimal comma"

# --- the shared HXL samples still import
if [ -n "$DATA" ] && [ -d "$DATA/hxl" ]; then
	for f in input-valid.csv input-fuzzy.csv input-simple.csv append-source-1.csv \
		input-multiple-headers.csv; do
		c "x-$f" init --unit X --kdf-ops 1 --kdf-mem 8192 >/dev/null
		c "x-$f" import --format hxl "$DATA/hxl/$f" >"$T/out" 2>&1
		ok $? "shared sample $f imports: $(head -1 "$T/out")"
		is "$(c "x-$f" import --format hxl "$DATA/hxl/$f" | head -1 | sed 's/,.*//')" "0 created" \
			"shared sample $f: a re-import creates nothing"
	done
else
	echo "ok $((n+1)) - # SKIP CIMIC_SHARED_DATA not set"; n=$((n+1))
fi

echo "1..$n"
[ "$fails" -eq 0 ]
