/*
 * schema.c - the database schema and its migrations.
 *
 * Migrations are keyed on PRAGMA user_version: migration n brings a
 * database from version n-1 to n, inside the caller's transaction.  A
 * database newer than this program is refused rather than guessed at.
 *
 * Replicated data lives in the op log (entries, ops, preds, heads); the
 * contacts, incidents and links tables are materialised from it and
 * carry no unique or foreign-key constraints (DESIGN.md section 3).
 */
#include <stdio.h>

#include <sqlite3.h>

#include "cimic/i18n.h"
#include "schema.h"

static const char *const schema_v1 =
	/* settings and own identity (secret keys live here: the db is encrypted) */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
	/* the op log */
	"CREATE TABLE entries("
	"  hash BLOB PRIMARY KEY,"       /* BLAKE2b-256 of raw */
	"  author BLOB NOT NULL,"        /* Ed25519 public key */
	"  seq INTEGER NOT NULL,"
	"  hlc INTEGER NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  received INTEGER NOT NULL"    /* local ms when stored */
	") WITHOUT ROWID;"
	"CREATE INDEX entries_author ON entries(author, seq);"
	/* version vector: highest contiguous seq held per author */
	"CREATE TABLE vv(author BLOB PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL)"
	"  WITHOUT ROWID;"
	/* ops are keyed by (row, field) first: heads are read and replaced per field,
	   and a pred always names an op of the same field */
	"CREATE TABLE ops("
	"  row BLOB NOT NULL,"
	"  field INTEGER NOT NULL,"
	"  id BLOB NOT NULL,"            /* entry hash[0..16] || index u16le */
	"  tbl INTEGER NOT NULL,"
	"  hlc INTEGER NOT NULL,"
	"  author BLOB NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  value,"
	"  head INTEGER NOT NULL,"       /* 1 while no known op replaces it */
	"  PRIMARY KEY(row, field, id)) WITHOUT ROWID;"
	"CREATE TABLE preds("
	"  row BLOB NOT NULL, field INTEGER NOT NULL, pred BLOB NOT NULL, op BLOB NOT NULL,"
	"  PRIMARY KEY(row, field, pred, op)) WITHOUT ROWID;"
	"CREATE TABLE conflicts("
	"  row BLOB NOT NULL, field INTEGER NOT NULL, tbl INTEGER NOT NULL,"
	"  opened INTEGER NOT NULL, PRIMARY KEY(row, field)) WITHOUT ROWID;"
	/* materialised views of the op log */
	"CREATE TABLE contacts("
	"  id BLOB NOT NULL,"
	"  name TEXT, org TEXT, position TEXT, category TEXT, phone TEXT, email TEXT,"
	"  radio TEXT, address TEXT, settlement TEXT, location TEXT, lat REAL, lon REAL,"
	"  notes TEXT, tags TEXT,"
	"  archived INTEGER NOT NULL DEFAULT 0, merged_into BLOB,"
	"  created INTEGER, updated INTEGER, author BLOB);"
	"CREATE INDEX contacts_id ON contacts(id);"
	"CREATE INDEX contacts_name ON contacts(name);"
	"CREATE TABLE incidents("
	"  id BLOB NOT NULL,"
	"  title TEXT, type TEXT, severity INTEGER, status TEXT, occurred INTEGER,"
	"  location TEXT, lat REAL, lon REAL, settlement TEXT, description TEXT,"
	"  killed INTEGER, injured INTEGER, displaced INTEGER, affected INTEGER,"
	"  reliability TEXT, credibility TEXT, followup INTEGER,"
	"  archived INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER, updated INTEGER, author BLOB);"
	"CREATE INDEX incidents_id ON incidents(id);"
	"CREATE INDEX incidents_occurred ON incidents(occurred);"
	"CREATE TABLE links("
	"  id BLOB NOT NULL, incident BLOB, contact BLOB,"
	"  archived INTEGER NOT NULL DEFAULT 0, created INTEGER, updated INTEGER, author BLOB);"
	"CREATE INDEX links_id ON links(id);"
	"CREATE INDEX links_incident ON links(incident);"
	"CREATE INDEX links_contact ON links(contact);"
	/* full-text index over folded text; rowid = rowid of the record */
	"CREATE VIRTUAL TABLE contacts_fts USING fts5(text, "
	"  tokenize = 'unicode61 remove_diacritics 0');"
	"CREATE VIRTUAL TABLE incidents_fts USING fts5(text, "
	"  tokenize = 'unicode61 remove_diacritics 0');"
	/* nodes known to this store: peers, roster (sync/) */
	"CREATE TABLE nodes("
	"  sign_pk BLOB PRIMARY KEY, box_pk BLOB NOT NULL, link_pk BLOB NOT NULL,"
	"  role INTEGER NOT NULL, unit TEXT NOT NULL, name TEXT,"
	"  trusted INTEGER NOT NULL DEFAULT 1,"
	"  revoked INTEGER NOT NULL DEFAULT 0, revoked_after_seq INTEGER,"
	"  added INTEGER, last_in INTEGER, last_out INTEGER,"
	"  acked TEXT) WITHOUT ROWID;"
	/* gazetteer (GeoNames import) */
	"CREATE TABLE places("
	"  id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_folded TEXT NOT NULL,"
	"  admin1 TEXT, admin2 TEXT, admin3 TEXT, postal TEXT, lat REAL, lon REAL,"
	"  accuracy INTEGER, source TEXT);"
	"CREATE INDEX places_folded ON places(name_folded);";

/*
 * v2: sync state (sync/, through roster.c and peerstate.c).  A node row
 * is a `peer` when this store exchanges bundles with it, `roster` when
 * HQ's signed roster names it; `identity` keeps the string HQ enrols.
 * peer_acks holds each peer's version vector as its last bundles stated
 * it (what it has acknowledged); bundles_seen the file hashes already
 * applied; quarantine the entries of revoked nodes past their cutoff,
 * kept for a human decision and never applied.
 */
static const char *const schema_v2 =
	"ALTER TABLE nodes ADD COLUMN peer INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE nodes ADD COLUMN roster INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE nodes ADD COLUMN identity TEXT;"
	"ALTER TABLE nodes ADD COLUMN revoked_hash BLOB;"
	"ALTER TABLE nodes ADD COLUMN out_file TEXT;"
	"ALTER TABLE nodes ADD COLUMN out_key BLOB;"
	"CREATE TABLE peer_acks(peer BLOB NOT NULL, author BLOB NOT NULL, seq INTEGER NOT NULL,"
	"  PRIMARY KEY(peer, author)) WITHOUT ROWID;"
	"CREATE TABLE bundles_seen(hash BLOB PRIMARY KEY, bundle_id BLOB, sender BLOB,"
	"  received INTEGER, entries_new INTEGER) WITHOUT ROWID;"
	"CREATE TABLE quarantine(hash BLOB PRIMARY KEY, author BLOB NOT NULL, seq INTEGER NOT NULL,"
	"  raw BLOB NOT NULL, reason TEXT, received INTEGER) WITHOUT ROWID;";

/*
 * v3: the change sequence, for publishing (publish/, through
 * src/model/pubstate.c).  Each committed write to a record gives it the
 * next value of one store-wide sequence, so "what changed since the last
 * run" is `seq > watermark` in local commit order (writers are
 * serialised), not in HLC order, which a bundle arriving late goes back
 * on.  The model bumps the rows it materialised before each commit (one
 * statement per row and transaction); these triggers bump the nodes,
 * whose table is also written outside the op log (`peer add`), and the
 * records a node created when its unit, role, name or revocation
 * changes, since those records show its unit.  kind is the op-log table
 * (1 contact, 2 incident, 3 link) or 4 for a node, whose id is its
 * signing key.  publish_targets holds, per PostgreSQL database (the id
 * its cimic.schema_version holds), the seq that database has.
 */
static const char *const schema_v3 =
	"CREATE TABLE changes(kind INTEGER NOT NULL, id BLOB NOT NULL, seq INTEGER NOT NULL,"
	"  PRIMARY KEY(kind, id)) WITHOUT ROWID;"
	"CREATE INDEX changes_seq ON changes(seq);"
	"CREATE TABLE publish_targets(target TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
	"  label TEXT, published INTEGER NOT NULL, rows INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"INSERT INTO changes SELECT 1, id, 1 FROM contacts WHERE true ON CONFLICT DO NOTHING;"
	"INSERT INTO changes SELECT 2, id, 1 FROM incidents WHERE true ON CONFLICT DO NOTHING;"
	"INSERT INTO changes SELECT 3, id, 1 FROM links WHERE true ON CONFLICT DO NOTHING;"
	"INSERT INTO changes SELECT 4, sign_pk, 1 FROM nodes WHERE true ON CONFLICT DO NOTHING;"
#define NODE_BUMP \
	"  INSERT INTO changes(kind, id, seq) SELECT k, id," \
	"      coalesce((SELECT max(seq) FROM changes), 0) + 1 FROM (" \
	"    SELECT 4 AS k, NEW.sign_pk AS id UNION ALL" \
	"    SELECT 1, id FROM contacts WHERE author = NEW.sign_pk UNION ALL" \
	"    SELECT 2, id FROM incidents WHERE author = NEW.sign_pk UNION ALL" \
	"    SELECT 3, id FROM links WHERE author = NEW.sign_pk)" \
	"    WHERE true ON CONFLICT(kind, id) DO UPDATE SET seq = excluded.seq;"
	"CREATE TRIGGER nodes_changed_insert AFTER INSERT ON nodes BEGIN" NODE_BUMP " END;"
	"CREATE TRIGGER nodes_changed_update AFTER UPDATE ON nodes"
	"  WHEN OLD.unit IS NOT NEW.unit OR OLD.role IS NOT NEW.role OR OLD.name IS NOT NEW.name"
	"    OR OLD.revoked IS NOT NEW.revoked BEGIN" NODE_BUMP " END;";
#undef NODE_BUMP

/*
 * Records from other organisations' files (DESIGN.md section 8): the
 * source reference (source name and the id the source gave the row), and
 * the incident fields HXL incident lists carry that cimic had no place
 * for.  Replicated like every field; the columns are their shown values.
 */
static const char *const schema_foreign =
	"ALTER TABLE contacts ADD COLUMN source TEXT;"
	"ALTER TABLE contacts ADD COLUMN source_id TEXT;"
	"ALTER TABLE incidents ADD COLUMN org TEXT;"
	"ALTER TABLE incidents ADD COLUMN sector TEXT;"
	"ALTER TABLE incidents ADD COLUMN url TEXT;"
	"ALTER TABLE incidents ADD COLUMN oblast TEXT;"
	"ALTER TABLE incidents ADD COLUMN oblast_code TEXT;"
	"ALTER TABLE incidents ADD COLUMN raion TEXT;"
	"ALTER TABLE incidents ADD COLUMN raion_code TEXT;"
	"ALTER TABLE incidents ADD COLUMN reported INTEGER;"
	"ALTER TABLE incidents ADD COLUMN source TEXT;"
	"ALTER TABLE incidents ADD COLUMN source_id TEXT;";

/*
 * Duplicates (DESIGN.md section 3): incidents merge like contacts
 * (merged_into on the loser), and a pair HQ said is not the same is
 * remembered in distinct_from on both records (the other's id), a
 * replicated field like any other.  Merged records are found by their
 * winner, so merged_into is indexed.
 */
static const char *const schema_duplicates =
	"ALTER TABLE contacts ADD COLUMN distinct_from TEXT;"
	"ALTER TABLE incidents ADD COLUMN distinct_from TEXT;"
	"ALTER TABLE incidents ADD COLUMN merged_into BLOB;"
	"CREATE INDEX contacts_merged ON contacts(merged_into) WHERE merged_into IS NOT NULL;"
	"CREATE INDEX incidents_merged ON incidents(merged_into) WHERE merged_into IS NOT NULL;";

/*
 * Scopes (DESIGN.md section 3, need-to-know replication): what HQ sends
 * each field unit.  HQ's local memory, never replicated: scopes holds a
 * unit's area (kind 1: a S,W,N,E box) or oblast (kind 2: the gazetteer's
 * admin1 name), no row meaning own + HQ's; shares the records HQ put into
 * a unit's scope (tbl as in ops).
 */
static const char *const schema_scopes =
	"CREATE TABLE scopes("
	"  node BLOB PRIMARY KEY, kind INTEGER NOT NULL,"
	"  south REAL, west REAL, north REAL, east REAL, oblast TEXT, changed INTEGER) WITHOUT ROWID;"
	"CREATE TABLE shares("
	"  node BLOB NOT NULL, tbl INTEGER NOT NULL, row BLOB NOT NULL, added INTEGER,"
	"  PRIMARY KEY(node, tbl, row)) WITHOUT ROWID;";

static const char *const migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_foreign,
	schema_duplicates,
	schema_scopes,
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int
schema_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
schema_migrate(sqlite3 *db, struct cimic_error *err)
{
	char *emsg = NULL;
	char sql[64];
	int v = schema_version(db);

	if (v < 0)
		return cimic_error_set(err, CIMIC_EIO, _("cannot read the schema version: %s"),
				       sqlite3_errmsg(db));
	if (v > SCHEMA_VERSION)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("store schema %d is newer than this cimic (%d): upgrade cimic"),
				       v, SCHEMA_VERSION);
	for (; v < SCHEMA_VERSION; v++) {
		if (sqlite3_exec(db, migrations[v], NULL, NULL, &emsg) != SQLITE_OK) {
			cimic_error_set(err, CIMIC_EIO, _("schema migration %d failed: %s"), v + 1,
					emsg ? emsg : sqlite3_errmsg(db));
			sqlite3_free(emsg);
			return -1;
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			return cimic_error_set(err, CIMIC_EIO, _("schema migration %d failed: %s"),
					       v + 1, sqlite3_errmsg(db));
	}
	return 0;
}
