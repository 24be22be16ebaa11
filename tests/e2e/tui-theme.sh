#!/bin/bash
# Themes: T cycles to night (dim red on black), the choice is kept in
# tui.conf; NO_COLOR gives monochrome.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_store "$S" "Unit A" Tisa-lantern-47-orbit
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit; t_ok $? "unlocked"
# Press T until the night theme is announced; wait for each new name so a
# slow redraw on a loaded machine is never taken for the previous one.
last=""
for i in 1 2 3 4; do
	t_screen | grep -q "Theme: night" && break
	t_keys T
	for _ in $(seq 1 300); do
		now=$(t_screen | grep -o "Theme: [a-z]*" | head -1)
		[ -n "$now" ] && [ "$now" != "$last" ] && break
		sleep 0.05
	done
	last=$now
done
t_wait "Theme: night" 15; t_ok $? "T reaches the night theme"
t_screen_esc | grep -qE '38;5;(196|203)m|91m|31m'; t_ok $? "night theme draws in red"
t_screen_esc | grep -qE '\[(7|1)m|;7m|;1m'; t_ok $((1 - $?)) "night theme has no reverse or bold (no lit bars)"
grep -q "theme = night" "$XDG_CONFIG_HOME/cimic/tui.conf"; t_ok $? "choice saved in tui.conf"
t_keys q
t_wait_exit 5
t_start 80 24 -- --store "$S"
t_wait "Passphrase:" 10
t_screen_esc | grep -qE '38;5;(196|203)m|91m|31m'; t_ok $? "unlock prompt is already night-themed"
t_type Tisa-lantern-47-orbit; t_keys Enter
t_wait "Incidents" 10
# the whole command typed on the Ukrainian layout: Ж is ':', "еруьу вфн" is "theme day"
t_type "Жеруьу вфн"; t_keys Enter
t_wait "Theme: day" 5; t_ok $? ":theme day typed on the Ukrainian layout"
tmux -L "$T_SOCK" kill-server
t_start 80 24 NO_COLOR=1 -- --store "$S"
t_unlock Tisa-lantern-47-orbit
t_screen_esc | grep -qE '\[3[0-7]m|;3[0-7]m|38;5;'; t_ok $((1 - $?)) "NO_COLOR: no colours"
t_screen_esc | grep -qE '\[7m|;7m'; t_ok $? "NO_COLOR: monochrome uses reverse video"
t_done
