#!/bin/bash
# A few thousand random keys (Latin, Cyrillic, control, function keys)
# and resizes; the program must stay alive and the store intact.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
CIMIC_PASSPHRASE=demo "$CIMIC_BIN" --store "$S" demo >/dev/null 2>&1
mkdir -p "$XDG_CONFIG_HOME/cimic"
printf 'autolock = 0\n' >"$XDG_CONFIG_HOME/cimic/tui.conf"
t_start 80 24 -- --store "$S"
t_unlock demo; t_ok $? "unlocked"
# q, й (q on the Ukrainian layout), ^C and F10 quit: left out so the run goes on
keys=(a b c d e f g h i j k l m n o p r s t u v w x y z A D G L T B 1 2 3 4 5 6 / : ? . , ц у к е н ш щ з х ї ф і в а п р о л д ж є я ч с м и т ь б ю Ж
      Up Down Left Right PageUp PageDown Home End Enter Escape Tab BTab BSpace DC F1 F2 F3 F4 F5 Space
      C-a C-b C-d C-e C-f C-g C-k C-l C-p C-s C-u C-w C-y)
sizes=("80 24" "60 20" "120 40" "40 10" "20 5" "100 30")
RANDOM=${SEED:-4242}
t_relock() {   # L locks: clear the prompt, unlock, go on
	if t_screen | grep -q "Passphrase:"; then
		t_keys Escape; t_type demo; t_keys Enter
		t_wait_gone "Passphrase:" 10
	fi
}
n=0
for round in $(seq 1 60); do
	batch=()
	for i in $(seq 1 50); do batch+=("${keys[$((RANDOM % ${#keys[@]}))]}"); done
	t_keys "${batch[@]}"
	n=$((n + 50))
	[ $((round % 10)) -eq 0 ] && t_resize ${sizes[$((RANDOM % ${#sizes[@]}))]}
	if ! t_alive; then break; fi
	# a lock screen could appear via L: unlock and go on
	t_relock
done
t_relock
t_alive; t_ok $? "alive after $n random keys and resizes"
t_resize 80 24
# back to a list: Esc, and where a changed form asks, discard (3)
for i in 1 2 3 4 5; do
	t_keys Escape
	t_wait "Leave this form?" 1 && t_keys 3 && t_wait_gone "Leave this form?" 5
done
t_keys 1
t_wait "Incidents" 10; t_ok $? "still answers"
tmux -L "$T_SOCK" kill-server
CIMIC_PASSPHRASE=demo "$CIMIC_BIN" --store "$S" check >/dev/null 2>&1; t_ok $? "cimic check: store intact"
t_done
