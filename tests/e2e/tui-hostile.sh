#!/bin/bash
# Hostile text in the terminal interface: a contact and an incident whose
# fields hold ESC sequences (clear screen, set the window title, colours),
# C1 controls and bidi overrides, and a file on a courier's drive named
# like that.  The list, the record, the edit form and the Sync screen's
# report show them as visible escapes; the terminal (tmux) never receives them:
# the pane title stays, the screen is not cleared, and nothing turns red.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_store "$S" "Unit A" Tisa-lantern-47-orbit
cc() { CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" "$@"; }
cc contact add --name $'Evil\e]2;PWNED\a\e[2J\e[Hname' --org $'Org\e[31mRED' \
	--notes $'line one\nline two \xc2\x9b7m\e]0;PWNED\a end' >/dev/null
cc incident add --title $'Pipe \u202eburst\u202c at the \e[5mstation' >/dev/null
t_start 100 30 -- --store "$S"
title0=$(tmux -L "$T_SOCK" display -p -t t '#{pane_title}')
t_unlock Tisa-lantern-47-orbit; t_ok $? "unlocked"
t_wait 'Pipe \u202eburst\u202c at the \e[5mstation' 5; t_ok $? "incident list: the override and ESC are shown as escapes"
t_keys :
t_type "contacts"; t_keys Enter
t_wait 'Evil\e]2;PWNED\x07\e[2J\e[Hname' 5; t_ok $? "contact list: the OSC, BEL and clear-screen are shown as escapes"
t_screen | grep -q "Contacts"; t_ok $? "the screen was not cleared (the header is still there)"
t_keys Enter
t_wait 'line two \u009b7m\e]0;PWNED\x07 end' 5; t_ok $? "record: a C1 CSI and an OSC in the notes are shown as escapes"
t_screen | grep -q "line one"; t_ok $? "the note keeps its line break"
t_screen_esc | grep -q $'\e\\[31m'; t_ok $((1 - $?)) "no text turned red: the SGR in the organisation was not obeyed"
t_keys e
t_wait "Edit contact" 5; t_ok $? "e opens the edit form"
t_screen | grep -q 'Evil�]2;PWNED��'; t_ok $? "the form shows a placeholder for each control it keeps"
t_keys Escape
t_wait_gone "Edit contact" 5
t_keys q
# a courier's drive with a file whose name is an escape sequence
BOX="$T_DIR/usb"; mkdir -p "$BOX"
printf '\211CMB\r\n\032\n-not-a-real-bundle-----------------------------------------' \
	>"$BOX/"$'bad\e]2;PWNED\a\e[2J\u202e.cmb'
t_keys 3
t_wait "Mailbox" 5
t_keys :; t_type "dir $BOX"; t_keys Enter
t_wait "1 damaged" 5; t_ok $? "the Sync screen sees the file on the drive"
t_keys r
t_wait "Exchange done" 10
t_screen | grep -F 'REFUSED' | grep -qF 'bad\e]2;PWNED\x07\e[2J\u202e.cmb'; t_ok $? "and names it escaped when it refuses it"
t_keys q
t_wait_exit 5
title1=$(tmux -L "$T_SOCK" display -p -t t '#{pane_title}')
[ "$title1" = "$title0" ] && [ "${title1#*PWNED}" = "$title1" ]; t_ok $? "the pane title was never set ('$title1')"
cc contact list --json | grep -qF 'Evil\u001b]2;PWNED\u0007'; t_ok $? "the stored text is unchanged"
t_done
