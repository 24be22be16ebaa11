#!/bin/bash
# The Duplicates screen (HQ): M on the Contacts list and :duplicates open
# it; the proposed pair is shown side by side, field by field, and the
# namesake from another organisation is not; m merges only after the
# typed word (a wrong word merges nothing), u brings both back; d
# dismisses the pair ("not the same") and u takes that back.  The CLI,
# on the same store, sees each step.  Incidents: two reports of one
# event, their casualty figures side by side.
. "$(dirname "$0")/tui-lib.sh"

PW='correct horse battery staple'
c() { CIMIC_PASSPHRASE=$PW "$CIMIC_BIN" --store "$T_DIR/hq" "$@"; }
live() { c contact list --json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))"; }
pairs() { c contact duplicates --json | python3 -c "import json,sys; print(len(json.load(sys.stdin)['pairs']))"; }
c init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
c contact add --name "Іван Петренко" --org "Купʼянська МВА" --phone "+380 50 123 4567" >/dev/null
c contact add --name "Петренко Іван Васильович" --org "Куп'янська міська військова адміністрація" \
	--phone "050-123-45-67" --notes "водовоз щочетверга" >/dev/null
c contact add --name "Іван Петренко" --org "Ізюмська районна державна адміністрація" \
	--phone "+380 67 765 4321" >/dev/null
c incident add --title "Обстріл школи №3" --type civilian_harm --when 2026-11-24T13:30Z \
	--location 49.7106,37.6156 --killed 2 >/dev/null
c incident add --title "Обстріл школи" --type civilian_harm --when 2026-11-24T14:10Z \
	--location 49.7120,37.6170 --killed 3 >/dev/null

t_start 100 30 -- --store "$T_DIR/hq"
t_unlock "$PW"; t_ok $? "unlocked"
t_keys 2; t_wait "Ізюмська" 5; t_ok $? "the contacts list"
t_keys M; t_wait "1 candidate pair among 3 contacts" 5; t_ok $? "M on the contacts list opens the duplicates"
t_screen | grep -q "Stays .*Merged in"; t_ok $? "the pair side by side"
t_screen | grep "Phone" | grep -q "+380 50 123 4567 .*050-123-45-67"; t_ok $? "field by field: both phones on one row"
t_screen | grep -q "Why: same phone, same name, same organisation"; t_ok $? "the reasons"
t_screen | grep -q "Ізюмська"; t_ok $((1 - $?)) "the namesake is not proposed"

t_keys m; t_wait "MERGE" 5; t_ok $? "merging asks for the typed word"
t_type "no"; t_keys Enter; t_wait "Not merged." 5; t_ok $? "a wrong word merges nothing"
[ "$(live)" = 3 ]; t_ok $? "all three contacts still listed"
t_keys m; t_wait "MERGE" 5
t_type "MERGE"; t_keys Enter; t_wait "Merged into" 5; t_ok $? "the typed word merges"
[ "$(live)" = 2 ]; t_ok $? "the CLI sees one contact fewer"
t_wait "No duplicate contacts proposed." 5; t_ok $? "the merged pair is no longer proposed"
t_keys u; t_wait "Undone: both records are back as they were." 5; t_ok $? "u undoes the merge"
[ "$(live)" = 3 ]; t_ok $? "the CLI sees both again"

t_keys q; t_wait "Ізюмська" 5
t_keys :; t_type "duplicates"; t_keys Enter
t_wait "1 candidate pair among 3 contacts" 5; t_ok $? ":duplicates opens the screen"
t_keys d; t_wait "Not the same" 5; t_ok $? "d dismisses the pair"
[ "$(pairs)" = 0 ]; t_ok $? "the CLI no longer proposes it"
t_keys u; t_wait "Undone: the pair may be proposed again." 5; t_ok $? "u takes the dismissal back"
[ "$(pairs)" = 1 ]; t_ok $? "the CLI proposes it again"
t_keys :; t_type "duplicates incidents"; t_keys Enter
t_wait "1 candidate pair among 2 incidents" 5; t_ok $? ":duplicates incidents: the same event from two reports"
t_screen | grep "Killed" | grep -Eq "(2 .*3|3 .*2)"; t_ok $? "casualty figures side by side"
t_keys q; t_keys q
t_wait_exit 5; t_ok $? "quits"
t_done
