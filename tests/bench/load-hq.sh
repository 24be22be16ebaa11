#!/usr/bin/env bash
# load-hq.sh - an HQ store receiving bundles from many units.
#
# UNITS field units (default 50) each record RECORDS incidents (default
# 20,000, imported from CSV through the op log), write a bundle for HQ
# into one mailbox directory; HQ imports them all, writes every unit's
# return bundle with 'cimic sync DIR', and every unit syncs back.
# Prints each phase's time, the bytes on the drive, HQ's store size and
# peak memory, query latencies at that size, and HQ's import against bare
# SQLite INSERTs of the same rows (one table, one transaction) in this run.
# Scale down for a quick look:  UNITS=5 RECORDS=2000 tests/bench/load-hq.sh
set -eu
BIN=${CIMIC_BIN:-$(dirname "$0")/../../build/ui/cimic}
UNITS=${UNITS:-50}
RECORDS=${RECORDS:-20000}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-load-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='load test passphrase Dnipro'
mkdir -p "$T/usb"
now() { date +%s.%N; }
c() { "$BIN" --store "$1" "${@:2}"; }
# peak RSS (KiB) of a command, printed to fd 3; the command's output goes on as usual
rss() {
	python3 -c 'import resource,subprocess,sys
r = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(r)' "$@" 2>"$T/rss" && tail -1 "$T/rss" >&3
}

c "$T/hq" init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
HQID=$(c "$T/hq" id | head -1)

# one CSV per unit, with realistic field lengths
gen_csv() {
	python3 - "$1" "$2" <<'PY'
import random, sys
unit, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(unit)
words = ("водогін пошкоджено відключення електроенергії обстріл евакуація лікарня школа укриття "
         "генератор котельня опалення газопровід міст дорога склад гуманітарна допомога вода "
         "зв’язок пожежа мешканці будинок поранені маломобільні пункт незламності").split()
towns = ["Харків", "Ізюм", "Куп’янськ", "Краматорськ", "Слов’янськ", "Херсон", "Миколаїв",
         "Запоріжжя", "Суми", "Чернігів", "Дніпро", "Покровськ"]
types = ["civilian_harm", "infrastructure_damage", "utility_outage", "evacuation", "shelter",
         "medical", "food_water", "uxo"]
print("title,type,severity,when,location,settlement,description")
for i in range(n):
    t = " ".join(rnd.choice(words) for _ in range(3)) + f" {unit}-{i}"
    d = " ".join(rnd.choice(words) for _ in range(12))
    loc = f"{rnd.uniform(46, 52):.5f},{rnd.uniform(30, 38):.5f}"
    when = f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}T{rnd.randint(0, 23):02d}:00Z"
    print(f'"{t}",{rnd.choice(types)},{rnd.randint(1, 5)},{when},"{loc}",{rnd.choice(towns)},"{d}"')
PY
}

t_units=0
for u in $(seq 1 "$UNITS"); do
	s="$T/u$u"
	c "$s" init --unit "Unit $u" --kdf-ops 1 --kdf-mem 8192 >/dev/null
	c "$s" peer add --name HQ --hq "$HQID" >/dev/null
	c "$T/hq" peer add --name "unit$u" "$(c "$s" id | head -1)" >/dev/null
	gen_csv "u$u" "$RECORDS" >"$T/u$u.csv"
	t0=$(now)
	c "$s" import --format csv --what incidents "$T/u$u.csv" >/dev/null
	c "$s" sync "$T/usb" >/dev/null
	t_units=$(echo "$t_units + $(now) - $t0" | bc)
done
bundles=$(du -sb "$T/usb" | cut -f1)

t0=$(now)
rss_import=$( { rss "$BIN" --store "$T/hq" bundle import "$T"/usb/*.cmb >/dev/null; } 3>&1)
t_import=$(echo "$(now) - $t0" | bc)

# Baseline: the same rows as bare INSERTs into one SQLite table, one transaction.
t0=$(now)
if command -v sqlite3 >/dev/null; then
	{
		echo "CREATE TABLE incident(title, type, severity, occurred, location, settlement, description);"
		echo "BEGIN;"
		for f in "$T"/u*.csv; do echo ".import --csv --skip 1 $f incident"; done
		echo "COMMIT;"
	} | sqlite3 "$T/bare.db"
else
python3 - "$T/bare.db" "$T"/u*.csv <<'PY'
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE incident(title, type, severity, occurred, location, settlement, description)")
with db:
    for path in sys.argv[2:]:
        with open(path, newline="") as f:
            r = csv.reader(f); next(r)
            db.executemany("INSERT INTO incident VALUES (?,?,?,?,?,?,?)", r)
PY
fi
t_bare=$(echo "$(now) - $t0" | bc)
bare_size=$(stat -c %s "$T/bare.db")
rm -f "$T"/u*.csv "$T/bare.db"

# HQ writes every unit's return bundle into an empty mailbox, as 'sync DIR' does.
mkdir -p "$T/back"
t0=$(now)
rss_sync=$( { rss "$BIN" --store "$T/hq" sync "$T/back" >/dev/null; } 3>&1)
t_sync=$(echo "$(now) - $t0" | bc)
back_all=$(du -sb "$T/back" | cut -f1)
nback=$(find "$T/back" -name '*.cmb' | wc -l)

# Every unit syncs back from that drive.
t0=$(now)
for u in $(seq 1 "$UNITS"); do
	c "$T/u$u" sync "$T/back" >/dev/null
done
t_return=$(echo "$(now) - $t0" | bc)
u1size=$(du -sb "$T/u1" | cut -f1)
# What HQ then sends back to one unit: everything the other units recorded.
t0=$(now)
c "$T/hq" bundle create --to unit1 -o "$T/back.cmb" >/dev/null
t_back=$(echo "$(now) - $t0" | bc)
back=$(stat -c %s "$T/back.cmb")

total=$((UNITS * RECORDS))
size=$(du -sb "$T/hq" | cut -f1)
q() { local t0; t0=$(now); c "$T/hq" "$@" >/dev/null; echo "$(now) - $t0" | bc; }
printf 'units: %d, records each: %d, records at HQ: %d\n' "$UNITS" "$RECORDS" "$total"
printf 'units: import CSV + write bundle, total %.1f s (%.0f records/s)\n' "$t_units" \
	"$(echo "$total / $t_units" | bc -l)"
printf 'bundles in the mailbox: %.1f MB (%.0f bytes/record)\n' "$(echo "$bundles / 1048576" | bc -l)" \
	"$(echo "$bundles / $total" | bc -l)"
printf 'HQ: import all bundles: %.1f s (%.0f records/s), peak RSS %.0f MiB\n' "$t_import" \
	"$(echo "$total / $t_import" | bc -l)" "$(echo "$rss_import / 1024" | bc -l)"
printf 'baseline: bare SQLite INSERTs of the same rows: %.1f s (%.0f rows/s), %.0f bytes/row\n' \
	"$t_bare" "$(echo "$total / $t_bare" | bc -l)" "$(echo "$bare_size / $total" | bc -l)"
printf 'HQ import / bare INSERTs: %.1fx\n' "$(echo "$t_import / $t_bare" | bc -l)"
printf 'HQ: sync DIR writes %d return bundles: %.1f s, %.1f MB on the drive, peak RSS %.0f MiB\n' \
	"$nback" "$t_sync" "$(echo "$back_all / 1048576" | bc -l)" "$(echo "$rss_sync / 1024" | bc -l)"
printf 'units: every unit syncs back: %.1f s in all; unit 1 store then %.1f MB\n' "$t_return" \
	"$(echo "$u1size / 1048576" | bc -l)"
printf 'HQ: bundle back to one unit (all other units'"'"' records): %.1f s, %.1f MB\n' "$t_back" \
	"$(echo "$back / 1048576" | bc -l)"
printf 'HQ store size: %.1f MB (%.0f bytes/record)\n' "$(echo "$size / 1048576" | bc -l)" \
	"$(echo "$size / $total" | bc -l)"
printf 'HQ query latency (whole command, including unlock):\n'
printf '  search "водогін Харків":          %.3f s\n' "$(q search --limit 50 водогін Харків)"
printf '  incident list --severity 5 --limit 50: %.3f s\n' "$(q incident list --severity 5 --limit 50)"
printf '  incident show (by id prefix):    %.3f s\n' \
	"$(q incident show "$(c "$T/hq" incident list --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"][:8])')")"
printf '  check (every page and entry):    %.3f s\n' "$(q check)"
echo "RESULT: HQ import of $UNITS bundles x $RECORDS records | $(printf '%.1f' "$t_import") s ($(printf '%.0f' "$(echo "$total / $t_import" | bc -l)") records/s)"
echo "RESULT: HQ import / bare INSERTs | $(printf '%.1f' "$(echo "$t_import / $t_bare" | bc -l)")x"
echo "RESULT: HQ return bundles for $UNITS units | $(printf '%.1f' "$t_sync") s, $(printf '%.1f' "$(echo "$back_all / 1048576" | bc -l)") MB"
echo "RESULT: HQ store size per record | $(printf '%.0f' "$(echo "$size / $total" | bc -l)") bytes"
