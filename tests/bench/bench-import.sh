#!/usr/bin/env bash
# bench-import.sh - another organisation's HXL incident list through `cimic import`.
#
# BENCH_ROWS rows (default 100,000; tests/e2e/gen-foreign-hxl.py: the
# source's own ids, 4% of them repeated, 24 columns) into an empty store:
# rows per second and peak memory (ru_maxrss) of the import, the same at a
# tenth of the rows (memory stays flat: the file streams), and the
# re-import of the unchanged file (no op may be written).
# Scale down for a quick look:  BENCH_ROWS=10000 tests/bench/bench-import.sh
set -eu
BIN=${CIMIC_BIN:-$(dirname "$0")/../../build/ui/cimic}
SRC=${CIMIC_SRCDIR:-$(dirname "$0")/../..}
N=${BENCH_ROWS:-100000}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-bench-import-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='bench import passphrase'

# measure OUT CMD...: runs CMD (stdout to OUT), prints "wall_s cpu_s peak_kib" of the child.
measure() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1], "w"))
dt = time.monotonic() - t0
if rc != 0:
    sys.exit(rc)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{dt:.3f} {ru.ru_utime + ru.ru_stime:.3f} {ru.ru_maxrss}")
PY
}
ops() { "$BIN" --store "$1" check | sed -n 's/.* and \([0-9]*\) ops verified.*/\1/p'; }

run() {   # rows -> "wall_s cpu_s peak_kib" of a first import into a new store
	python3 "$SRC/tests/e2e/gen-foreign-hxl.py" "$1" "$T/in-$1.csv"
	"$BIN" --store "$T/s-$1" init --unit Bench --kdf-ops 1 --kdf-mem 8192 >/dev/null
	measure "$T/out-$1" "$BIN" --store "$T/s-$1" import --format hxl --source tracker "$T/in-$1.csv"
}

small=$((N / 10))
read -r t_small c_small rss_small <<<"$(run "$small")"
read -r t_full c_full rss_full <<<"$(run "$N")"
head -3 "$T/out-$N" | sed 's/^/# /'
before=$(ops "$T/s-$N")
read -r t_again c_again rss_again <<<"$(measure "$T/again" "$BIN" --store "$T/s-$N" import --format hxl \
	--source tracker "$T/in-$N.csv")"
head -1 "$T/again" | sed 's/^/# re-import: /'
after=$(ops "$T/s-$N")
size=$(du -sb "$T/s-$N" | cut -f1)
bytes=$(stat -c %s "$T/in-$N.csv")

mib() { echo "$1 / 1024" | bc -l; }
echo "# file: $N rows, $((bytes / 1024)) KiB; store after import: $((size / 1048576)) MiB, $before ops"
printf 'import of %d rows: %.1f s (%.1f s CPU), peak RSS %.0f MiB\n' "$N" "$t_full" "$c_full" "$(mib "$rss_full")"
printf 'import of %d rows: %.1f s (%.1f s CPU), peak RSS %.0f MiB\n' "$small" "$t_small" "$c_small" \
	"$(mib "$rss_small")"
printf 're-import of %d rows: %.1f s (%.1f s CPU), peak RSS %.0f MiB, %d ops written\n' "$N" "$t_again" \
	"$c_again" "$(mib "$rss_again")" "$((after - before))"
printf 'RESULT: HXL import of %d rows with foreign ids | %.0f rows/s (%.0f per CPU second; peak RSS %.0f MiB)\n' \
	"$N" "$(echo "$N / $t_full" | bc -l)" "$(echo "$N / $c_full" | bc -l)" "$(mib "$rss_full")"
printf 'RESULT: peak RSS of the import, %d rows vs %d rows | %.0f MiB vs %.0f MiB\n' "$N" "$small" \
	"$(mib "$rss_full")" "$(mib "$rss_small")"
printf 'RESULT: re-import of the same %d rows (ops written: %d) | %.0f rows/s (peak RSS %.0f MiB)\n' \
	"$N" "$((after - before))" "$(echo "$N / $t_again" | bc -l)" "$(mib "$rss_again")"
[ "$after" -eq "$before" ]
