#!/bin/bash
# Unlock, quick capture of an incident with Cyrillic text and an MGRS
# place from the incidents list and from another screen, then find the
# records with `cimic incident list --json`.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_store "$S" "Unit A" Tisa-lantern-47-orbit
t_start 80 24 -- --store "$S"
t_wait "Passphrase:" 10; t_ok $? "unlock prompt"
t_type "wrong"; t_keys Enter
t_wait "Wrong passphrase" 10; t_ok $? "wrong passphrase is refused"
t_type "Tisa-lantern-47-orbit"; t_keys Enter
t_wait "Incidents" 10; t_ok $? "unlocked"
t_keys i
t_wait "Quick capture" 5; t_ok $? "i opens quick capture"
t_screen | grep -q "Reporter: Unit A"; t_ok $? "reporter pre-filled"
t_screen | grep -qE "When +[0-9]{6}Z[A-Z]{3}[0-9]{2}"; t_ok $? "time pre-filled as DTG"
t_type "Обстріл школи в Херсоні, є поранені"
t_keys Tab Right Right Tab Tab
t_type "36T VS 6969 6636"
t_keys Tab
t_wait "46.650" 5; t_ok $? "MGRS checked and shown as lat,lon"
t_type "Херсон"
t_keys C-s
t_wait "Saved «Обстріл школи в Херсоні, є поранені»" 5; t_ok $? "saved with Ctrl-S"
t_screen | grep -q "Обстріл школи в Херсоні"; t_ok $? "new incident in the list"
# from the contacts screen, on the Ukrainian layout: ш is the i key
t_keys 2
t_wait "Contacts" 5
t_type "ш"
t_wait "Quick capture" 5; t_ok $? "quick capture from contacts with the Ukrainian-layout key"
t_screen | grep -q "Location *36T VS 6969"; t_ok $? "last location pre-filled (as MGRS)"
t_type "Відключення води"
t_keys Escape
t_wait "Leave this form?" 5; t_ok $? "Esc on a changed form asks"
t_keys 3
t_wait "nothing was changed" 5; t_ok $? "Esc, discard leaves without saving"
t_keys q
t_wait_exit 5; t_ok $? "quit"
json=$(CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident list --json)
echo "$json" | grep -qF "Обстріл школи в Херсоні, є поранені"; t_ok $? "incident found by the CLI"
echo "$json" | grep -qF "46.65"; t_ok $? "with its location"
echo "$json" | grep -qF "Відключення води"; t_ok $((1 - $?)) "cancelled form wrote nothing"
t_done
