#!/usr/bin/env bash
# publish.sh - end-to-end: `cimic publish` into a real PostgreSQL with
# PostGIS that this test starts itself (pg-lib.sh: a throw-away cluster on
# a private socket) and removes at exit.  Two HQ stores publish into one
# database the way national staff would set it up: a login role with a
# password in a passfile, a database it owns, PostGIS installed by the
# superuser.  Checks: counts match the store, points are lon/lat in
# EPSG:4326, a second run changes nothing (row xmin unchanged), an edit, a
# new record and an archive arrive, conflicts and units, two HQs converge
# and an out-of-date HQ cannot roll a record back, a run that fails leaves
# the database and the store as they were, a stopped server is exit 69 in
# one line, a schema that is not cimic's is refused, a password on the
# command line is refused, services and --to-file work.
set -u
BIN=${CIMIC_BIN:?CIMIC_BIN not set}
. "$(dirname "$0")/pg-lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/cimic-e2e-XXXXXX")
trap 'pg_cleanup; rm -rf "$T"' EXIT
export CIMIC_PASSPHRASE='vyshyvanka orbit seven lantern'
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails+1)); fi; }
is() { n=$((n+1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', expected '$2'"; fails=$((fails+1)); fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }
c() { local s=$1; shift; "$BIN" --store "$T/$s" "$@"; }
q() { pgsql -d picture -F '|' -c "$1"; }

pg_start
# The setup cimic(1) PUBLISHING describes: the HQs' login roles act as one
# group role that owns the database; PostGIS by the administrator; readers
# get SELECT on whatever the group creates.
SECRET='natpic-Passw0rd-in-passfile'
pgsql -d postgres >/dev/null <<SQL
CREATE ROLE cimic_publisher NOLOGIN;
CREATE ROLE natpic LOGIN PASSWORD '$SECRET' IN ROLE cimic_publisher;
CREATE ROLE south LOGIN PASSWORD 'south-Passw0rd-2' IN ROLE cimic_publisher;
ALTER ROLE natpic SET role = 'cimic_publisher';
ALTER ROLE south SET role = 'cimic_publisher';
CREATE ROLE analyst LOGIN PASSWORD 'analyst-Passw0rd-3';
CREATE DATABASE picture OWNER cimic_publisher;
GRANT CONNECT ON DATABASE picture TO analyst;
CREATE DATABASE other;
CREATE DATABASE plain OWNER natpic;
SQL
pgsql -d picture >/dev/null <<SQL
CREATE EXTENSION postgis;
ALTER DEFAULT PRIVILEGES FOR ROLE cimic_publisher GRANT USAGE ON SCHEMAS TO analyst;
ALTER DEFAULT PRIVILEGES FOR ROLE cimic_publisher GRANT SELECT ON TABLES TO analyst;
SQL
pgsql -d other -c "CREATE EXTENSION postgis" -c "CREATE SCHEMA cimic" \
	-c "CREATE TABLE cimic.incidents (id int)" >/dev/null
{
	echo "$PGT_HOST:$PGT_PORT:*:natpic:$SECRET"
	echo "$PGT_HOST:$PGT_PORT:*:south:south-Passw0rd-2"
	echo "$PGT_HOST:$PGT_PORT:*:analyst:analyst-Passw0rd-3"
} >"$T/pgpass"
chmod 600 "$T/pgpass"
export PGPASSFILE="$T/pgpass"
SOCK=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PGT_HOST")
URI="postgresql://natpic@$SOCK:$PGT_PORT/picture"
URI2="postgresql://south@$SOCK:$PGT_PORT/picture"
pub() { local s=$1 u=$URI; shift; [ "$s" = hq2 ] && u=$URI2; c "$s" publish --to "$u" "$@"; }

# ---- HQ 1: a small picture ----
c hq1 init --unit "ГШ ЦВС «Схід»" --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
C1=$(c hq1 contact add --name "Наталія Шевчук" --org "КП «Харківводоканал»" --category utility \
	--location "49.9808,36.2527" --notes "$(printf 'line one\tTAB\nline two \\ backslash')")
C2=$(c hq1 contact add --name "Petra Lindqvist" --org ICRC --category ngo)
I1=$(c hq1 incident add --title "Пошкоджено водогін" --type infrastructure_damage --severity 4 \
	--when 241330ZNOV26 --location "37U DQ 12345 67890" --settlement "Ізюм" --contact "${C1:0:8}")
I2=$(c hq1 incident add --title "Евакуація" --type evacuation --location "-33.8688,151.2093")
I3=$(c hq1 incident add --title "Без координат" --status verified)
ok $? "HQ 1 has contacts, incidents and a link"

out=$(pub hq1 --json)
ok $? "the first run publishes (passfile, a role that owns its database)"
echo "$out" | json 'assert d["created"] and d["sent"]["incidents"]==3 and d["sent"]["contacts"]==2 and d["sent"]["links"]==1, d'
ok $? "the first run sent every record and created the schema"
is "$(q "SELECT version FROM cimic.schema_version")" 1 "cimic.schema_version says version 1"
is "$(q "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'cimic'")" cimic_publisher \
	"the schema belongs to the publishers' group role"

# ---- counts, points, columns ----
c hq1 export --format json --archived >"$T/export1.json"
for t in contacts incidents links; do
	is "$(q "SELECT count(*) FROM cimic.$t")" "$(json "print(len(d['$t']))" <"$T/export1.json")" \
		"cimic.$t has as many rows as the store"
done
q "SELECT id, ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM cimic.incidents WHERE geom IS NOT NULL" >"$T/points"
python3 - "$T/export1.json" "$T/points" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = {r["id"]: (r["lon"], r["lat"]) for r in d["incidents"] if "lat" in r}
got = {}
for line in open(sys.argv[2]):
    i, x, y, srid = line.strip().split("|")
    assert srid == "4326", srid
    got[i] = (float(x), float(y))
assert set(got) == set(want), (got, want)
for i in want:
    assert abs(got[i][0] - want[i][0]) < 1e-9 and abs(got[i][1] - want[i][1]) < 1e-9, (got[i], want[i])
PY
ok $? "PostGIS points are x = lon, y = lat of the store's location, SRID 4326 (southern, eastern too)"
is "$(q "SELECT count(*) FROM cimic.incidents WHERE geom IS NULL AND lat IS NULL")" 1 \
	"an incident without a location has no point"
is "$(q "SELECT type, type_en, type_uk, severity, to_char(\"when\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM cimic.incidents WHERE id='$I1'")" \
	"infrastructure_damage|infrastructure damage|пошкодження інфраструктури|4|2026-11-24 13:30" \
	"code, English and Ukrainian labels, the time in \"when\""
HQ1KEY=$(q "SELECT hq FROM cimic.publishers")
is "$(q "SELECT unit, unit_key = '$HQ1KEY', hq_unit, archived FROM cimic.incidents WHERE id='$I3'")" \
	"ГШ ЦВС «Схід»|t|ГШ ЦВС «Схід»|f" "who reported it (unit, key), which HQ published it, not archived"
is "$(q "SELECT notes FROM cimic.contacts WHERE id='$C1'")" "$(printf 'line one\tTAB\nline two \\ backslash')" \
	"tabs, line breaks and backslashes arrive unchanged"
is "$(q "SELECT incident || contact FROM cimic.links")" "$I1$C1" "the link names its incident and contact"
is "$(q "SELECT count(*) FROM cimic.codes WHERE list='type' AND label_uk <> label_en")" 11 \
	"code lists with Ukrainian labels"
is "$(q "SELECT count(*) FROM pg_indexes WHERE schemaname='cimic' AND indexdef LIKE '%USING gist (geom)%'")" 2 \
	"GiST indexes on the points"
is "$(psql -X -A -t "postgresql://analyst@$SOCK:$PGT_PORT/picture" -c "SELECT count(*) FROM cimic.incidents WHERE NOT archived")" 3 \
	"a reader role granted as cimic(1) says reads the picture"

# ---- a second run changes nothing ----
snap() { q "SELECT string_agg(id || ':' || xmin::text, ',' ORDER BY id) FROM (
	SELECT id, xmin FROM cimic.incidents UNION ALL SELECT id, xmin FROM cimic.contacts UNION ALL
	SELECT id, xmin FROM cimic.links UNION ALL SELECT key || hq, xmin FROM cimic.units UNION ALL
	SELECT hq, xmin FROM cimic.publishers UNION ALL SELECT list || code, xmin FROM cimic.codes) x"; }
before=$(snap)
status_before=$(c hq1 publish --status --json)
out=$(pub hq1 --json)
ok $? "a second run"
echo "$out" | json 'assert sum(d["sent"].values())==0 and sum(d["written"].values())==0, d'
ok $? "a second run sends nothing and writes nothing"
is "$(snap)" "$before" "a second run changes nothing (every row keeps its xmin)"
is "$(c hq1 publish --status --json)" "$status_before" "a second run leaves the watermark where it was"

# ---- an edit, a new record, an archive ----
c hq1 incident edit "$I1" --title "Пошкоджено водогін, ремонт" --severity 5 >/dev/null
I4=$(c hq1 incident add --title "Нерозірваний боєприпас" --type uxo --location "48.5,35.0")
c hq1 incident rm "$I2" >/dev/null
x3=$(q "SELECT xmin FROM cimic.incidents WHERE id='$I3'")
out=$(pub hq1 --json)
echo "$out" | json 'assert d["sent"]["incidents"]==3 and d["written"]["incidents"]==3, d'
ok $? "the next run sends exactly the edited, the new and the archived incident"
is "$(q "SELECT title, severity FROM cimic.incidents WHERE id='$I1'")" "Пошкоджено водогін, ремонт|5" "the edit arrived"
is "$(q "SELECT title, type_uk FROM cimic.incidents WHERE id='$I4'")" "Нерозірваний боєприпас|нерозірвані боєприпаси" \
	"the new incident arrived"
is "$(q "SELECT archived FROM cimic.incidents WHERE id='$I2'")" t "the archived incident is marked archived"
is "$(q "SELECT xmin FROM cimic.incidents WHERE id='$I3'")" "$x3" "an unchanged incident was not touched"

# ---- credentials ----
"$BIN" --store "$T/hq1" publish --to "postgresql://natpic:$SECRET@localhost:$PGT_PORT/picture" 2>"$T/err"
is $? 64 "a password on the command line is refused"
grep -q "$SECRET" "$T/err"
is $? 1 "... and the refusal does not repeat it"
c hq1 publish --to "host=$PGT_HOST port=$PGT_PORT dbname=picture user=natpic password='$SECRET' port=x=y" 2>"$T/err"
grep -q "$SECRET" "$T/err"
is $? 1 "a connection string libpq cannot parse is reported without its password"
printf '# the national picture\nhost=%s port=%s dbname=picture user=natpic password=%s\n' \
	"$PGT_HOST" "$PGT_PORT" "$SECRET" >"$T/target"
chmod 644 "$T/target"
PGPASSFILE=/dev/null c hq1 publish --to-file "$T/target" 2>/dev/null
is $? 77 "--to-file refuses a password in a file other users can read"
chmod 600 "$T/target"
PGPASSFILE=/dev/null c hq1 publish --to-file "$T/target" >/dev/null
ok $? "--to-file FILE (mode 0600) carries the password"
printf '[picture]\nhost=%s\nport=%s\ndbname=picture\nuser=natpic\n' "$PGT_HOST" "$PGT_PORT" >"$T/services"
PGSERVICEFILE="$T/services" c hq1 publish --to "postgresql:///?service=picture" >/dev/null
ok $? "a service (postgresql:///?service=NAME) names the database"
PGSERVICEFILE="$T/services" PGSERVICE=picture c hq1 publish --to postgresql:// >/dev/null
ok $? "PGSERVICE with an empty URI works too"
c hq1 publish --to "$URI?sslmode=bogus" 2>"$T/err"
is $? 69 "TLS settings reach libpq (an invalid sslmode is refused by it)"
grep -q sslmode "$T/err"
ok $? "... and the message says so"

# ---- a failed run leaves the database and the store as they were ----
pgsql -d picture -c "CREATE FUNCTION public.refuse_boom() RETURNS trigger LANGUAGE plpgsql AS
	\$\$ BEGIN IF NEW.title = 'BOOM' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END \$\$;
	CREATE TRIGGER refuse_boom BEFORE INSERT OR UPDATE ON cimic.incidents FOR EACH ROW
	EXECUTE FUNCTION public.refuse_boom();" >/dev/null
C3=$(c hq1 contact add --name "Олег Бондар" --category volunteer)
c hq1 incident add --title BOOM >/dev/null
before=$(snap); status_before=$(c hq1 publish --status --json)
pub hq1 2>"$T/err"
rc=$?
ok $((rc == 0)) "a run the database refuses fails (exit $rc)"
is "$(wc -l <"$T/err")" 1 "... with one line"
is "$(q "SELECT count(*) FROM cimic.contacts WHERE id='$C3'")" 0 "... and the contact sent before the refusal is not there"
is "$(snap)" "$before" "... nothing in the database changed"
is "$(c hq1 publish --status --json)" "$status_before" "... the watermark did not move"
pgsql -d picture -c "DROP TRIGGER refuse_boom ON cimic.incidents" >/dev/null
pub hq1 --json | json 'assert d["sent"]["contacts"]==1 and d["sent"]["incidents"]==1, d'
ok $? "the next run sends what the failed one could not"

# ---- a stopped server ----
pg_stop
status_before=$(c hq1 publish --status --json)
pub hq1 >"$T/out" 2>"$T/err"
is $? 69 "a server that does not answer is exit 69"
is "$(wc -l <"$T/err")" 1 "... in one line"
grep -q "^cimic: publish: cannot connect to" "$T/err"
ok $? "... that says what failed"
is "$(c hq1 publish --status --json)" "$status_before" "... and the store's watermark is unchanged"
c hq1 check >/dev/null
ok $? "... and the store checks clean"
pg_restart

# ---- schemas that are not cimic's ----
OTHER_URI=${URI%/picture}/other
c hq1 publish --to "$OTHER_URI" 2>"$T/err"
is $? 73 "a schema \"cimic\" that cimic did not make is refused"
grep -q "no cimic.schema_version" "$T/err"
ok $? "... with the reason"
is "$(pgsql -d other -c "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema='cimic'")" \
	incidents "... and nothing was written into it"
c hq1 publish --to "${URI%/picture}/plain" 2>"$T/err"
is $? 69 "a database without PostGIS is refused"
grep -q "CREATE EXTENSION postgis" "$T/err"
ok $? "... saying what the administrator must do"

# ---- schema versions and new fields ----
pgsql -d picture -c "UPDATE cimic.schema_version SET version = 99" >/dev/null
pub hq1 2>"$T/err"
is $? 73 "a schema made by a newer cimic is refused"
grep -q "upgrade cimic" "$T/err"
ok $? "... with what to do"
pgsql -d picture -c "UPDATE cimic.schema_version SET version = 1" \
	-c "ALTER TABLE cimic.incidents DROP COLUMN followup" >/dev/null
pub hq1 >/dev/null
ok $? "a table that lacks a field's column (made by an older cimic)"
is "$(q "SELECT data_type FROM information_schema.columns WHERE table_schema='cimic' AND table_name='incidents' AND column_name='followup'")" \
	"timestamp with time zone" "... gets it at the next run"

# ---- two HQs, one database (each trusts the other with peer add --hq) ----
c hq2 init --unit "ГШ ЦВС «Південь»" --hq --kdf-ops 1 --kdf-mem 8192 >/dev/null
c hq1 peer add --name hq2 --hq "$(c hq2 id | head -1)" >/dev/null
c hq2 peer add --name hq1 --hq "$(c hq1 id | head -1)" >/dev/null
J1=$(c hq2 incident add --title "Укриття переповнене" --type shelter --location "46.6354,32.6169")
x() { c "$1" bundle create --to "$2" -o "$T/b.cmb" >/dev/null && c "$2" bundle import "$T/b.cmb" >/dev/null; }
x hq1 hq2; x hq2 hq1
pub hq1 >/dev/null
xi1=$(q "SELECT xmin FROM cimic.incidents WHERE id='$I1'")
out=$(pub hq2 --json)
ok $? "a second HQ, with its own login role, publishes into the same database"
is "$(q "SELECT count(*) FROM cimic.publishers")" 2 "cimic.publishers names both HQs"
HQ2KEY=$(q "SELECT hq FROM cimic.publishers WHERE hq <> '$HQ1KEY'")
is "$(q "SELECT hq FROM cimic.incidents WHERE id='$J1'")" "$HQ1KEY" \
	"HQ 2's incident arrived through HQ 1 first, and HQ 1's row stands"
is "$(q "SELECT xmin FROM cimic.incidents WHERE id='$I1'")" "$xi1" \
	"a record both HQs hold alike is not rewritten by the second"
is "$(q "SELECT count(DISTINCT hq) FROM cimic.units")" 2 "each HQ says which units it knows"
# concurrent edits on both HQs: a conflict, and after the exchange both agree
c hq1 incident edit "$I4" --severity 2 >/dev/null
c hq2 incident edit "$I4" --severity 5 >/dev/null
x hq1 hq2; x hq2 hq1
pub hq2 >/dev/null; pub hq1 >/dev/null
is "$(q "SELECT field || ':' || jsonb_array_length(\"values\") FROM cimic.conflicts WHERE record='$I4'")" \
	"severity:2" "the open conflict is published with both values"
for h in hq1 hq2; do
	c "$h" export --format json --archived >"$T/$h.json"
	q "SELECT id, title, coalesce(severity::text, ''), status, archived, conflicts, ops FROM cimic.incidents ORDER BY id" >"$T/pg.txt"
	python3 - "$T/$h.json" "$T/pg.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = sorted("%s|%s|%s|%s|%s" % (r["id"], r["title"], r["severity"] if r["severity"] is not None else "",
	      r["status"], "t" if r["archived"] else "f") for r in d["incidents"])
got = sorted("|".join(l.rstrip("\n").split("|")[:5]) for l in open(sys.argv[2]))
assert got == want, (got, want)
PY
	ok $? "the database holds what $h holds, record for record"
done
# an HQ that is behind cannot roll a record back
c hq1 incident edit "$I3" --title "Без координат, перевірено" >/dev/null
pub hq1 >/dev/null
x3=$(q "SELECT xmin FROM cimic.incidents WHERE id='$I3'")
pgsql -d picture -c "DELETE FROM cimic.publishers WHERE hq = '$HQ2KEY'" >/dev/null
out=$(pub hq2 --json)
echo "$out" | json 'assert d["from_seq"]==0 and d["sent"]["incidents"]>=5, d'
ok $? "HQ 2, its record in the database gone, sends everything again"
is "$(q "SELECT title, xmin FROM cimic.incidents WHERE id='$I3'")" "Без координат, перевірено|$x3" \
	"its older version of a record does not replace the newer one"

echo "1..$n"
[ "$fails" -eq 0 ]
