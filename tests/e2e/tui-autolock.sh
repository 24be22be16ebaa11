#!/bin/bash
# Auto-lock after the configured idle time, from a list and over an
# open dialog; unlocking returns to where the officer was.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_store "$S" "Unit A" Tisa-lantern-47-orbit
CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident add --title "Секретний запис" >/dev/null
mkdir -p "$XDG_CONFIG_HOME/cimic"
printf 'autolock = 2\n' >"$XDG_CONFIG_HOME/cimic/tui.conf"
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit; t_ok $? "unlocked"
t_wait "Секретний запис" 5
t_wait "Locked. Enter the passphrase" 10; t_ok $? "locks after 2 s idle"
t_screen | grep -q "Секретний запис"; t_ok $((1 - $?)) "nothing of the data on the lock screen"
t_type "Tisa-lantern-47-orbit"; t_keys Enter
t_wait "Секретний запис" 10; t_ok $? "unlock returns to the list"
t_keys :
t_wait_gone "Секретний запис" 1   # keep polling a moment; the prompt is open
t_wait "Locked. Enter the passphrase" 10; t_ok $? "locks over the command-line dialog too"
t_type "bad"; t_keys Enter
t_wait "Wrong passphrase" 10; t_ok $? "wrong passphrase refused when locked"
t_type "Tisa-lantern-47-orbit"; t_keys Enter
t_wait "Секретний запис" 10; t_ok $? "back after unlock"
t_keys Escape
t_type ":autolock 0"; t_keys Enter
t_wait "Auto-lock after 0 s" 5; t_ok $? ":autolock sets the time"
t_keys L
t_wait "Passphrase:" 5; t_ok $? "L locks at once"
t_type "Tisa-lantern-47-orbit"; t_keys Enter
t_wait "Секретний запис" 10; t_ok $? "unlocked again"
t_done
