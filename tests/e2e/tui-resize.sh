#!/bin/bash
# Resize from 120x40 to 60x20, to a tiny window and back, also while a
# form is open; nothing crashes and the screen adapts.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
CIMIC_PASSPHRASE=demo "$CIMIC_BIN" --store "$S" demo >/dev/null 2>&1
t_start 120 40 -- --store "$S"
t_unlock demo; t_ok $? "unlocked at 120x40"
t_screen | grep -q "Status"; t_ok $? "wide layout shows the Status column"
t_resize 60 20
t_wait_gone "Status" 5; t_ok $? "60x20 drops secondary columns"
t_screen | grep -q "Title"; t_ok $? "60x20 still shows titles"
t_keys i
t_wait "Quick capture" 5; t_ok $? "form opens at 60x20"
t_type "Тест розміру"
t_resize 30 8
t_wait "too small" 5; t_ok $? "tiny terminal: a clear message"
t_resize 120 40
t_wait "Тест розміру" 5; t_ok $? "input kept across resizes"
t_keys Escape
t_wait "Leave this form?" 5; t_ok $? "Esc on the changed form asks"
t_keys 3
t_resize 80 24
t_wait "Incidents" 5; t_ok $? "80x24"
t_alive; t_ok $? "still running"
# labels never run into values: the column before the values is blank on every field row
gap_blank() {   # gap_blank COLUMN: rows 4.. of the form, up to the last field row
	t_screen | sed -n '4,$p' | awk -v c="$1" 'length($0) > c && substr($0, 1, 1) == " " && substr($0, 2, 1) != " " \
		{ if (substr($0, c, 1) != " ") { print "joined: " $0; bad = 1 } } END { exit bad }'
}
t_keys n
t_wait "New incident" 5
gap_blank 26; t_ok $? "80x24: every label ends before its value (the full form)"
for i in $(seq 1 20); do t_keys Down; done
gap_blank 26; t_ok $? "80x24: the lower fields too (credibility, displaced)"
t_resize 60 20
t_wait_gone "Reporter: Unit A · now" 1
gap_blank 14; t_ok $? "60x20: every label ends before its value"
t_resize 30 8
t_wait "too small" 5
t_keys Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up
t_resize 80 24
t_wait "Title" 5; t_ok $? "back from a tiny terminal the form shows its top field"
t_done
