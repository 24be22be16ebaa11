#!/bin/bash
# `/` search (Cyrillic, any case, Latin), `?` help from the key table,
# `:` command line, Ukrainian-layout keys.
. "$(dirname "$0")/tui-lib.sh"

S="$T_DIR/store"
t_store "$S" "Unit A" Tisa-lantern-47-orbit
CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" contact add --name "Олена Коваленко" --org "Херсонська ОВА" >/dev/null
CIMIC_PASSPHRASE=Tisa-lantern-47-orbit "$CIMIC_BIN" --store "$S" incident add --title "Water truck needed in Kupiansk" >/dev/null
t_start 80 24 -- --store "$S"
t_unlock Tisa-lantern-47-orbit; t_ok $? "unlocked"
t_keys /
t_wait "Search:" 5; t_ok $? "/ opens search"
t_type "коваленко"
t_wait "Олена Коваленко" 5; t_ok $? "lower-case Cyrillic finds the contact"
t_keys Enter
t_wait "Херсонська ОВА" 5; t_ok $? "Enter opens the result"
t_keys Escape
t_wait "Search:" 5
t_keys C-u
t_type "kupi"
t_wait "Water truck needed" 5; t_ok $? "Latin prefix search"
t_keys Escape
t_wait_gone "Search:" 5
t_keys "?"
t_wait "Keys of Incidents" 5; t_ok $? "? opens help"
t_screen | grep -q "e у"; t_ok $? "help shows the Ukrainian-layout key"
t_screen | grep -q "Archive"; t_ok $? "help lists the list actions"
t_keys End
t_wait "T Е" 5; t_ok $? "global keys further down (End scrolls)"
t_keys Escape
t_wait_gone "Keys of" 5
t_type ","
t_wait "Keys of Incidents" 5; t_ok $? "',' (the ? key on the Ukrainian layout) opens help"
t_keys q
t_wait_gone "Keys of" 5
t_keys :
t_type "contacts"; t_keys Enter
t_wait "Organisation" 5; t_ok $? ":contacts switches screens"
t_type "Ж"
t_type "incidents"; t_keys Enter
t_wait "Water truck" 5; t_ok $? "Ж (the : key on the Ukrainian layout) opens the command line"
t_type "й"
t_wait_exit 5; t_ok $? "й quits"
t_done
