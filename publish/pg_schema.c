/*
 * pg_schema.c - the `cimic` schema: created, checked, migrated.
 *
 * Every run starts, inside its transaction, by taking one advisory lock,
 * so HQs publishing into one database at the same moment take turns
 * instead of racing to create the schema or interleaving upserts.  Then:
 *
 *   - PostGIS must be installed in the database (CREATE EXTENSION needs
 *     rights a publishing role should not have: the administrator runs it);
 *   - a schema `cimic` that exists must be cimic's: its schema_version
 *     table, with created_by 'cimic', says so.  Any other schema of that
 *     name is someone else's and is refused, never written into;
 *   - a schema of an older version is migrated (pg_migrations[], one
 *     function per version, like the store's migrations), one of a newer
 *     version is refused;
 *   - columns of fields that cimic gained since the tables were made are
 *     added.  DDL takes an exclusive lock that readers would wait for
 *     until the run commits, so nothing is altered that need not be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "publish_private.h"

/* "cimicpub": the advisory lock that serialises publishers. */
#define PG_PUBLISH_LOCK "7164213527934460514"

static int
one_value(struct pg *pg, const char *what, const char *sql, int nparams, const char *const *params,
	  char *out, size_t n, bool *found, struct cimic_error *err)
{
	PGresult *r;

	if (pg_run(pg, what, sql, nparams, params, &r, NULL, err) != 0)
		return -1;
	*found = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0);
	snprintf(out, n, "%s", *found ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return 0;
}

static int
find_postgis(struct pg *pg, struct cimic_error *err)
{
	static const char sql[] =
		"SELECT quote_ident(n.nspname) FROM pg_extension e"
		" JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'";
	bool found;

	if (one_value(pg, _("cannot look for PostGIS"), sql, 0, NULL, pg->geo, sizeof pg->geo,
		      &found, err) != 0)
		return -1;
	if (!found)
		return cimic_error_set(err, CIMIC_EUNAVAIL,
				       _("PostGIS is not installed in %s: an administrator runs "
					 "'CREATE EXTENSION postgis' in that database (see cimic(1), "
					 "PUBLISHING)"), pg->label);
	return 0;
}

/* ---- version 1 ---- */

static void
record_table_sql(enum model_kind kind, const char *geo, struct buf *b)
{
	struct pg_column cols[PG_MAX_COLUMNS];
	size_t n = pg_columns(kind, cols);
	const char *t = pg_table(kind);

	buf_printf(b, "CREATE TABLE cimic.%s (", t);
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, i ? ", " : "");
		pg_ident(b, cols[i].name);
		buf_printf(b, " %s", cols[i].type);
		if (cols[i].source == PGC_ID)
			buf_adds(b, " PRIMARY KEY");
		else if (strcmp(cols[i].type, "boolean") == 0)
			buf_adds(b, " NOT NULL DEFAULT false");
		else if (cols[i].source == PGC_UPDATED || cols[i].source == PGC_OPS ||
			 cols[i].source == PGC_DIGEST)
			buf_adds(b, " NOT NULL");
	}
	if (pg_has_geom(kind))
		buf_printf(b, ", geom %s.geometry(Point, 4326)", geo);
	buf_adds(b, ", hq text NOT NULL, hq_unit text, published timestamptz NOT NULL);");
	if (pg_has_geom(kind))
		buf_printf(b, "CREATE INDEX %s_geom ON cimic.%s USING gist (geom);"
			      "COMMENT ON COLUMN cimic.%s.geom IS 'the location as a point in "
			      "EPSG:4326 (x = lon, y = lat)';", t, t, t);
	buf_printf(b, "CREATE INDEX %s_updated ON cimic.%s (updated);", t, t);
	buf_printf(b, "COMMENT ON COLUMN cimic.%s.ops IS 'ops the publishing HQ held for the "
		      "record: with updated and digest, its version (a newer version replaces "
		      "an older one, whichever HQ publishes it)';"
		      "COMMENT ON COLUMN cimic.%s.hq IS 'key id of the HQ that wrote this "
		      "version (cimic.publishers)';", t, t);
}

static const char schema_v1_fixed[] =
	"CREATE INDEX links_incident ON cimic.links (incident);"
	"CREATE INDEX links_contact ON cimic.links (contact);"
	"CREATE TABLE cimic.conflicts (record text NOT NULL, field text NOT NULL, id text NOT NULL,"
	"  kind text NOT NULL, title text, \"values\" jsonb NOT NULL, opened timestamptz,"
	"  hq text NOT NULL, published timestamptz NOT NULL, PRIMARY KEY (record, field));"
	"COMMENT ON TABLE cimic.conflicts IS 'fields in open conflict (concurrent edits):"
	" the values, who wrote them, which one is shown';"
	"CREATE TABLE cimic.units (key text NOT NULL, hq text NOT NULL, unit text, role text,"
	"  role_en text, role_uk text, fingerprint text, name text,"
	"  revoked boolean NOT NULL DEFAULT false, published timestamptz NOT NULL,"
	"  PRIMARY KEY (key, hq));"
	"COMMENT ON TABLE cimic.units IS 'the nodes each HQ knows (key = key id; hq = the HQ"
	" that says so)';"
	"CREATE TABLE cimic.codes (list text NOT NULL, code text NOT NULL, label_en text NOT NULL,"
	"  label_uk text NOT NULL, PRIMARY KEY (list, code));"
	"CREATE TABLE cimic.publishers (hq text PRIMARY KEY, unit text, fingerprint text,"
	"  seq bigint NOT NULL, published timestamptz NOT NULL, version text);"
	"COMMENT ON TABLE cimic.publishers IS 'HQs that publish here: seq is the change"
	" sequence of the HQ''s store that its last run wrote';";

static int
schema_v1(struct pg *pg, struct cimic_error *err)
{
	struct buf b;
	int rc;

	buf_init(&b);
	record_table_sql(MODEL_CONTACT, pg->geo, &b);
	record_table_sql(MODEL_INCIDENT, pg->geo, &b);
	record_table_sql(MODEL_LINK, pg->geo, &b);
	buf_adds(&b, schema_v1_fixed);
	rc = b.failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory"))
		      : pg_exec(pg, _("cannot create the cimic schema"), buf_cstr(&b), err);
	buf_finish(&b);
	return rc;
}

/* Migration n brings the schema from version n-1 to n. Append; never edit one. */
static int (*const pg_migrations[PG_SCHEMA_VERSION])(struct pg *, struct cimic_error *) = {
	schema_v1,
};

/* ---- checks ---- */

static const char schema_create[] =
	"CREATE SCHEMA cimic;"
	"COMMENT ON SCHEMA cimic IS 'the picture cimic HQs publish (cimic publish): written"
	" by cimic only, read by anyone granted SELECT';"
	"CREATE TABLE cimic.schema_version (version integer NOT NULL,"
	"  database_id uuid NOT NULL DEFAULT gen_random_uuid(),"
	"  created timestamptz NOT NULL DEFAULT now(),"
	"  created_by text NOT NULL DEFAULT 'cimic' CHECK (created_by = 'cimic'));"
	"INSERT INTO cimic.schema_version (version) VALUES (0);";

static int
refuse_foreign(struct pg *pg, const char *owner, const char *why, struct cimic_error *err)
{
	return cimic_error_set(err, CIMIC_ECANTCREAT,
			       _("%s already has a schema \"cimic\" (owner %s) that cimic did not "
				 "make: %s; cimic writes only into a schema it created (rename that "
				 "schema, or publish into another database)"),
			       pg->label, owner, why);
}

/* Is cimic.schema_version ours: its three columns, one row, made by cimic? */
static int
read_version(struct pg *pg, const char *owner, int *version, struct cimic_error *err)
{
	static const char cols[] =
		"SELECT count(*) FROM information_schema.columns WHERE table_schema = 'cimic'"
		" AND table_name = 'schema_version'"
		" AND column_name IN ('version', 'database_id', 'created_by')";
	static const char row[] =
		"SELECT version, database_id::text, count(*) OVER () FROM cimic.schema_version"
		" WHERE created_by = 'cimic'";
	const char *what = _("cannot read the cimic schema version");
	PGresult *r;
	char n[16];
	bool found;

	if (one_value(pg, what, cols, 0, NULL, n, sizeof n, &found, err) != 0)
		return -1;
	if (atoi(n) != 3)
		return refuse_foreign(pg, owner, _("its schema_version table is not cimic's"), err);
	if (pg_run(pg, what, row, 0, NULL, &r, NULL, err) != 0)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return refuse_foreign(pg, owner, _("its schema_version table is not cimic's"), err);
	}
	*version = atoi(PQgetvalue(r, 0, 0));
	snprintf(pg->database_id, sizeof pg->database_id, "%s", PQgetvalue(r, 0, 1));
	PQclear(r);
	return 0;
}

/* Creates the schema, or checks that the one there is cimic's; OUT *version. */
static int
schema_state(struct pg *pg, struct publish_stats *stats, int *version, struct cimic_error *err)
{
	static const char sql[] =
		/* from the catalogues, which anyone may read: no privilege on the schema needed */
		"SELECT pg_get_userbyid(n.nspowner), EXISTS (SELECT 1 FROM pg_class c"
		"  WHERE c.relnamespace = n.oid AND c.relname = 'schema_version')"
		" FROM pg_namespace n WHERE n.nspname = 'cimic'";
	const char *what = _("cannot read the database's schemas");
	char owner[128];
	PGresult *r;
	bool has_version;

	if (pg_run(pg, what, sql, 0, NULL, &r, NULL, err) != 0)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		stats->created = true;
		if (pg_exec(pg, _("cannot create the cimic schema"), schema_create, err) != 0)
			return -1;
		snprintf(owner, sizeof owner, "%s", PQuser(pg->conn));
		return read_version(pg, owner, version, err);
	}
	pg_one_line(PQgetvalue(r, 0, 0), owner, sizeof owner);
	has_version = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
	PQclear(r);
	if (!has_version)
		return refuse_foreign(pg, owner, _("it has no cimic.schema_version table"), err);
	return read_version(pg, owner, version, err);
}

static int
migrate(struct pg *pg, int from, struct cimic_error *err)
{
	char v[16];
	const char *params[1] = { v };

	if (from > PG_SCHEMA_VERSION)
		return cimic_error_set(err, CIMIC_ECANTCREAT,
				       _("the cimic schema in %s is version %d, newer than this cimic "
					 "writes (%d): upgrade cimic"), pg->label, from,
				       PG_SCHEMA_VERSION);
	for (int i = from; i < PG_SCHEMA_VERSION; i++)
		if (pg_migrations[i](pg, err) != 0)
			return -1;
	if (from == PG_SCHEMA_VERSION)
		return 0;
	snprintf(v, sizeof v, "%d", PG_SCHEMA_VERSION);
	return pg_run(pg, _("cannot migrate the cimic schema"),
		      "UPDATE cimic.schema_version SET version = $1::integer", 1, params, NULL, NULL,
		      err);
}

/* Adds the columns of fields the table does not have yet. */
static int
add_new_columns(struct pg *pg, enum model_kind kind, struct cimic_error *err)
{
	static const char sql[] = "SELECT column_name FROM information_schema.columns"
				  " WHERE table_schema = 'cimic' AND table_name = $1";
	struct pg_column cols[PG_MAX_COLUMNS];
	size_t n = pg_columns(kind, cols);
	const char *params[1] = { pg_table(kind) };
	struct buf b;
	PGresult *r;
	int rc = 0;

	if (pg_run(pg, _("cannot read the columns"), sql, 1, params, &r, NULL, err) != 0)
		return -1;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		bool have = false;
		for (int k = 0; k < PQntuples(r) && !have; k++)
			have = strcmp(PQgetvalue(r, k, 0), cols[i].name) == 0;
		if (have)
			continue;
		buf_printf(&b, "ALTER TABLE cimic.%s ADD COLUMN ", pg_table(kind));
		pg_ident(&b, cols[i].name);
		buf_printf(&b, " %s%s;", cols[i].type,
			   strcmp(cols[i].type, "boolean") == 0 ? " NOT NULL DEFAULT false" : "");
	}
	PQclear(r);
	if (b.len > 0)
		rc = pg_exec(pg, _("cannot add columns"), buf_cstr(&b), err);
	buf_finish(&b);
	return rc;
}

int
pg_schema_ensure(struct pg *pg, struct publish_stats *stats, struct cimic_error *err)
{
	int version;

	if (pg_exec(pg, _("cannot take the publishing lock"),
		    "SELECT pg_advisory_xact_lock(" PG_PUBLISH_LOCK ")", err) != 0 ||
	    find_postgis(pg, err) != 0 || schema_state(pg, stats, &version, err) != 0)
		return -1;
	stats->schema_from = version;
	if (migrate(pg, version, err) != 0)
		return -1;
	stats->schema_to = PG_SCHEMA_VERSION;
	for (enum model_kind k = MODEL_CONTACT; k <= MODEL_LINK; k++)
		if (add_new_columns(pg, k, err) != 0)
			return -1;
	snprintf(stats->database_id, sizeof stats->database_id, "%s", pg->database_id);
	return 0;
}
