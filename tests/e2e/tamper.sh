#!/usr/bin/env bash
# tamper.sh - a byte changed in any page of the store is reported as tampering
# (exit 65) by 'check' and by reads, never a crash or wrong data (TAP).
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='tamper test passphrase Dnipro'
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }

"$BIN" --store "$T/s" init --unit T --kdf-ops 1 --kdf-mem 8192 >/dev/null
for i in $(seq 1 40); do
	"$BIN" --store "$T/s" incident add --title "Подія $i canary-$i" --description "$(printf 'опис %.0s' $(seq 1 40))" >/dev/null
done
"$BIN" --store "$T/s" check >/dev/null
ok $? "clean store passes check"
! grep -rqa -e "canary-" -e "Подія" -e "опис" "$T/s"
ok $? "no plaintext (Latin or Cyrillic) in any file of the store"
size=$(stat -c %s "$T/s/cimic.db")
pages=$((size / 4096))
bad_check=0; bad_read=0; crashes=0
for p in $(seq 0 $((pages - 1))); do
	rm -rf "$T/c"; cp -a "$T/s" "$T/c"
	# a byte inside the page, away from the first 16 bytes of page 1 (the salt) and
	# covering the reserved nonce/tag area on some pages
	off=$((p * 4096 + 16 + (p * 997) % 4080))
	printf '%d' "$off" >/dev/null
	orig=$(od -An -tu1 -j "$off" -N1 "$T/c/cimic.db" | tr -d ' ')
	printf "$(printf '\\%03o' $(( (orig ^ 0x5a) & 255 )))" |
		dd of="$T/c/cimic.db" bs=1 seek="$off" conv=notrunc status=none
	"$BIN" --store "$T/c" check >/dev/null 2>"$T/err"; rc=$?
	[ "$rc" -eq 65 ] || { bad_check=$((bad_check+1)); echo "# page $p: check exit $rc: $(cat "$T/err")"; }
	[ "$rc" -ge 128 ] && crashes=$((crashes+1))
	"$BIN" --store "$T/c" incident list --json >"$T/out" 2>"$T/err"; rc=$?
	if [ "$rc" -ge 128 ]; then crashes=$((crashes+1)); fi
	# a read either fails as tampering or, when the page is not on its path, shows intact data
	if [ "$rc" -ne 65 ] && ! grep -q "canary-40" "$T/out"; then
		bad_read=$((bad_read+1)); echo "# page $p: read exit $rc"
	fi
done
ok $((bad_check)) "a changed byte in each of $pages pages makes check exit 65"
ok $((bad_read)) "reads fail with 65 or return intact data"
ok $((crashes)) "no crash"
# salt bytes of page 1 change the key derivation input: also refused
rm -rf "$T/c"; cp -a "$T/s" "$T/c"
printf 'X' | dd of="$T/c/cimic.db" bs=1 seek=3 conv=notrunc status=none
"$BIN" --store "$T/c" check >/dev/null 2>&1
ok $(( $? == 65 ? 0 : 1 )) "a changed salt byte is refused as tampering"
"$BIN" --store "$T/s" check >/dev/null
ok $? "the original store is untouched"

echo "1..$n"
[ "$fails" -eq 0 ]
