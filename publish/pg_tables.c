/*
 * pg_tables.c - a run's temporary tables and the upserts out of them.
 *
 * Rows reach the database by COPY into temporary tables (dropped at
 * commit), then one INSERT ... ON CONFLICT DO UPDATE per table.  For a
 * record the update happens only when the incoming version is newer:
 *
 *     (updated, ops, digest) greater than the row's
 *
 * A store that holds more of a record's ops has a later or equal
 * `updated` and more `ops`, so when two HQs publish one record the one
 * that knows more wins whatever the order of their runs, and once they
 * hold the same ops they compute the same row (digest included): values
 * converge and no run overwrites another's with an equal version.  The
 * same version from the same HQ is rewritten only when what it shows
 * differs (a unit's name learnt later, a better translation).  A row
 * that is already there as it would be written is not touched at all,
 * so its xmin stays: running twice changes nothing.
 *
 * Records written are noted in pg_temp.won, and their open conflicts
 * replaced from pg_temp.in_conflicts (pg_rows.c fills both).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "publish_private.h"

static void
temp_record_table(enum model_kind kind, struct buf *b)
{
	struct pg_column cols[PG_MAX_COLUMNS];
	size_t n = pg_columns(kind, cols);

	buf_printf(b, "CREATE TEMP TABLE in_%s (", pg_table(kind));
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, i ? ", " : "");
		pg_ident(b, cols[i].name);
		buf_printf(b, " %s", cols[i].type);
	}
	buf_adds(b, ") ON COMMIT DROP;");
}

int
pg_tables_create(struct pg *pg, struct cimic_error *err)
{
	struct buf b;
	int rc;

	buf_init(&b);
	for (enum model_kind k = MODEL_CONTACT; k <= MODEL_LINK; k++)
		temp_record_table(k, &b);
	buf_adds(&b, "CREATE TEMP TABLE won (id text PRIMARY KEY) ON COMMIT DROP;"
		     "CREATE TEMP TABLE in_conflicts (record text, field text, id text, kind text,"
		     "  title text, \"values\" jsonb, opened timestamptz) ON COMMIT DROP;"
		     "CREATE TEMP TABLE in_units (key text, unit text, role text, role_en text,"
		     "  role_uk text, fingerprint text, name text, revoked boolean) ON COMMIT DROP;"
		     "CREATE TEMP TABLE in_codes (list text, code text, label_en text, label_uk text)"
		     "  ON COMMIT DROP;");
	rc = b.failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory"))
		      : pg_exec(pg, _("cannot prepare the run"), buf_cstr(&b), err);
	buf_finish(&b);
	return rc;
}

static void
column_list(struct buf *b, const struct pg_column *cols, size_t n, const char *prefix)
{
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%s%s", i ? ", " : "", prefix);
		pg_ident(b, cols[i].name);
	}
}

char *
pg_tables_copy_sql(enum model_kind kind)
{
	struct pg_column cols[PG_MAX_COLUMNS];
	size_t n = pg_columns(kind, cols);
	struct buf b;
	char *sql;

	buf_init(&b);
	buf_printf(&b, "COPY pg_temp.in_%s (", pg_table(kind));
	column_list(&b, cols, n, "");
	buf_adds(&b, ") FROM STDIN");
	sql = b.failed ? NULL : util_strdup(buf_cstr(&b));
	buf_finish(&b);
	return sql;
}

/* Columns compared for "same version, same HQ, shown differently": all but the version. */
static void
shown_columns(struct buf *b, const struct pg_column *cols, size_t n, const char *prefix)
{
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		if (cols[i].source == PGC_ID || cols[i].source == PGC_UPDATED ||
		    cols[i].source == PGC_OPS || cols[i].source == PGC_DIGEST)
			continue;
		buf_printf(b, "%s%s", first ? "" : ", ", prefix);
		pg_ident(b, cols[i].name);
		first = false;
	}
}

static void
upsert_sql(struct pg *pg, enum model_kind kind, struct buf *b)
{
	struct pg_column cols[PG_MAX_COLUMNS];
	size_t n = pg_columns(kind, cols);
	const char *t = pg_table(kind);
	bool geom = pg_has_geom(kind);

	buf_printf(b, "WITH up AS (INSERT INTO cimic.%s AS t (", t);
	column_list(b, cols, n, "");
	buf_printf(b, "%s, hq, hq_unit, published) SELECT ", geom ? ", geom" : "");
	column_list(b, cols, n, "");
	if (geom)
		buf_printf(b, ", CASE WHEN lat IS NULL OR lon IS NULL THEN NULL ELSE"
			      " %s.ST_SetSRID(%s.ST_MakePoint(lon, lat), 4326) END", pg->geo, pg->geo);
	buf_printf(b, ", $1, $2, now() FROM pg_temp.in_%s ON CONFLICT (id) DO UPDATE SET ", t);
	for (size_t i = 1; i < n; i++) {
		buf_adds(b, i > 1 ? ", " : "");
		pg_ident(b, cols[i].name);
		buf_adds(b, " = EXCLUDED.");
		pg_ident(b, cols[i].name);
	}
	buf_printf(b, "%s, hq = EXCLUDED.hq, hq_unit = EXCLUDED.hq_unit,"
		      " published = EXCLUDED.published"
		      " WHERE (EXCLUDED.updated, EXCLUDED.ops, EXCLUDED.digest)"
		      "   > (t.updated, t.ops, t.digest)"
		      " OR ((EXCLUDED.updated, EXCLUDED.ops, EXCLUDED.digest)"
		      "   = (t.updated, t.ops, t.digest) AND EXCLUDED.hq = t.hq AND (",
		   geom ? ", geom = EXCLUDED.geom" : "");
	shown_columns(b, cols, n, "EXCLUDED.");
	buf_adds(b, ") IS DISTINCT FROM (");
	shown_columns(b, cols, n, "t.");
	buf_adds(b, ")) RETURNING id) INSERT INTO pg_temp.won (id) SELECT id FROM up");
}

int
pg_tables_upsert(struct pg *pg, enum model_kind kind, const struct pg_publisher *who,
		 long *written, struct cimic_error *err)
{
	const char *params[2] = { who->key, who->unit };
	char what[160];
	struct buf b;
	int rc;

	snprintf(what, sizeof what, _("cannot write cimic.%s"), pg_table(kind));
	buf_init(&b);
	upsert_sql(pg, kind, &b);
	rc = b.failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory"))
		      : pg_run(pg, what, buf_cstr(&b), 2, params, NULL, written, err);
	buf_finish(&b);
	return rc;
}

int
pg_tables_conflicts(struct pg *pg, const struct pg_publisher *who, long *written,
		    struct cimic_error *err)
{
	static const char clear[] =
		"DELETE FROM cimic.conflicts c USING pg_temp.won w WHERE c.record = w.id";
	static const char put[] =
		"INSERT INTO cimic.conflicts (record, field, id, kind, title, \"values\", opened,"
		"  hq, published)"
		" SELECT x.record, x.field, x.id, x.kind, x.title, x.\"values\", x.opened, $1, now()"
		" FROM pg_temp.in_conflicts x JOIN pg_temp.won w ON w.id = x.record";
	const char *params[1] = { who->key };
	const char *what = _("cannot write the conflicts");

	if (pg_exec(pg, what, clear, err) != 0)
		return -1;
	return pg_run(pg, what, put, 1, params, NULL, written, err);
}

int
pg_tables_units(struct pg *pg, const struct pg_publisher *who, long *written,
		struct cimic_error *err)
{
	static const char sql[] =
		"INSERT INTO cimic.units AS t (key, hq, unit, role, role_en, role_uk, fingerprint,"
		"  name, revoked, published)"
		" SELECT key, $1, unit, role, role_en, role_uk, fingerprint, name, revoked, now()"
		" FROM pg_temp.in_units"
		" ON CONFLICT (key, hq) DO UPDATE SET unit = EXCLUDED.unit, role = EXCLUDED.role,"
		"  role_en = EXCLUDED.role_en, role_uk = EXCLUDED.role_uk,"
		"  fingerprint = EXCLUDED.fingerprint, name = EXCLUDED.name,"
		"  revoked = EXCLUDED.revoked, published = EXCLUDED.published"
		" WHERE (t.unit, t.role, t.role_en, t.role_uk, t.fingerprint, t.name, t.revoked)"
		"  IS DISTINCT FROM (EXCLUDED.unit, EXCLUDED.role, EXCLUDED.role_en,"
		"  EXCLUDED.role_uk, EXCLUDED.fingerprint, EXCLUDED.name, EXCLUDED.revoked)";
	const char *params[1] = { who->key };

	return pg_run(pg, _("cannot write the units"), sql, 1, params, NULL, written, err);
}

int
pg_tables_codes(struct pg *pg, struct cimic_error *err)
{
	static const char sql[] =
		"INSERT INTO cimic.codes AS t (list, code, label_en, label_uk)"
		" SELECT list, code, label_en, label_uk FROM pg_temp.in_codes"
		" ON CONFLICT (list, code) DO UPDATE SET label_en = EXCLUDED.label_en,"
		"  label_uk = EXCLUDED.label_uk"
		" WHERE (t.label_en, t.label_uk) IS DISTINCT FROM (EXCLUDED.label_en, EXCLUDED.label_uk)";

	return pg_exec(pg, _("cannot write the code lists"), sql, err);
}

int
pg_tables_publisher_get(struct pg *pg, const struct pg_publisher *who, int64_t *seq,
			bool *same_version, struct cimic_error *err)
{
	static const char sql[] = "SELECT seq, version FROM cimic.publishers WHERE hq = $1";
	const char *params[1] = { who->key };
	PGresult *r;

	if (pg_run(pg, _("cannot read the publishers"), sql, 1, params, &r, NULL, err) != 0)
		return -1;
	*seq = PQntuples(r) > 0 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	*same_version = PQntuples(r) > 0 && strcmp(PQgetvalue(r, 0, 1), CIMIC_VERSION) == 0;
	PQclear(r);
	return 0;
}

int
pg_tables_publisher(struct pg *pg, const struct pg_publisher *who, int64_t seq,
		    struct cimic_error *err)
{
	static const char sql[] =
		"INSERT INTO cimic.publishers AS t (hq, unit, fingerprint, seq, published, version)"
		" VALUES ($1, $2, $3, $4::bigint, now(), $5)"
		" ON CONFLICT (hq) DO UPDATE SET unit = EXCLUDED.unit,"
		"  fingerprint = EXCLUDED.fingerprint, seq = EXCLUDED.seq,"
		"  published = EXCLUDED.published, version = EXCLUDED.version"
		" WHERE (t.unit, t.fingerprint, t.seq, t.version)"
		"  IS DISTINCT FROM (EXCLUDED.unit, EXCLUDED.fingerprint, EXCLUDED.seq,"
		"  EXCLUDED.version)";
	char s[24];
	const char *params[5] = { who->key, who->unit, who->fingerprint, s, CIMIC_VERSION };

	snprintf(s, sizeof s, "%lld", (long long)seq);
	return pg_run(pg, _("cannot write the publishers"), sql, 5, params, NULL, NULL, err);
}
