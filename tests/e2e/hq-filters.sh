#!/bin/bash
# HQ's list filters on the command line: --unit (unit or roster name,
# any case), --settlement (folded: case and apostrophes), --area
# S,W,N,E, --since, alone and combined, each returning exactly the
# expected records; lists and searches cut by --limit say so ("2 of 5").
. "$(dirname "$0")/link-lib.sh"

mk hq --hq
c east init --unit "Група Схід" --kdf-ops 1 --kdf-mem 8192 >/dev/null
c west init --unit "Unit West" --kdf-ops 1 --kdf-mem 8192 >/dev/null
enrol hq east; enrol hq west
add() { local s=$1; shift; c "$s" incident add "$@" >/dev/null || echo "Bail out! incident add failed"; }
add east --title "Запис E1" --settlement "Київ" --location 50.45,30.52 --when 2026-11-20T10:00Z
add east --title "Запис E2" --settlement "Харків" --location 49.99,36.23 --when 2026-11-28T10:00Z
add west --title "Запис W1" --settlement "київ" --location 50.40,30.60 --when 2026-11-25T10:00Z
add west --title "Запис W2" --settlement "Львів" --location 49.84,24.03 --when 2026-11-10T10:00Z
add hq --title "Запис H1" --settlement "КИЇВ" --location 50.44,30.50 --when 2026-11-29T10:00Z
c east contact add --name "Олена Коваль" --settlement "Суми" >/dev/null
c hq contact add --name "Петро Бондар" --settlement "Київ" >/dev/null
mkdir -p "$T/box"
c east sync "$T/box" >/dev/null; c west sync "$T/box" >/dev/null; c hq sync "$T/box" >/dev/null

titles() { c hq incident list --json "$@" | json 'print(",".join(sorted(r["title"].split()[1] for r in d)))'; }
names() { c hq contact list --json "$@" | json 'print(",".join(sorted(r["name"] for r in d)))'; }

is "$(titles)" "E1,E2,H1,W1,W2" "HQ holds all five incidents"
is "$(titles --unit east)" "E1,E2" "--unit by the name HQ gave the unit"
is "$(titles --unit 'UNIT WEST')" "W1,W2" "--unit by the unit's own name, any case"
is "$(titles --unit 'група СХІД')" "E1,E2" "--unit by a Cyrillic unit name, any case"
is "$(titles --unit hq)" "H1" "--unit HQ's own unit"
is "$(titles --unit nobody)" "" "--unit nobody knows: nothing"
is "$(titles --settlement київ)" "E1,H1,W1" "--settlement folds case (Київ, київ, КИЇВ)"
is "$(titles --settlement Харків)" "E2" "--settlement another place"
is "$(titles --area 50,30,51,31)" "E1,H1,W1" "--area S,W,N,E around Kyiv"
is "$(titles --area '49.5, 36, 50.2, 37')" "E2" "--area with blanks, around Kharkiv"
is "$(titles --since 2026-11-24T00:00Z)" "E2,H1,W1" "--since a time"
is "$(titles --since 241000ZNOV26)" "E2,H1,W1" "--since a DTG"
is "$(titles --unit west --settlement КИЇВ)" "W1" "--unit and --settlement together"
is "$(titles --area 50,30,51,31 --since 2026-11-24T00:00Z)" "H1,W1" "--area and --since together"
is "$(titles --unit east --area 49,24,50,25)" "" "filters that exclude each other: nothing"
is "$(names --unit east)" "Олена Коваль" "contact list --unit"
is "$(names --settlement київ)" "Петро Бондар" "contact list --settlement"
is "$(names --area 50,30,51,31)" "" "contact list --area (no contact has a location)"

c hq incident list --area 1,2,3 >/dev/null 2>"$T/err"; is "$?" 64 "a malformed --area is a usage error"
grep -q "SOUTH,WEST,NORTH,EAST" "$T/err"; ok $? "saying what an area is"
c hq incident list --area 51,30,50,31 >/dev/null 2>&1; is "$?" 64 "south above north is refused"

c hq incident list --limit 2 >"$T/out" 2>"$T/err"
is "$(wc -l <"$T/out")" 2 "--limit 2 lists two"
grep -q "^cimic: incident list: 2 of 5 shown" "$T/err"; ok $? "and says they are 2 of 5"
c hq incident list --limit 5 >/dev/null 2>"$T/err"; is "$(cat "$T/err")" "" "no note when nothing was cut"
c hq search --limit 2 запис >"$T/out" 2>"$T/err"
is "$(wc -l <"$T/out")" 2 "search --limit 2 shows two"
grep -q "^cimic: search: 2 of 5 results shown" "$T/err"; ok $? "and says they are 2 of 5"
c hq incident list --limit 2 --json >"$T/out" 2>/dev/null
json 'print(len(d))' <"$T/out" | grep -qx 2; ok $? "--json stays one document when capped"
c hq incident list | grep "Запис E1" | grep -q "Група Схід"; ok $? "the text list names the unit"
c hq incident list | grep "Запис E1" | grep -q "Київ"; ok $? "and the place"
finish
