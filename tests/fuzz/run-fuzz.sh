#!/usr/bin/env bash
# run-fuzz.sh TARGET SEEDS CORPUS SECONDS - runs one libFuzzer target for a bounded
# time over a copy of its seed corpus; fails on any crash, leak or sanitizer report.
set -u
target=$1 seeds=$2 corpus=$3 seconds=$4
mkdir -p "$corpus"
[ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/ 2>/dev/null
log=$(mktemp)
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-artifact_prefix="$corpus/../crash-$(basename "$target")-" "$corpus" >"$log" 2>&1
rc=$?
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
[ -z "$execs" ] && execs=$(grep -Eo '#[0-9]+' "$log" | tail -1 | tr -d '#')
echo "$(basename "$target"): ${execs:-?} executions in ${seconds}s, exit $rc"
if [ $rc -ne 0 ]; then tail -40 "$log"; fi
rm -f "$log"
exit $rc
