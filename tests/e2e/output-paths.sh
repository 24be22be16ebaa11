#!/usr/bin/env bash
# output-paths.sh - where cimic writes and reads files (TAP), DESIGN.md
# section 6: a FIFO, a character device and "-" are written in place,
# never replaced by a rename; a symbolic link is refused with one line
# (73) and its target left alone; a regular file is replaced atomically.
# Bundle import and sync DIR refuse a FIFO at once instead of blocking.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
c() { local s=$1; shift; timeout 20 "$BIN" --store "$T/$s" "$@"; }
c hq init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
c u init --unit U --kdf-ops 1 --kdf-mem 8192 >/dev/null
c hq peer add --name u "$(c u id | head -1)" >/dev/null
c u peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
c hq contact add --name "Оксана Бойко" --phone "+380 50 000 0000" >/dev/null
c hq export --format csv --what contacts >"$T/expected.csv"

# ---- export ----
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/from-fifo.csv" & CAT=$!; PIDS+=("$CAT")
c hq export --format csv --what contacts -o "$T/fifo"
ok $? "export -o FIFO succeeds"
wait "$CAT"
cmp -s "$T/from-fifo.csv" "$T/expected.csv"
ok $? "the reader at the other end got the whole export"
[ -p "$T/fifo" ]
ok $? "the FIFO is still a FIFO (not replaced by a file)"

before=$(stat -c '%F %t:%T %i' /dev/null)
c hq export --format csv --what contacts -o /dev/null
ok $? "export -o /dev/null succeeds"
is "$(stat -c '%F %t:%T %i' /dev/null)" "$before" "/dev/null is the same character device afterwards"
[ ! -e /dev/null.part ]
ok $? "and no temporary file was made beside it"

echo "precious" >"$T/target.txt"
ln -s "$T/target.txt" "$T/link.csv"
c hq export --format csv --what contacts -o "$T/link.csv" 2>"$T/link.err"
is $? 73 "export -o SYMLINK is refused (73)"
is "$(wc -l <"$T/link.err")" 1 "with one line"
grep -q 'symbolic link' "$T/link.err"
ok $? "that says why: $(cat "$T/link.err")"
[ -L "$T/link.csv" ] && [ "$(cat "$T/target.txt")" = precious ]
ok $? "the link and its target are unchanged"
ln -s "$T/nowhere.csv" "$T/dangling.csv"
c hq export --format csv --what contacts -o "$T/dangling.csv" 2>/dev/null
is "$?/$([ -e "$T/nowhere.csv" ] && echo made || echo none)" "73/none" "a dangling link is refused too, nothing created"

echo old >"$T/plain.csv"
ino=$(stat -c %i "$T/plain.csv")
c hq export --format csv --what contacts -o "$T/plain.csv"
cmp -s "$T/plain.csv" "$T/expected.csv" && [ "$(stat -c %i "$T/plain.csv")" != "$ino" ]
ok $? "a regular file is replaced by a rename (a new inode, the whole export)"
ls "$T" | grep -q '\.part$'
ok $((1 - $?)) "no .part left behind"
c hq export --format csv --what contacts -o - | cmp -s - "$T/expected.csv"
ok $? "-o - writes to stdout"
mkdir "$T/dir.csv"
c hq export --format csv --what contacts -o "$T/dir.csv" 2>/dev/null
is $? 73 "a directory is refused (73)"

# ---- report ----
mkfifo "$T/rfifo"
cat "$T/rfifo" >"$T/from-rfifo.txt" & CAT=$!; PIDS+=("$CAT")
c hq report sitrep -o "$T/rfifo"
ok $? "report sitrep -o FIFO succeeds"
wait "$CAT"
grep -q . "$T/from-rfifo.txt" && [ -p "$T/rfifo" ]
ok $? "the report went through the FIFO, which stays a FIFO"
c hq report sitrep -o "$T/link.csv" 2>/dev/null
is "$?/$(cat "$T/target.txt")" "73/precious" "report -o SYMLINK is refused, the target unchanged"

# ---- bundle create ----
mkfifo "$T/bfifo"
cat "$T/bfifo" >"$T/from-bfifo.cmb" & CAT=$!; PIDS+=("$CAT")
c hq bundle create --to u -o "$T/bfifo" >/dev/null 2>&1
ok $? "bundle create -o FIFO succeeds"
wait "$CAT"
c u bundle verify "$T/from-bfifo.cmb" >/dev/null && [ -p "$T/bfifo" ]
ok $? "the bundle read from the FIFO verifies, and the FIFO stays"
before=$(stat -c '%F %t:%T %i' /dev/null)
c hq bundle create --to u -o /dev/null >/dev/null 2>&1
is "$?/$(stat -c '%F %t:%T %i' /dev/null)" "0/$before" "bundle create -o /dev/null: written in place, still the device"
c hq bundle create --to u -o "$T/link.csv" >/dev/null 2>"$T/blink.err"
is "$?/$(cat "$T/target.txt")" "73/precious" "bundle create -o SYMLINK is refused, the target unchanged"
grep -q 'symbolic link' "$T/blink.err"
ok $? "with the reason"
c hq bundle create --to u -o - 2>/dev/null >"$T/stdout.cmb"
c u bundle verify "$T/stdout.cmb" >/dev/null
ok $? "bundle create -o - writes the bundle, and only it, to stdout"

# ---- reading: a FIFO is refused at once ----
mkfifo "$T/in.cmb"
start=$(date +%s%N)
c u bundle import "$T/in.cmb" >/dev/null 2>"$T/in.err"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
is "$rc" 66 "bundle import FIFO is refused (66), not blocked on"
[ "$ms" -lt 5000 ]
ok $? "and returns at once (${ms} ms)"
grep -q 'FIFO' "$T/in.err"
ok $? "with a clear line: $(head -1 "$T/in.err")"
c u bundle verify "$T/in.cmb" >/dev/null 2>&1
is $? 66 "bundle verify FIFO too"
c u bundle import "$T/dir.csv" >/dev/null 2>&1
is $? 66 "a directory is no bundle (66)"
USB="$T/usb"; mkdir "$USB"
mkfifo "$USB/cimic-0000000000000000-0000000000000000.cmb"
c u sync "$USB" >"$T/sync.out" 2>&1
rc=$?
[ "$rc" -ne 124 ]
ok $? "sync DIR with a FIFO named like a bundle does not block"
grep -q 'REFUSED.*FIFO' "$T/sync.out"
ok $? "it names the FIFO as refused"
ls "$USB"/*.cmb | grep -qv '0000000000000000'
ok $? "and still writes the unit's bundle for HQ"
echo "1..$n"
[ $fails -eq 0 ]
