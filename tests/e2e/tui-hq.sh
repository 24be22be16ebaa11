#!/bin/bash
# HQ's views in the interface: the lists name the unit and the place;
# filters by unit (:unit, U), settlement (:settlement), area (:area) and
# time (:since) pick exactly those records; the severity filter picks
# what it says (pressing 4 used to give "≥ 3"); a search cut at 300 says
# "300 of 305"; conflict values name the unit, not a fingerprint; ':'
# commands work when typed on the Ukrainian layout.
. "$(dirname "$0")/tui-lib.sh"

PW='correct horse battery staple'
c() { local s=$1; shift; CIMIC_PASSPHRASE=$PW "$CIMIC_BIN" --store "$T_DIR/$s" "$@"; }
c hq init --unit HQ --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
c east init --unit "Група Схід" --kdf-ops 1 --kdf-mem 8192 >/dev/null
c hq peer add --name east "$(c east id | head -1)" >/dev/null
c east peer add --name hq --hq "$(c hq id | head -1)" >/dev/null
for sev in 1 2 3 4 5; do
	c east incident add --title "Схід тяжкість $sev" --severity $sev --settlement "Ізюм" \
		--location 49.21,37.26 --when 2026-11-2${sev}T10:00Z >/dev/null
done
X=$(c east incident add --title "Спірний запис" --settlement "Київ" --location 50.45,30.52 --when 2026-11-10T10:00Z)
c hq incident add --title "Штаб у Києві" --severity 2 --settlement "київ" --location 50.44,30.50 \
	--when 2026-11-29T10:00Z >/dev/null
BOX="$T_DIR/box"; mkdir -p "$BOX"
c east sync "$BOX" >/dev/null; c hq sync "$BOX" >/dev/null; c east sync "$BOX" >/dev/null
# a conflict: both change the same field before they exchange again
c hq incident edit "$X" --title "Спірний запис (версія штабу)" >/dev/null
c east incident edit "$X" --title "Спірний запис (версія Сходу)" >/dev/null
c east sync "$BOX" >/dev/null; c hq sync "$BOX" >/dev/null

t_start 80 24 -- --store "$T_DIR/hq"
t_unlock "$PW"; t_ok $? "unlocked"
t_wait "Штаб у Києві" 5
t_screen | grep -q "Place .*Unit"; t_ok $? "at 80 columns the list shows place and unit"
t_screen | grep "Схід тяжкість 3" | grep -q "Ізюм .*Група Схід"; t_ok $? "a row names its place and unit"

t_keys v; t_wait "Lowest severity" 5
t_keys 4
t_wait "severity ≥ 4" 5; t_ok $? "pressing 4 in the severity filter gives ≥ 4"
t_screen | grep -q "^ 2 · "; t_ok $? "two incidents are that severe"
t_screen | grep -q "тяжкість 3"; t_ok $((1 - $?)) "severity 3 is not among them"
t_keys x; t_wait "Filters cleared." 5

t_keys :; t_type "unit east"; t_keys Enter
t_wait "unit east" 5; t_ok $? ":unit NAME filters by unit"
t_screen | grep -q "^ 6 · "; t_ok $? "six incidents by the unit"
t_screen | grep -q "Штаб у Києві"; t_ok $((1 - $?)) "none of HQ's"
t_keys x
t_keys U; t_wait "(all)" 5
t_keys 2   # (all), HQ, then the units HQ enrolled
t_wait "unit HQ" 5; t_ok $? "U picks the unit from a list"
t_screen | grep -q "^ 1 · "; t_ok $? "one incident by HQ"
t_keys x
t_keys :; t_type "settlement КИЇВ"; t_keys Enter
t_wait "· КИЇВ" 5; t_screen | grep -q "^ 2 · "; t_ok $? ":settlement matches Київ and київ in any case"
t_keys x
t_keys :; t_type "area 49,37,49.5,37.5"; t_keys Enter
t_wait "area 49,37,49.5,37.5" 5; t_screen | grep -q "^ 5 · "; t_ok $? ":area S,W,N,E picks the five around Izium"
t_keys :; t_type "since 2026-11-24T00:00Z"; t_keys Enter
t_wait "since 2026-11-24T00:00Z" 5; t_screen | grep -q "^ 2 · "; t_ok $? ":since narrows them to the two after it"
t_keys :; t_type "area 1,2"; t_keys Enter
t_wait "is not an area" 5; t_ok $? "a malformed area is refused with a reason"
t_keys x; t_wait "Filters cleared." 5
t_keys Ж; t_type "гтше ЗЦ"; t_keys Enter   # ":unit HQ" typed with the Ukrainian layout on
t_wait "unit ЗЦ" 5 && t_screen | grep -q "^ 0 · "; t_ok $? "a ':' command word typed on the Ukrainian layout works"
t_keys x

t_keys 4
t_wait "open conflict" 5; t_ok $? "the conflict is listed"
t_screen | grep -q "версія Сходу)  — Група Схід"; t_ok $? "the unit's value names the unit"
t_screen | grep -q "версія штабу)  — HQ (this laptop)"; t_ok $? "HQ's value names HQ"
t_screen | grep -qE "[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}"; t_ok $((1 - $?)) "no fingerprint in the values"

(echo "title,settlement,severity"; for i in $(seq 305); do echo "Пошкоджена лінія $i,Київ,2"; done) >"$T_DIR/lines.csv"
c hq import --format csv "$T_DIR/lines.csv" >/dev/null
t_keys /; t_type "лінія"
t_wait "300 of 305 results" 5; t_ok $? "search says it shows 300 of 305"
t_keys Escape
t_keys q; t_wait_exit 5; t_ok $? "quit"
t_done
