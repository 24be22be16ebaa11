#!/usr/bin/env bash
# load-hq.sh - an HQ store receiving bundles from many units.
#
# UNITS field units (default 50) each record RECORDS incidents (default
# 20,000, imported from CSV through the op log), write a bundle for HQ
# into one mailbox directory; HQ imports them all with 'cimic sync DIR'.
# Prints the import time, the store size and query latencies at that size.
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
	rm -f "$T/u$u.csv"
done
bundles=$(du -sb "$T/usb" | cut -f1)

t0=$(now)
c "$T/hq" bundle import "$T"/usb/*.cmb >/dev/null
t_import=$(echo "$(now) - $t0" | bc)
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
printf 'HQ: import all bundles: %.1f s (%.0f records/s)\n' "$t_import" "$(echo "$total / $t_import" | bc -l)"
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
echo "RESULT: HQ store size per record | $(printf '%.0f' "$(echo "$size / $total" | bc -l)") bytes"
