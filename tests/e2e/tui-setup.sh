#!/bin/bash
# First run: no store -> setup screen (unit, role, passphrase twice with a
# strength hint) -> incidents; then the CLI opens the new store.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_start 80 24 -- --store "$S"
t_wait "first run" 10; t_ok $? "setup screen when there is no store"
t_type "Відділ ЦВС Південь"
t_keys Tab Right Tab
t_type "short"
t_wait "too short" 5; t_ok $? "strength hint while typing"
t_keys C-u
t_type "password1234"; t_keys Tab; t_type "password1234"; t_keys Enter
t_wait "passphrase is too weak" 5
t_ok $? "a weak passphrase (a word and digits) is refused with the reason"
t_keys C-u
t_type "чотири слова для ключа"
t_keys Tab C-u
t_type "інше"
t_keys Enter
t_wait "differ" 5; t_ok $? "different passphrases are refused"
t_keys C-u
t_type "чотири слова для ключа"
t_keys Enter
t_wait "Incidents" 30; t_ok $? "store created, incidents list shown"
t_screen | grep -qF "Відділ ЦВС Південь"; t_ok $? "unit name in the title bar (Cyrillic intact)"
t_keys q
t_wait_exit 5; t_ok $? "q quits"
out=$(CIMIC_PASSPHRASE="чотири слова для ключа" "$CIMIC_BIN" --store "$S" id 2>&1)
echo "$out" | grep -q "hq\|HQ"; t_ok $? "role HQ chosen with Right arrow"
t_done
