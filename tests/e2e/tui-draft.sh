#!/bin/bash
# Nothing typed is lost: a killed process, Ctrl-C, SIGTERM and the idle
# lock keep a draft that the next n/i/e offers back; Esc on a changed
# form asks; typing into a pre-filled field replaces it; Ctrl-Z
# suspends to the shell and fg brings the form back intact.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_store "$S" "Unit A" Tisa-lantern-47-orbit
pane_pid() { tmux -L "$T_SOCK" display -p -t t '#{pane_pid}'; }

# 1. a killed process: the draft written while typing comes back on n
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit; t_ok $? "unlocked"
t_keys i
t_wait "Quick capture" 5; t_ok $? "quick capture"
t_type "Прорив водогону на Сумській"
t_wait "Прорив водогону на Сумській" 5
t_wait "Draft kept" 5; t_ok $? "the form says a draft is kept"
kill -9 "$(pane_pid)"
t_wait_exit 5; t_ok $? "the process is killed mid-form"
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit
t_keys n
t_wait "kept as a draft" 5; t_ok $? "n offers the draft of the killed process"
t_keys Enter
t_wait "New incident" 5
t_screen | grep -q "Прорив водогону на Сумській"; t_ok $? "the typed title is back"

# 2. Esc on a changed form asks; Enter keeps editing
t_keys Escape
t_wait "Leave this form?" 5; t_ok $? "Esc on a changed form asks"
t_keys Enter
t_wait_gone "Leave this form?" 5
t_screen | grep -q "Прорив водогону на Сумській"; t_ok $? "Enter keeps editing, the text is there"

# 3. Ctrl-C keeps the draft and leaves; i offers it back
t_keys C-c
t_wait "Draft kept; the next n or e offers it back" 5; t_ok $? "Ctrl-C leaves and keeps a draft"
t_keys i
t_wait "kept as a draft" 5; t_ok $? "i offers the draft back"
t_keys Enter
t_wait "Прорив водогону на Сумській" 5; t_ok $? "the draft is in the form"

# 4. typing into a pre-filled field replaces its value
t_keys Tab Tab Tab
t_type "37U DQ 12345 67890"
t_keys Tab
t_wait "= 49.3574" 5
t_screen | grep -qE "Location +37U DQ 1234[45] 67890 +="; t_ok $? "typing into the location replaces, not appends"
t_keys C-s
t_wait "Saved «Прорив водогону на Сумській»" 5; t_ok $? "saved"
t_keys n
t_wait "New incident" 5
t_screen | grep -q "kept as a draft"; t_ok $((1 - $?)) "a saved form leaves no draft behind"
t_screen | grep -qE "Location +37U DQ 1234[45] 67890 +="; t_ok $? "the last location is pre-filled"
t_keys Escape
t_wait "nothing was changed" 5; t_ok $? "Esc on an unchanged form leaves at once"

# 5. Esc, discard: the draft is gone
t_keys i
t_wait "Quick capture" 5
t_type "Чернетка на викид"
t_keys Escape
t_wait "Leave this form?" 5
t_keys 3
t_wait "Discarded; nothing was changed." 5; t_ok $? "Esc, 3 discards"
t_keys i
t_wait "Quick capture" 5
t_screen | grep -q "kept as a draft"; t_ok $((1 - $?)) "a discarded form offers no draft"
t_keys Escape

# 6. SIGTERM with a form open keeps the draft
t_keys i
t_wait "Quick capture" 5
t_type "Під час сигналу"
t_wait "Під час сигналу" 5
kill -TERM "$(pane_pid)"
t_wait_exit 5; t_ok $? "SIGTERM ends the program"
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit
t_keys i
t_wait "kept as a draft" 5; t_ok $? "the draft of a terminated process is offered"
t_keys Enter
t_wait "Під час сигналу" 5; t_ok $? "its text is back"
t_keys C-c
t_keys q
t_wait_exit 5

# 7. the idle lock keeps a draft, and the form is there after unlock
mkdir -p "$XDG_CONFIG_HOME/cimic"
printf 'autolock = 2\n' >"$XDG_CONFIG_HOME/cimic/tui.conf"
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit
t_keys i
t_wait "kept as a draft" 5
t_keys 2
t_wait "Quick capture" 5
t_type "Перед блокуванням"
t_wait "Перед блокуванням" 5
t_wait "Locked. Enter the passphrase" 10; t_ok $? "the form locks after idle"
t_screen | grep -q "Перед блокуванням"; t_ok $((1 - $?)) "nothing typed on the lock screen"
kill -9 "$(pane_pid)"
t_wait_exit 5
rm -f "$XDG_CONFIG_HOME/cimic/tui.conf"
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit
t_keys i
t_wait "kept as a draft" 5; t_ok $? "the lock kept a draft (killed while locked)"
t_keys Enter
t_wait "Перед блокуванням" 5; t_ok $? "its text is back"
t_keys C-c
t_keys q
t_wait_exit 5

# 8. Ctrl-Z suspends to the shell; fg brings the form back intact
tmux -L "$T_SOCK" kill-server >/dev/null 2>&1
T_RUN=$((T_RUN + 1)); T_SOCK="cimic-test-$$-$T_RUN"
tmux -L "$T_SOCK" -u -f /dev/null new-session -d -s t -x 80 -y 24 \
	env TERM="${T_TERM:-tmux-256color}" LANG=C.UTF-8 LC_ALL=C.UTF-8 PS1='shell$ ' bash --norc --noprofile -i
tmux -L "$T_SOCK" set -g escape-time 0
t_wait 'shell$' 5
t_type "$CIMIC_BIN --store $S"; t_keys Enter
t_unlock Tisa-lantern-47-orbit
t_keys i
t_wait "kept as a draft" 5
t_keys Enter
t_wait "Quick capture" 5
t_keys C-z
t_wait "Stopped" 5; t_ok $? "Ctrl-Z suspends to the shell"
t_type "fg"; t_keys Enter
t_wait "Quick capture" 5; t_ok $? "fg comes back to the form"
t_screen | grep -q "Перед блокуванням"; t_ok $? "the typed text is intact"
t_type " і далі"
t_wait "Перед блокуванням і далі" 5; t_ok $? "typing goes on"
t_keys C-s
t_wait "Saved «Перед блокуванням і далі»" 5; t_ok $? "saved after resume"
t_keys q
t_wait 'shell$' 5
# 9. the settlement picker never moves a typed grid without asking
G="${CIMIC_SHARED_DATA:-}/places/geonames-postal-UA.txt"
if [ -r "$G" ]; then
	CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" import --format geonames "$G" >/dev/null
	t_start 80 24 -- --store "$S"
	t_unlock Tisa-lantern-47-orbit
	t_keys i
	t_wait "Quick capture" 5
	t_type "Сітка проти центру міста"
	t_keys Tab Tab Tab
	t_type "37U DQ 12345 67890"
	t_keys Tab
	t_wait "= 49.3574" 5
	t_type "Харків"
	t_keys C-p
	t_wait "Settlement" 5
	t_keys Enter
	t_wait "Replace the location" 5; t_ok $? "picking a settlement asks before replacing a typed grid"
	t_keys Enter
	t_wait_gone "Replace the location" 5
	t_screen | grep -qE "Location +37U DQ 1234[45] 67890"; t_ok $? "Enter keeps the typed grid"
	t_keys C-p
	t_wait "Settlement" 5
	t_keys Enter
	t_wait "Replace the location" 5
	t_keys 2
	t_wait_gone "Replace the location" 5
	t_screen | grep -qE "Location +37U DQ 1234[45] 67890"; t_ok $((1 - $?)) "2 takes the settlement centre"
	t_screen | grep -qE "Location +37U"; t_ok $? "the location is still a grid"
	t_keys C-c
	t_wait "Draft kept" 5
	t_keys q
	t_wait_exit 5
else
	echo "# SKIP picker: no gazetteer data at $G"
fi

json=$(CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident list --json)
echo "$json" | grep -qF "Прорив водогону на Сумській"; t_ok $? "the recovered draft was saved"
echo "$json" | grep -qF "Перед блокуванням і далі"; t_ok $? "the suspended form was saved"
echo "$json" | grep -qF "Чернетка на викид"; t_ok $((1 - $?)) "the discarded form wrote nothing"
t_done
