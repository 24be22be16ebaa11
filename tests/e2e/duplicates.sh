#!/usr/bin/env bash
# duplicates.sh - end-to-end: two units enter the same hromada head in
# another name order, apostrophe and phone format; HQ's `contact
# duplicates` proposes the pair and not a namesake from another
# organisation with another phone.  After the merge, search by the
# loser's notes finds the winner, the loser's incident shows on the
# winner with the loser's other values, the merge reaches the units
# through the USB mailbox, and unmerge restores both.  A dismissed pair
# is not proposed again, and the dismissal replicates too.  Incidents:
# the same event from two units is proposed, merged side by side.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='correct horse battery staple'
USB="$T/usb"
mkdir -p "$USB"
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }
c() { local s=$1; shift; "$BIN" --store "$T/$s" "$@"; }
exchange() { for s in "$@"; do c "$s" sync "$USB" >/dev/null || fails=$((fails+1)); done; }

c hq init --unit "ГШ ЦВС" --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
for u in u1 u2 u3; do c "$u" init --unit "Група $u" --kdf-ops 1 --kdf-mem 8192 >/dev/null; done
HQID=$(c hq id | head -1)
for u in u1 u2 u3; do
	c hq peer add --name "$u" "$(c "$u" id | head -1)" >/dev/null || fails=$((fails+1))
	c "$u" peer add --name hq --hq "$HQID" >/dev/null || fails=$((fails+1))
done

# ---- two units meet the same man; a third knows his namesake ----
A=$(c u1 contact add --name "Іван Петренко" --org "Купʼянська МВА" --phone "+380 50 123 4567" \
	--category military_administration)
B=$(c u2 contact add --name "Петренко Іван Васильович" --org "Куп'янська міська військова адміністрація" \
	--phone "050-123-45-67" --email "petrenko@kupiansk.example" --notes "домовились про водовоз щочетверга")
N=$(c u3 contact add --name "Іван Петренко" --org "Ізюмська районна державна адміністрація" \
	--phone "+380 67 765 4321")
INC=$(c u2 incident add --title "Немає води у ліцеї" --type utility_outage --contact "$B")
ok $? "the second unit links an incident to its contact"
exchange u1 u2 u3 hq u1 u2 u3

DUP=$(c hq contact duplicates --json)
is "$(echo "$DUP" | json "print(any({p['a'],p['b']}=={'$A','$B'} for p in d['pairs']))")" True \
	"HQ's duplicates list the pair entered by two units"
is "$(echo "$DUP" | json "print([sorted(p['reasons']) for p in d['pairs'] if {p['a'],p['b']}=={'$A','$B'}][0])")" \
	"['name', 'org', 'phone']" "the reasons: same name in another order, organisation, phone"
is "$(echo "$DUP" | json "print(any('$N' in (p['a'],p['b']) for p in d['pairs']))")" False \
	"the namesake with another phone and organisation is not proposed"
c hq contact duplicates | grep -q "Петренко Іван Васильович"
ok $? "the text listing names both sides"
c u1 contact merge "$B" "$A" 2>/dev/null
is $? 77 "a field unit does not merge"
c hq contact duplicates --dismiss "$A" 2>/dev/null
is $? 64 "dismiss needs two ids"

# ---- HQ merges: the unit's entry wins, nothing of the other is lost ----
c hq contact merge "$B" "$A" 2>/dev/null
ok $? "HQ merges the second entry into the first"
is "$(c hq search "водовоз" --json | json "print([h['id'] for h in d])")" "['$A']" \
	"search by the loser's notes finds the winner"
SHOW=$(c hq contact show "$A" --json)
is "$(echo "$SHOW" | json "print(d['merged_from'])")" "['$B']" "the winner shows what was merged into it"
is "$(echo "$SHOW" | json "print([l['id'] for l in d['linked']])")" "['$INC']" \
	"the loser's incident shows on the winner"
is "$(echo "$SHOW" | json "print(d['email'], d['notes'])")" "petrenko@kupiansk.example домовились про водовоз щочетверга" \
	"the winner shows the loser's values where it had none"
is "$(echo "$SHOW" | json "print(sorted(a['field'] for a in d['alternatives']))")" "['name', 'org', 'phone']" \
	"conflicting values are kept as alternatives"
c hq contact show "$A" | grep -q "050-123-45-67"
ok $? "the text view shows the loser's phone"
is "$(c hq incident show "$INC" --json | json "print([l['id'] for l in d['linked']])")" "['$A']" \
	"the incident names the winner"
is "$(c hq contact duplicates --json | json "print(any('$B' in (p['a'],p['b']) for p in d['pairs']))")" False \
	"a merged contact is no longer proposed"

# ---- the merge reaches the units ----
exchange hq u1 u2
is "$(c u2 contact show "$B" --json | json "print(d['merged_into'])")" "$A" "the merge reached the second unit"
is "$(c u2 contact list --json | json "print(sum(1 for r in d if r['id']=='$B'))")" 0 \
	"the unit's list no longer shows the loser"
is "$(c u1 contact show "$A" --json | json "print(d['merged_from'])")" "['$B']" \
	"the first unit sees the merged entry on its contact"

# ---- unmerge restores both ----
c hq contact unmerge "$B" 2>/dev/null
ok $? "HQ unmerges"
SHOW=$(c hq contact show "$A" --json)
is "$(echo "$SHOW" | json "print(d['merged_from'], d['linked'], d.get('email'), d['alternatives'])")" "[] [] None []" \
	"the winner is as it was"
is "$(c hq search "водовоз" --json | json "print([h['id'] for h in d])")" "['$B']" \
	"search finds the loser again"
is "$(c hq contact show "$B" --json | json "print(d.get('merged_into'), [l['id'] for l in d['linked']])")" \
	"None ['$INC']" "the loser is back with its incident"
exchange hq u2
is "$(c u2 contact list --json | json "print(sum(1 for r in d if r['id']=='$B'))")" 1 "the unmerge reached the unit"

# ---- dismissing: not the same person, remembered and replicated ----
c hq contact duplicates --dismiss "$A" "$B" 2>/dev/null
ok $? "HQ dismisses the pair"
is "$(c hq contact duplicates --json | json "print(any({p['a'],p['b']}=={'$A','$B'} for p in d['pairs']))")" False \
	"a dismissed pair is not proposed again"
exchange hq u1
is "$(c u1 contact show "$A" --json | json "print(d['distinct_from'])")" "$B" "the dismissal reached the unit"
c hq contact duplicates --undismiss "$A" "$B" 2>/dev/null
is "$(c hq contact duplicates --json | json "print(any({p['a'],p['b']}=={'$A','$B'} for p in d['pairs']))")" True \
	"an undone dismissal proposes the pair again"

# ---- incidents: the same shelling from two units ----
I1=$(c u1 incident add --title "Обстріл школи №3" --type civilian_harm --when 2026-11-24T13:30Z \
	--location 49.7106,37.6156 --settlement "Купʼянськ" --killed 2 --injured 5)
I2=$(c u2 incident add --title "Обстріл школи" --type civilian_harm --when 2026-11-24T14:10Z \
	--location 49.7120,37.6170 --settlement "Куп'янськ" --killed 3 --injured 4)
I3=$(c u3 incident add --title "Обстріл школи" --type civilian_harm --when 2026-11-24T13:40Z \
	--location 49.2100,37.2500 --settlement "Ізюм" --killed 1)
exchange u1 u2 u3 hq
DUP=$(c hq incident duplicates --json)
is "$(echo "$DUP" | json "print(any({p['a'],p['b']}=={'$I1','$I2'} for p in d['pairs']))")" True \
	"the same event from two units is proposed"
is "$(echo "$DUP" | json "print(any('$I3' in (p['a'],p['b']) for p in d['pairs']))")" False \
	"the same type at the same hour in another town is not"
c hq incident merge "$I2" "$I1" 2>/dev/null
ok $? "HQ merges the incidents"
SHOW=$(c hq incident show "$I1" --json)
is "$(echo "$SHOW" | json "print(d['killed'], d['injured'], sorted((a['field'], a['value']) for a in d['alternatives'] if a['field'] in ('killed','injured')))")" \
	"2 5 [('injured', '4'), ('killed', '3')]" "casualty figures stay side by side, never summed"
is "$(c hq incident list --json | json "print(sum(1 for r in d if r['id']=='$I2'))")" 0 "the merged incident leaves the list"
c hq incident unmerge "$I2" 2>/dev/null
is "$(c hq incident list --json | json "print(sum(1 for r in d if r['id'] in ('$I1','$I2')))")" 2 "unmerge brings it back"

echo "1..$n"
[ "$fails" -eq 0 ]
