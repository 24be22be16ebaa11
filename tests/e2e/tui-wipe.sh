#!/bin/bash
# Panic wipe from the interface: ":wipe" asks for a typed word (never y/n);
# a wrong word changes nothing; the right word destroys the key, the
# program leaves, and no passphrase opens the store again.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_store "$S" "Unit W" Tisa-lantern-47-orbit
CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident add --title "Секретний запис" >/dev/null
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit; t_ok $? "unlocked"
t_keys :; t_type "wipe"; t_keys Enter
t_wait "WIPE" 5; t_ok $? ":wipe asks for a typed word"
t_type "y"; t_keys Enter
sleep 0.3
t_alive; t_ok $? "a wrong answer (y) does not wipe"
[ -s "$S/keyfile" ] && t_screen | grep -q "Секретний запис"
t_ok $? "the key is intact and the records still shown"
# another process commits while the interface holds the store: the WAL has frames
CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident add --title "Ще один запис" >/dev/null
[ -s "$S/cimic.db-wal" ]; t_ok $? "the WAL holds uncheckpointed commits"
db_before=$(sha256sum <"$S/cimic.db")
cp "$S/keyfile" "$S/keyfile.tmp-0badc0de"   # what an interrupted passwd leaves
t_keys :; t_type "wipe"; t_keys Enter
t_wait "WIPE" 5
t_type "WIPE"; t_keys Enter
t_wait_exit 10; t_ok $? "the right word wipes and leaves"
[ "$(sha256sum <"$S/cimic.db")" = "$db_before" ]
t_ok $? "the database was not checkpointed or otherwise touched by the wipe"
[ -z "$(ls "$S" | grep '^keyfile')" ]; t_ok $? "no keyfile copy is left (keyfile.tmp-* included)"
CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident list >/dev/null 2>&1
[ $? -eq 66 ]; t_ok $? "afterwards no passphrase opens the store (exit 66)"
[ ! -e "$S/keyfile" ]; t_ok $? "the keyfile is gone"
# (the database file stays: without the key it is noise)
t_done
