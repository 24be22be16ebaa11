/*
 * gazetteer.c - GeoNames dumps into the places table, and lookups.
 *
 * GeoNames publishes two tab-separated layouts: the postal code dump
 * (12 columns: country, postal code, place name, admin1 name and code,
 * admin2 name and code, admin3 name and code, lat, lon, accuracy) and the
 * full gazetteer (19 columns: geonameid, name, asciiname, alternate
 * names, lat, lon, feature class and code, ...).  Both are parsed
 * strictly: every line must have the layout's column count, a name and
 * coordinates in range, else the import stops naming the line and
 * nothing is written.
 *
 * The import runs in one transaction with one prepared statement, so the
 * 29,571-row Ukrainian postal dump takes well under a second.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cimic/formats.h"
#include "cimic/gazetteer.h"
#include "gazetteer_private.h"
#include "cimic/i18n.h"
#include "cimic/store.h"
#include "store_private.h"

#define GAZETTEER_MAX_COLUMNS 19
#define GAZETTEER_MAX_NAME 200
#define GAZETTEER_MAX_ALTERNATES 64

/* Splits line (modified in place) at tabs; returns the column count. */
static size_t
gazetteer_split(char *line, char **cols)
{
	size_t n = 0;

	cols[n++] = line;
	for (char *p = line; *p; p++) {
		if (*p != '\t')
			continue;
		*p = '\0';
		if (n == GAZETTEER_MAX_COLUMNS)
			return GAZETTEER_MAX_COLUMNS + 1;
		cols[n++] = p + 1;
	}
	return n;
}

static int
gazetteer_coords(char **cols, int ilat, int ilon, struct gazetteer_row *row,
		 struct cimic_error *err)
{
	if (!formats_parse_double(cols[ilat], &row->lat) || row->lat < -90 || row->lat > 90)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: latitude '%.32s' is not a number "
				       "from -90 to 90"), row->line, cols[ilat]);
	if (!formats_parse_double(cols[ilon], &row->lon) || row->lon < -180 || row->lon > 180)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: longitude '%.32s' is not a number "
				       "from -180 to 180"), row->line, cols[ilon]);
	return 0;
}

static int
gazetteer_postal_row(char **cols, struct gazetteer_row *row, struct cimic_error *err)
{
	const char *acc = cols[11];

	row->postal = cols[1];
	row->name = cols[2];
	row->admin1 = cols[3];
	row->admin2 = cols[5];
	row->admin3 = cols[7];
	row->alternates = "";
	row->source_id = "";
	row->accuracy = 0;
	if (acc[0] != '\0') {
		if (acc[0] < '1' || acc[0] > '6' || acc[1] != '\0')
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: accuracy '%.16s' is not 1 to 6"), row->line,
					       acc);
		row->accuracy = acc[0] - '0';
	}
	return gazetteer_coords(cols, 9, 10, row, err);
}

/* Full dump row; returns 1 for a row of a feature class we skip. */
static int
gazetteer_full_row(char **cols, struct gazetteer_row *row, struct cimic_error *err)
{
	const char *fclass = cols[6];

	row->source_id = cols[0];
	row->name = cols[1];
	row->alternates = cols[3];
	row->admin1 = cols[10];
	row->admin2 = cols[11];
	row->admin3 = cols[12];
	row->postal = "";
	row->accuracy = 0;
	if (gazetteer_coords(cols, 4, 5, row, err) != 0)
		return -1;
	return strcmp(fclass, "P") == 0 || strcmp(fclass, "A") == 0 ? 0 : 1;
}

static int
gazetteer_check_line(const char *s, size_t n, size_t line, struct cimic_error *err)
{
	if (n > FORMATS_MAX_LINE)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: longer than %u bytes"), line,
				       FORMATS_MAX_LINE);
	if (memchr(s, '\0', n))
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: NUL byte in text"), line);
	if (!util_utf8_valid(s, n))
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: text is not UTF-8"), line);
	return 0;
}

/* Parses one line (copied to `copy`) and hands it to cb. */
static int
gazetteer_line(char *copy, size_t line, enum gazetteer_layout *layout, gazetteer_row_cb cb,
	       void *arg, struct cimic_error *err)
{
	char *cols[GAZETTEER_MAX_COLUMNS + 1] = { 0 };
	struct gazetteer_row row = { .line = line };
	size_t n = gazetteer_split(copy, cols);
	int rc;

	if (*layout == 0 && (n == GAZETTEER_POSTAL || n == GAZETTEER_FULL))
		*layout = (enum gazetteer_layout)n;
	if (*layout == 0 || n != (size_t)*layout)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("line %zu: %zu tab-separated columns; a GeoNames dump has "
					 "%d (postal codes) or %d (gazetteer)"), line,
				       n > GAZETTEER_MAX_COLUMNS ? (size_t)GAZETTEER_MAX_COLUMNS + 1 : n,
				       GAZETTEER_POSTAL, GAZETTEER_FULL);
	rc = *layout == GAZETTEER_POSTAL ? gazetteer_postal_row(cols, &row, err)
					 : gazetteer_full_row(cols, &row, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (row.name[0] == '\0' || strlen(row.name) > GAZETTEER_MAX_NAME)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: place name empty or longer "
				       "than %d bytes"), line, GAZETTEER_MAX_NAME);
	return cb(&row, arg);
}

int
gazetteer_parse(const char *data, size_t len, gazetteer_row_cb cb, void *arg,
		enum gazetteer_layout *layout, struct cimic_error *err)
{
	const char *p = data, *end = data + len;
	struct buf copy;
	size_t line = 0;
	int rc = 0;

	*layout = 0;
	buf_init(&copy);
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (++line > FORMATS_MAX_RECORDS)
			rc = cimic_error_set(err, CIMIC_EDATA, _("line %zu: more than %d rows"), line,
					     FORMATS_MAX_RECORDS);
		else if ((rc = gazetteer_check_line(p, n, line, err)) == 0 && n > 0) {
			copy.len = 0;
			buf_add(&copy, p, n - (n && p[n - 1] == '\r'));
			if (copy.failed)
				rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
			else if (copy.len > 0)
				rc = gazetteer_line((char *)buf_cstr(&copy), line, layout, cb, arg, err);
		}
		p += n + 1;
	}
	buf_finish(&copy);
	if (rc == 0 && *layout == 0)
		rc = cimic_error_set(err, CIMIC_EDATA, _("line 1: empty file: no places"));
	return rc;
}

/* ---- import ---- */

struct gazetteer_import {
	sqlite3_stmt *insert;
	struct gazetteer_import_stats *stats;
	struct cimic_error *err;
	sqlite3 *db;
};

static int
gazetteer_insert(struct gazetteer_import *im, const struct gazetteer_row *row, const char *name,
		 const char *key)
{
	sqlite3_stmt *s = im->insert;

	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, row->admin1, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, row->admin2, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, row->admin3, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, row->postal, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 7, row->lat);
	sqlite3_bind_double(s, 8, row->lon);
	if (row->accuracy)
		sqlite3_bind_int(s, 9, row->accuracy);
	else
		sqlite3_bind_null(s, 9);
	if (sqlite3_step(s) != SQLITE_DONE)
		return cimic_error_set(im->err, CIMIC_EIO, _("line %zu: cannot store the place: %s"),
				       row->line, sqlite3_errmsg(im->db));
	im->stats->places++;
	return 0;
}

/* Inserts name unless its key is empty or already in keys (kept for the row). */
static int
gazetteer_insert_name(struct gazetteer_import *im, const struct gazetteer_row *row,
		      const char *name, char **keys, size_t *nkeys)
{
	char *key = gazetteer_key(name);
	int rc = 0;

	if (key == NULL)
		return cimic_error_set(im->err, CIMIC_EFAIL, _("out of memory"));
	for (size_t i = 0; i < *nkeys; i++)
		if (strcmp(keys[i], key) == 0)
			key[0] = '\0';
	if (key[0] == '\0' || *nkeys >= GAZETTEER_MAX_ALTERNATES) {
		free(key);
		return 0;
	}
	rc = gazetteer_insert(im, row, name, key);
	keys[(*nkeys)++] = key;
	return rc;
}

/* Full dump: alternate names written in Cyrillic or Latin get rows of their own. */
static int
gazetteer_insert_alternates(struct gazetteer_import *im, const struct gazetteer_row *row,
			    char **keys, size_t *nkeys)
{
	char *alts = util_strdup(row->alternates), *save = NULL;
	int rc = 0;

	if (alts == NULL)
		return cimic_error_set(im->err, CIMIC_EFAIL, _("out of memory"));
	for (char *a = strtok_r(alts, ",", &save); a && rc == 0; a = strtok_r(NULL, ",", &save))
		if (strlen(a) <= GAZETTEER_MAX_NAME)
			rc = gazetteer_insert_name(im, row, a, keys, nkeys);
	free(alts);
	return rc;
}

static int
gazetteer_import_row(const struct gazetteer_row *row, void *arg)
{
	struct gazetteer_import *im = arg;
	char *keys[GAZETTEER_MAX_ALTERNATES];
	size_t nkeys = 0;
	int rc;

	im->stats->rows++;
	rc = gazetteer_insert_name(im, row, row->name, keys, &nkeys);
	if (rc == 0 && row->alternates[0] != '\0')
		rc = gazetteer_insert_alternates(im, row, keys, &nkeys);
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	return rc;
}

static const char *
gazetteer_source(enum gazetteer_layout layout)
{
	return layout == GAZETTEER_FULL ? "geonames" : "geonames-postal";
}

/* Looks at the first line to know which source's rows the import replaces. */
static enum gazetteer_layout
gazetteer_sniff(const char *data, size_t len)
{
	size_t tabs = 0;

	for (size_t i = 0; i < len && data[i] != '\n'; i++)
		tabs += data[i] == '\t';
	return tabs + 1 == GAZETTEER_FULL ? GAZETTEER_FULL : GAZETTEER_POSTAL;
}

static int
gazetteer_prepare(struct store *st, struct gazetteer_import *im, const char *source,
		  struct cimic_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *del = NULL;
	int rc;

	im->db = db;
	if (sqlite3_prepare_v2(db, "DELETE FROM places WHERE source = ?1", -1, &del, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot prepare the gazetteer"), err);
	sqlite3_bind_text(del, 1, source, -1, SQLITE_STATIC);
	rc = sqlite3_step(del);
	sqlite3_finalize(del);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot clear the old gazetteer"), err);
	if (sqlite3_prepare_v2(db, "INSERT INTO places(name, name_folded, admin1, admin2, admin3, "
			       "postal, lat, lon, accuracy, source) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			       "?8, ?9, ?10)", -1, &im->insert, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot prepare the gazetteer"), err);
	sqlite3_bind_text(im->insert, 10, source, -1, SQLITE_STATIC);
	return 0;
}

int
gazetteer_rekey(struct store *st, struct cimic_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *rd = NULL, *up = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, name FROM places", -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE places SET name_folded = ?2 WHERE id = ?1", -1, &up,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(rd);
		return store_sqlite_error(st, _("cannot update the gazetteer"), err);
	}
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		char *key = gazetteer_key((const char *)sqlite3_column_text(rd, 1));
		if (key == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		sqlite3_bind_int64(up, 1, sqlite3_column_int64(rd, 0));
		sqlite3_bind_text(up, 2, key, -1, free);
		rc = sqlite3_step(up);
		sqlite3_reset(up);
		if (rc != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(up);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot update the gazetteer"), err);
	return 0;
}

int
gazetteer_import(struct store *st, const char *data, size_t len,
		 struct gazetteer_import_stats *stats, struct cimic_error *err)
{
	struct gazetteer_import im = { .stats = stats, .err = err };
	const char *source = gazetteer_source(gazetteer_sniff(data, len));

	memset(stats, 0, sizeof *stats);
	if (store_begin(st, err) != 0)
		return -1;
	if (gazetteer_prepare(st, &im, source, err) != 0 ||
	    gazetteer_parse(data, len, gazetteer_import_row, &im, &stats->layout, err) != 0)
		goto fail;
	sqlite3_finalize(im.insert);
	return store_commit(st, err);
fail:
	sqlite3_finalize(im.insert);
	store_rollback(st);
	return -1;
}

long
gazetteer_count(struct store *st)
{
	sqlite3_stmt *s;
	long n = -1;

	if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM places", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}
