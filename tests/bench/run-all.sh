#!/usr/bin/env bash
# run-all.sh - runs every benchmark and prints one table of the figures.
#
#   tests/bench/run-all.sh [BUILDDIR]       (default: build; configure and build it first)
#
# Each benchmark prints its details and lines "RESULT: what | figure"; this
# script shows the details as they come and gathers the RESULT lines at the end.
# LOAD=1 adds the HQ load test (50 units x 20,000 records: several minutes).
set -u
cd "$(dirname "$0")/../.."
B=${1:-build}
[ -d "$B" ] || meson setup "$B" >/dev/null
ninja -C "$B" >/dev/null || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
export CIMIC_BIN="$PWD/$B/ui/cimic" CIMIC_SHARED_DATA="$PWD/../shared/data"

run() {
	echo "== $1"
	shift
	"$@" 2>&1 | tee -a "$out"
}
run "op log vs bare INSERT, full-text queries" "$B/tests/bench/bench-oplog" "${BENCH_INCIDENTS:-100000}"
run "encrypted VFS vs plain SQLite" "$B/tests/bench/bench-cryptvfs"
for b in bench-bundle bench-link; do
	[ -x "$B/tests/bench/$b" ] && run "$b" "$B/tests/bench/$b"
done
[ -x tests/bench/link-bytes.sh ] && run "link bytes" tests/bench/link-bytes.sh
[ -x "$B/tests/bench/bench-publish" ] &&
	BENCH_PUBLISH="$B/tests/bench/bench-publish" run "publish into PostgreSQL" tests/bench/publish.sh
run "HXL import, foreign ids" tests/bench/bench-import.sh
[ "${LOAD:-0}" = 1 ] && run "HQ load" tests/bench/load-hq.sh

echo
echo "Summary"
grep '^RESULT: ' "$out" | sed 's/^RESULT: //' |
	awk -F' [|] ' '{ printf "  %-62s %s\n", $1, $2 }'
