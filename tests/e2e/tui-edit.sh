#!/bin/bash
# Edit a record, archive it with D, undo with u; the CLI sees the result.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_store "$S" "Unit A" Tisa-lantern-47-orbit
id=$(CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident add --title "Водогін пошкоджено" --severity 3)
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit; t_ok $? "unlocked"
t_wait "Водогін пошкоджено" 5; t_ok $? "incident listed"
t_keys e
t_wait "Edit incident" 5; t_ok $? "e opens the edit form"
t_keys C-u
t_type "Водогін пошкоджено на Соборній"
t_keys F2
t_wait "Saved «Водогін пошкоджено на Соборній»" 5; t_ok $? "edit saved"
t_keys D
t_wait "Archived «Водогін пошкоджено на Соборній»" 5; t_ok $? "D archives, with an undo hint"
t_screen | grep -q "^ 0 ·"; t_ok $? "the list no longer shows it"
t_keys u
t_wait "the record is back" 5; t_ok $? "u restores it"
t_wait "Водогін пошкоджено на Соборній" 5; t_ok $? "listed again"
t_keys u
t_wait "old values are back" 5; t_ok $? "u again undoes the edit"
t_wait "Водогін пошкоджено " 5
t_keys Enter
t_wait "Linked contacts" 5; t_ok $? "Enter opens the record"
t_keys q
t_wait "Incidents" 5
t_keys q
t_wait_exit 5; t_ok $? "quit"
json=$(CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident show "$id" --json)
echo "$json" | grep -qF '"title":"Водогін пошкоджено"'; t_ok $? "title back to the original"
echo "$json" | grep -qF '"archived":true'; t_ok $((1 - $?)) "not archived"
t_done
