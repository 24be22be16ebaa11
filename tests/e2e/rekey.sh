#!/usr/bin/env bash
# rekey.sh - passwd --rekey: a new data key and every page re-encrypted,
# with progress; afterwards an old keyfile copy with the old passphrase
# opens nothing.  Crash-safe: a rekey killed at any moment leaves a store
# that exactly one of the two passphrases opens, with every record (TAP).
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
P1='river lantern orbit quarry'
P2='seven bridges over Dnipro'
S="$T/s"
c() { local p=$1; shift; CIMIC_PASSPHRASE="$p" "$BIN" --store "$S" "$@"; }

c "$P1" init --unit R --kdf-ops 1 --kdf-mem 8192 >/dev/null
for i in $(seq 1 60); do
	c "$P1" incident add --title "Подія $i" --description "$(printf 'опис %.0s' $(seq 1 80))" >/dev/null
done
c "$P1" incident list --all --json >"$T/before.json"
cp "$S/keyfile" "$T/old-keyfile"
cp "$S/cimic.db" "$T/old.db"
printf '%s\n' "$P2" >"$T/p2"
c "$P1" passwd --rekey --new-passphrase-file "$T/p2" 2>"$T/err"
ok $? "passwd --rekey"
grep -q "re-encrypting: .* of .* pages (100%)" "$T/err"; ok $? "progress shown: $(tail -2 "$T/err" | head -1)"
[ "$(grep -c 're-encrypting' "$T/err")" -ge 2 ]; ok $? "progress in several steps"
c "$P2" incident list --all --json >"$T/after.json"
cmp -s "$T/before.json" "$T/after.json"; ok $? "the new passphrase opens every record unchanged"
c "$P2" check >/dev/null; ok $? "check passes after the rekey"
python3 - "$T/old.db" "$S/cimic.db" <<'PY'
import sys
old = open(sys.argv[1], 'rb').read(); new = open(sys.argv[2], 'rb').read()
pages = {old[i:i + 4096] for i in range(0, len(old), 4096)}
same = sum(new[i:i + 4096] in pages for i in range(0, len(new), 4096))
sys.exit(1 if same else 0)
PY
ok $? "no page of the database is as it was (every page re-encrypted)"
c "$P1" incident list >/dev/null 2>&1; ok $(( $? == 77 ? 0 : 1 )) "the old passphrase is refused"
cp "$S/keyfile" "$T/new-keyfile"
cp "$T/old-keyfile" "$S/keyfile"
c "$P1" incident list >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 65 ] && [ ! -s "$T/out" ]
ok $? "an old keyfile copy with the old passphrase opens nothing (exit $rc: $(cat "$T/err"))"
cp "$T/new-keyfile" "$S/keyfile"

# an interrupted rekey, both sides of the rename
cp "$S/keyfile" "$S/keyfile.rekey"; head -c 8192 /dev/urandom >"$S/cimic.db.rekey"
c "$P2" incident list --all --json >"$T/out" 2>/dev/null && cmp -s "$T/out" "$T/before.json"
ok $? "before the copy is in place: the next open drops it and the store opens as it was"
[ ! -e "$S/cimic.db.rekey" ] && [ ! -e "$S/keyfile.rekey" ]; ok $? "the half-made copy is gone"
cp "$S/keyfile" "$S/keyfile.rekey"; cp "$T/old-keyfile" "$S/keyfile"
c "$P2" incident list --all --json >"$T/out" 2>/dev/null && cmp -s "$T/out" "$T/before.json"
ok $? "after the copy is in place: the next open puts its keyfile in place"
[ ! -e "$S/keyfile.rekey" ]; ok $? "no keyfile.rekey is left"

# killed at random moments: one passphrase or the other opens everything
cur="$P2"; other="$P1"; bad=0; both=0; done_new=0
for i in $(seq 1 12); do
	printf '%s\n' "$other" >"$T/pn"
	CIMIC_PASSPHRASE="$cur" "$BIN" --store "$S" passwd --rekey --new-passphrase-file "$T/pn" \
		>/dev/null 2>&1 &
	pid=$!
	sleep "0.$(( (i * 37) % 60 ))"
	kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	a=1; b=1
	c "$cur" incident list --all --json >"$T/o1" 2>/dev/null && cmp -s "$T/o1" "$T/before.json" && a=0
	c "$other" incident list --all --json >"$T/o2" 2>/dev/null && cmp -s "$T/o2" "$T/before.json" && b=0
	if [ $a -eq 0 ] && [ $b -eq 0 ]; then both=$((both+1)); fi
	if [ $a -ne 0 ] && [ $b -ne 0 ]; then bad=$((bad+1)); echo "# kill $i: neither passphrase opens"; fi
	if [ $b -eq 0 ] && [ $a -ne 0 ]; then t="$cur"; cur="$other"; other="$t"; done_new=$((done_new+1)); fi
done
ok $bad "12 kills during rekey: the store always opens with all records ($done_new finished)"
ok $both "never both passphrases"
c "$cur" check >/dev/null; ok $? "check passes after the kills"
cp "$S/keyfile" "$S/keyfile.rekey"
c "$cur" wipe --yes >/dev/null
[ -z "$(ls "$S" | grep '^keyfile')" ]; ok $? "wipe removes keyfile.rekey too"

echo "1..$n"
[ "$fails" -eq 0 ]
