#!/bin/bash
# The Ukrainian interface under uk_UA.UTF-8: translated screens, and the
# Cyrillic stays clean.  CI generates the locale; locally it can be made
# with localedef into $LOCPATH.  Skips (77) when it is not available.
. "$(dirname "$0")/tui-lib.sh"

if ! LC_ALL=uk_UA.UTF-8 locale charmap 2>/dev/null | grep -q UTF-8; then
	echo "1..0 # SKIP locale uk_UA.UTF-8 is not available (localedef -i uk_UA -f UTF-8 uk_UA.UTF-8)"
	exit 77
fi
MO="${CIMIC_LOCALEDIR:-}"
if [ -z "$MO" ] || [ ! -f "$MO/uk/LC_MESSAGES/cimic.mo" ]; then
	echo "1..0 # SKIP the uk catalogue is not built (set CIMIC_LOCALEDIR)"
	exit 77
fi
S="$T_DIR/store"
t_store "$S" "Підрозділ А" Tisa-lantern-47-orbit
CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident add --title "Обстріл" --type civilian_harm >/dev/null
T_LANG=uk_UA.UTF-8
t_start 80 24 CIMIC_LOCALEDIR="$MO" -- --store "$S"
t_wait "Парольна фраза:" 10; t_ok $? "unlock prompt in Ukrainian"
t_type Tisa-lantern-47-orbit; t_keys Enter
t_wait "Інциденти" 10; t_ok $? "incidents list in Ukrainian"
t_screen | grep -q "Обстріл"; t_ok $? "Cyrillic data intact"
t_screen | grep -q "Допомога"; t_ok $? "hint bar translated"
t_type ","
t_wait "Клавіші" 5; t_ok $? "help in Ukrainian, opened with the ? key of the Ukrainian layout"
t_keys Escape
t_type "ш"
t_wait "Швидкий запис" 5; t_ok $? "quick capture in Ukrainian"
t_keys Escape
t_type "й"
t_wait_exit 5; t_ok $? "й quits"
t_done
