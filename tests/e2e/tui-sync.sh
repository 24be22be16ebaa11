#!/bin/bash
# The Sync and Roster screens at HQ.  Sync: the mailbox directory (typed
# with :dir, remembered across runs), what waits there and for whom, the
# exchange (r) importing a unit's bundle and writing the return bundle
# with the hash a courier compares; serving the link from the interface
# (:serve) with its sessions listed.  Roster: enrolling from a pasted
# identity string after comparing the fingerprint, revoking behind a
# typed word (typed here on the Ukrainian layout).  No screen says "not
# part of this build".
. "$(dirname "$0")/tui-lib.sh"

PW='correct horse battery staple'
c() { local s=$1; shift; CIMIC_PASSPHRASE=$PW "$CIMIC_BIN" --store "$T_DIR/$s" "$@"; }
c hq init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
for u in east west; do c $u init --unit "Unit $u" --kdf-ops 1 --kdf-mem 8192 >/dev/null; done
c hq peer add --name east "$(c east id | head -1)" >/dev/null
c east peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
c west peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
BOX="$T_DIR/usb"; mkdir -p "$BOX"
c east incident add --title "Донесення через флешку" --settlement "Ізюм" >/dev/null
c east sync "$BOX" >/dev/null
c west sync "$BOX" >/dev/null   # a bundle for HQ from a unit HQ has not enrolled yet

t_start 100 30 -- --store "$T_DIR/hq"
t_unlock "$PW"; t_ok $? "unlocked"
for k in 1 2 3 4 5 6; do
	t_keys "$k"; sleep 0.3
	t_screen | grep -qi "not part of this build"; t_ok $((1 - $?)) "screen $k has no placeholder"
done

t_keys 3
t_wait "Mailbox" 5
t_keys :; t_type "dir $BOX"; t_keys Enter
t_wait "Mailbox: $BOX" 5; t_ok $? ":dir sets the mailbox directory"
t_wait "2 for this node (2 new)" 5; t_ok $? "what waits for this node is shown before the run"
t_keys r
t_wait "Exchange done" 10; t_ok $? "r runs the exchange"
t_screen | grep -q "from east: 1 new"; t_ok $? "the unit's bundle came in: 1 new entry"
t_screen | grep -q "REFUSED"; t_ok $? "the bundle of the unit not enrolled is refused, with the reason"
t_screen | grep -q "out  cimic-.*for east"; t_ok $? "the return bundle for the unit is written"
hash=$(t_screen | sed -n 's/^ *hash *\(\([0-9a-f]\{8\} \?\)\{8\}\).*/\1/p' | head -1 | tr -d ' ')
out=$(for f in "$BOX"/*; do "$CIMIC_BIN" bundle verify "$f" 2>/dev/null; done | grep -F "$hash")
[ ${#hash} -eq 64 ] && [ -n "$out" ]; t_ok $? "the hash shown is the one 'cimic bundle verify' prints for the courier"
c east sync "$BOX" | grep -q "1 imported"; t_ok $? "the unit imports the return bundle"
c east incident list | grep -q "Донесення через флешку"; t_ok $? "and still has its own record"
t_keys 1
t_wait "Донесення через флешку" 5; t_ok $? "the imported record is on HQ's list"

# the mailbox directory is remembered
t_keys q; t_wait_exit 5
t_start 100 30 -- --store "$T_DIR/hq"
t_unlock "$PW"
t_keys 3
t_wait "Mailbox    $BOX" 5; t_ok $? "the mailbox directory is remembered"

# serving from the interface
t_keys :; t_type "serve 127.0.0.1:0"; t_keys Enter
t_wait "Serving the link on 127.0.0.1:" 5; t_ok $? ":serve starts serving inside the interface"
PORT=$(t_screen | sed -n 's/.*Serving the link on 127\.0\.0\.1:\([0-9]*\)\..*/\1/p' | head -1)
c east incident add --title "Через мережу до вікна" >/dev/null
c east sync --link "127.0.0.1:$PORT" >"$T_DIR/link.out" 2>&1; t_ok $? "a unit syncs with the interface's server"
t_wait "Sessions served here" 5; t_ok $? "the Sync screen lists the sessions"
t_wait "east" 5
t_screen | grep -q "east .*received 1 (1 new)"; t_ok $? "with the peer and what moved"
t_keys j; t_keys k   # keys still work while serving
t_keys :; t_type "serve stop"; t_keys Enter
t_wait "Stopped serving the link." 5; t_ok $? ":serve stop ends it"
t_keys 1
t_wait "Через мережу до вікна" 5; t_ok $? "the record that came over the link is listed"

# roster: enrol west from its identity string, then revoke it
t_keys 5
t_wait "enrolled node" 5; t_ok $? "the Roster screen lists the nodes"
t_screen | grep -q "east .*Unit east .*field"; t_ok $? "with unit and role"
t_keys a
t_wait "Identity string" 5
t_type "$(c west id | head -1)"; t_keys Enter
t_wait "Fingerprint here:" 5; t_ok $? "enrol shows the fingerprint to compare aloud"
fp=$(c west id | sed -n 's/^Fingerprint: //p')
t_type "0000-0000-0000-0000"; t_keys Enter
t_wait "fingerprints differ" 5; t_ok $? "a fingerprint that differs enrols nothing"
t_keys a; t_wait "Identity string" 5
t_type "$(c west id | head -1)"; t_keys Enter
t_wait "Fingerprint here:" 5
t_type "$fp"; t_keys Enter
t_wait "Name for it here:" 5; t_keys Enter
t_wait "Enrolled Unit west" 5; t_ok $? "the same fingerprint read aloud enrols it"
c hq peer list | grep -q "^Unit west"; t_ok $? "the CLI sees the enrolment"
t_keys g   # names sort before "east": Unit west is the first row
t_screen | grep -q "^> Unit west"; t_ok $? "the cursor is on the node to revoke"
t_keys R
t_wait "REVOKE" 5; t_ok $? "revoke asks for a typed word"
t_type "так"; t_keys Enter
t_wait "Not revoked." 5; t_ok $? "any other answer revokes nothing"
t_keys R; t_wait "REVOKE" 5
t_type "КУМЩЛУ"; t_keys Enter   # R-E-V-O-K-E typed with the Ukrainian layout on
t_wait "Revoked Unit west" 5; t_ok $? "the word typed on the Ukrainian layout revokes"
t_wait "revoked after" 5; t_ok $? "the roster shows the revocation"
c hq peer list --json | grep -q '"name":"Unit west","unit":"Unit west","role":"field","fingerprint":"[^"]*","peer":true,"roster":true,"revoked":true'
t_ok $? "the CLI sees it revoked"

# a fork: a copy of east's laptop writes its own next entry; both reach HQ
cp -r "$T_DIR/east" "$T_DIR/east-copy"
c east incident add --title "Оригінал" >/dev/null
c east-copy incident add --title "Копія" >/dev/null
mkdir -p "$T_DIR/usb2"
c east sync "$BOX" >/dev/null; c east-copy sync "$T_DIR/usb2" >/dev/null
c hq sync "$BOX" >/dev/null; c hq sync "$T_DIR/usb2" >/dev/null
t_wait "FORK!" 5; t_ok $? "the roster raises a fork alarm for east"
t_screen | grep -q "^  east .*FORK!"; t_ok $? "on east's row"
t_keys q; t_wait_exit 5; t_ok $? "quit"
t_done
