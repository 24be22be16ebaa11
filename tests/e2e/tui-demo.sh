#!/bin/bash
# The README's run command: `cimic --demo` opens a demonstration store
# at once, and `?` explains the keys.
. "$(dirname "$0")/tui-lib.sh"

t_start 80 24 TMPDIR="$T_DIR" -- --demo
t_wait "Incidents" 60; t_ok $? "cimic --demo opens the incidents list"
t_screen | grep -qE "^ [1-9][0-9]* ·"; t_ok $? "with demonstration incidents"
t_keys "?"
t_wait "Keys of Incidents" 5; t_ok $? "? shows the keys"
t_keys Escape 2
t_wait "Organisation" 5; t_ok $? "2 shows contacts"
t_done
