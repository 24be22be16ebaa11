#!/usr/bin/env bash
# courier.sh - what a courier's drive shows and what the sender tells the
# courier (TAP), DESIGN.md section 5: the recipient id in the clear and in
# file names is never a fingerprint people read aloud, bundle sizes fall
# into buckets (one entry more does not show), no time is in clear, and
# the hash the sender prints is the one `bundle verify` computes.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }
c() { local s=$1; shift; "$BIN" --store "$T/$s" "$@"; }
c hq init --unit "ГШ" --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
for u in u1 u2; do
	c $u init --unit "Група $u" --kdf-ops 1 --kdf-mem 8192 >/dev/null
	c hq peer add --name $u "$(c $u id | head -1)" >/dev/null
	c $u peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
done
fp() { c "$1" id --json | json 'print(d["fingerprint"].replace("-","").lower())'; }
rid() { c "$1" id --json | json 'print(d["recipient_id"])'; }
FPS="$(fp hq) $(fp u1) $(fp u2)"

# ---- recipient ids ----
USB="$T/usb"; mkdir "$USB"
c u1 contact add --name "Оксана" >/dev/null
c u1 sync "$USB" >"$T/sync1.out"
c hq sync "$USB" >"$T/sync2.out"
names=$(ls "$USB")
echo "# on the drive: $(echo $names)"
clash=0
for f in $FPS; do echo "$names" | grep -q "$f" && clash=1; done
ok $clash "no file name on the drive holds a fingerprint"
ls "$USB" | grep -q "^cimic-$(rid hq)-" && ls "$USB" | grep -q "^cimic-$(rid u1)-" && ls "$USB" | grep -q "^cimic-$(rid u2)-"
ok $? "files are named by each recipient's id (id --json gives it)"
for s in hq u1 u2; do [ "$(rid $s)" != "$(fp $s)" ] || clash=1; done
ok $clash "no node's recipient id equals its fingerprint"
f=$(ls "$USB"/cimic-"$(rid u2)"-*.cmb)
c u1 bundle inspect --json "$f" >"$T/inspect.json"
R=$(rid u2) FPS="$FPS" json '
import os
r = [x["recipient_id"] for x in d["recipients"]]
assert r == [os.environ["R"]], r
assert not set(r) & set(os.environ["FPS"].split()), r
assert "created_unix" not in d and not d["for_this_node"], d' <"$T/inspect.json"
ok $? "inspect by someone else: the recipient id, no fingerprint, no time"
c u2 bundle inspect --json "$f" | json 'assert d["for_this_node"] and d["created_unix"] > 1700000000, d'
ok $? "the recipient sees the creation time, which travels inside the encryption"
python3 - "$f" <<'EOF'
import sys, time
d = open(sys.argv[1], 'rb').read()
now = int(time.time())
clear = d[:48]
assert clear[32:40] == bytes(8), clear[32:40]
for delta in range(-86400, 86400):      # no Unix time of today anywhere in the clear header
    assert (now + delta).to_bytes(8, 'little') not in d[:48 + 88 + 24]
EOF
ok $? "no time of today in the clear header, in any position"

# ---- sizes ----
c hq bundle create --to u2 -o "$T/one.cmb" 2>/dev/null >/dev/null
c hq contact add --name "Ще один" --notes "щоб змінився вміст" >/dev/null
c hq bundle create --to u2 -o "$T/two.cmb" 2>/dev/null >/dev/null
s1=$(stat -c %s "$T/one.cmb"); s2=$(stat -c %s "$T/two.cmb")
is "$s2" "$s1" "a bundle with one record more has the same size ($s1 bytes)"
for i in $(seq 40); do c hq incident add --title "Інцидент $i з довгим описом для розміру" \
	--description "$(head -c 300 /dev/urandom | base64 -w0)" >/dev/null; done
c hq bundle create --to u2 -o "$T/many.cmb" 2>/dev/null >/dev/null
s3=$(stat -c %s "$T/many.cmb")
[ "$s3" -gt "$s1" ]
ok $? "a much bigger one falls into a bigger bucket ($s3 bytes)"

# ---- the hash for the courier ----
c hq bundle create --to u1 -o "$T/for-u1.cmb" >"$T/create.out" 2>"$T/create.err"
printed=$(sed -n 's/^BLAKE2b \([0-9a-f]\{64\}\) .*/\1/p' "$T/create.err")
verified=$(c u2 bundle verify "$T/for-u1.cmb" | sed -n 's/.*BLAKE2b \([0-9a-f]\{64\}\)$/\1/p')
[ -n "$printed" ] && [ "$printed" = "$verified" ]
ok $? "bundle create prints the hash that bundle verify computes ($printed)"
is "$(cat "$T/create.out")" "$T/for-u1.cmb" "stdout still gives just the file"
c hq sync "$USB" >"$T/sync3.out"
line=$(grep '^  out ' "$T/sync3.out" | head -1)
file=$(echo "$line" | sed -n 's/^  out  \([^:]*\):.*/\1/p')
hash=$(echo "$line" | sed -n 's/.*BLAKE2b \([0-9a-f]\{64\}\)$/\1/p')
verified=$(c u1 bundle verify "$USB/$file" | sed -n 's/.*BLAKE2b \([0-9a-f]\{64\}\)$/\1/p')
[ -n "$hash" ] && [ "$hash" = "$verified" ]
ok $? "sync DIR prints each written bundle's hash, the one verify computes"
echo "1..$n"
[ $fails -eq 0 ]
