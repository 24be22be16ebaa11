/*
 * model_query.c - reading records from the materialised tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/geo.h"
#include "cimic/i18n.h"
#include "cimic/model.h"
#include "cimic/search.h"
#include "cimic/timefmt.h"
#include "store_private.h"

static const char *
table_of(enum model_kind kind)
{
	return kind == MODEL_CONTACT ? "contacts" : kind == MODEL_INCIDENT ? "incidents" : "links";
}

/* "t.id, t.col1, ..., t.lat?, extras, ops?": column order used by read_row. */
static void
select_columns(enum model_kind kind, bool with_ops, struct buf *b)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);

	buf_adds(b, "t.id");
	for (size_t i = 0; i < n; i++)
		buf_printf(b, ", t.%s", f[i].column);
	buf_adds(b, ", t.created, t.updated, t.author,"
		    " (SELECT count(*) FROM conflicts c WHERE c.row=t.id)");
	if (kind != MODEL_LINK)
		buf_adds(b, ", t.lat, t.lon");
	if (with_ops)
		buf_adds(b, ", (SELECT count(*) FROM ops o WHERE o.row=t.id)");
}

static void
unit_of(struct store *st, const void *author, int len, char *out, size_t outsz)
{
	static const char sql[] = "SELECT unit FROM nodes WHERE sign_pk=?";
	sqlite3_stmt *s;

	out[0] = '\0';
	if (author == NULL || len != 32)
		return;
	if (memcmp(author, st->id.pub.sign_pk, 32) == 0) {
		snprintf(out, outsz, "%s", st->id.pub.unit);
		return;
	}
	if ((s = store_stmt(st, sql)) == NULL)
		return;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
}

/* Reads the current row into rec: 0, or -1 (err set) when memory ran out. */
static int
read_row(struct store *st, sqlite3_stmt *s, enum model_kind kind, bool with_ops,
	 struct model_record *rec, struct cimic_error *err)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);
	int col = 1;
	bool oom = false;

	model_record_init(rec, kind);
	if (sqlite3_column_bytes(s, 0) == CIMIC_ID_BYTES)
		memcpy(rec->id, sqlite3_column_blob(s, 0), CIMIC_ID_BYTES);
	for (size_t i = 0; i < n; i++, col++) {
		struct model_value *v = &rec->v[i];
		int t = sqlite3_column_type(s, col);
		if (f[i].type == FT_REF && t == SQLITE_BLOB &&
		    sqlite3_column_bytes(s, col) == CIMIC_ID_BYTES) {
			char hex[CIMIC_ID_HEX];
			util_hex(sqlite3_column_blob(s, col), CIMIC_ID_BYTES, hex);
			v->type = MV_TEXT;
			v->s = util_strdup(hex);
			oom = oom || v->s == NULL;
			if (strcmp(f[i].name, "merged_into") == 0) {
				rec->merged = true;
				memcpy(rec->merged_into, sqlite3_column_blob(s, col), CIMIC_ID_BYTES);
			}
		} else if (t == SQLITE_INTEGER) {
			v->type = MV_INT;
			v->i = sqlite3_column_int64(s, col);
		} else if (t == SQLITE_TEXT) {
			v->type = MV_TEXT;
			v->s = util_strdup((const char *)sqlite3_column_text(s, col));
			oom = oom || v->s == NULL;
		}
		if (f[i].type == FT_FLAG && strcmp(f[i].name, "archived") == 0)
			rec->archived = v->type == MV_INT && v->i != 0;
	}
	rec->created_ms = sqlite3_column_int64(s, col++);
	rec->updated_ms = sqlite3_column_int64(s, col++);
	unit_of(st, sqlite3_column_blob(s, col), sqlite3_column_bytes(s, col), rec->author_unit,
		sizeof rec->author_unit);
	if (sqlite3_column_bytes(s, col) == (int)sizeof rec->author)
		memcpy(rec->author, sqlite3_column_blob(s, col), sizeof rec->author);
	col++;
	rec->conflicts = sqlite3_column_int(s, col++);
	if (kind != MODEL_LINK) {
		if (sqlite3_column_type(s, col) == SQLITE_FLOAT) {
			rec->has_location = true;
			rec->lat = sqlite3_column_double(s, col);
			rec->lon = sqlite3_column_double(s, col + 1);
		}
		col += 2;
	}
	if (with_ops)
		rec->ops = (long)sqlite3_column_int64(s, col);
	if (oom)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return 0;
}

int
model_get(struct store *st, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
	  struct model_record *rec, struct cimic_error *err)
{
	struct buf b;
	sqlite3_stmt *s;
	int rc;

	buf_init(&b);
	buf_adds(&b, "SELECT ");
	select_columns(kind, false, &b);
	buf_printf(&b, " FROM %s t WHERE t.id=?", table_of(kind));
	rc = sqlite3_prepare_v2(st->db, buf_cstr(&b), -1, &s, NULL);
	buf_finish(&b);
	if (rc != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read a record"), err);
	sqlite3_bind_blob(s, 1, id, CIMIC_ID_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		model_record_finish(rec);
		rc = read_row(st, s, kind, false, rec, err);
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot read a record"), err);
	return cimic_error_set(err, CIMIC_ENOINPUT, _("no such %s"), model_kind_name(kind));
}

int
model_resolve_id(struct store *st, enum model_kind kind, const char *text,
		 unsigned char id[CIMIC_ID_BYTES], struct cimic_error *err)
{
	int step = 0;
	char lo[CIMIC_ID_HEX], hi[CIMIC_ID_HEX], sql[160];
	unsigned char a[CIMIC_ID_BYTES], b[CIMIC_ID_BYTES];
	size_t n = strlen(text);
	sqlite3_stmt *s;
	int found = 0;

	if (n < 4 || n > 2 * CIMIC_ID_BYTES)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("'%s' is not a record id (give at least 4 hex digits)"), text);
	for (size_t i = 0; i < n; i++) {
		char c = text[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return cimic_error_set(err, CIMIC_EUSAGE, _("'%s' is not a record id"), text);
	}
	/* the prefix names the range [prefix000..., prefixfff...] */
	snprintf(lo, sizeof lo, "%s%0*d", text, (int)(2 * CIMIC_ID_BYTES - n), 0);
	memcpy(hi, lo, sizeof hi);
	for (size_t i = n; i < 2 * CIMIC_ID_BYTES; i++)
		hi[i] = 'f';
	util_unhex(lo, a, sizeof a);
	util_unhex(hi, b, sizeof b);
	snprintf(sql, sizeof sql, "SELECT DISTINCT id FROM %s WHERE id BETWEEN ? AND ? LIMIT 2",
		 table_of(kind));
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read a record"), err);
	sqlite3_bind_blob(s, 1, a, sizeof a, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, b, sizeof b, SQLITE_STATIC);
	while ((step = store_step(st, s, _("cannot read a record"), err)) > 0) {
		if (found++ == 0 && sqlite3_column_bytes(s, 0) == CIMIC_ID_BYTES)
			memcpy(id, sqlite3_column_blob(s, 0), CIMIC_ID_BYTES);
	}
	sqlite3_finalize(s);
	if (step < 0)
		return -1;
	if (found == 0)
		return cimic_error_set(err, CIMIC_ENOINPUT, _("no %s with id %s"),
				       model_kind_name(kind), text);
	if (found > 1)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("id %s matches several records: give more digits"), text);
	return 0;
}

static void
fold_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *text = sqlite3_value_text(argv[0]);
	char *folded;

	(void)argc;
	if (text == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if ((folded = search_fold((const char *)text)) == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, folded, -1, free);
}

/*
 * cimic_fold(text): the search folding (case, apostrophes, stress) as an
 * SQL function, so "київ" names the settlement "Київ".  Registered on
 * first use; registering again would expire every prepared statement.
 */
static int
ensure_fold(struct store *st, struct cimic_error *err)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, "SELECT cimic_fold('')", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_finalize(s);
		return 0;
	}
	if (sqlite3_create_function_v2(st->db, "cimic_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				       fold_fn, NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot list records"), err);
	return 0;
}

/* A change listing reads the changes table first, in seq order (pubstate.h). */
static bool
is_change_listing(const struct model_query *q)
{
	return q->changed_upto > 0;
}

/* " FROM ... WHERE ..." with named parameters, bound by bind_where. */
static void
build_from_where(const struct model_query *q, struct buf *b)
{
	if (is_change_listing(q)) {
		buf_printf(b, " FROM changes ch JOIN %s t ON t.id=ch.id WHERE ch.kind=%d"
			      " AND ch.seq>:cafter AND ch.seq<=:cupto", table_of(q->kind), (int)q->kind);
		return;
	}
	buf_printf(b, " FROM %s t WHERE 1", table_of(q->kind));
	if (q->only_archived)
		buf_adds(b, " AND t.archived");
	else if (!q->include_archived)
		buf_adds(b, " AND NOT t.archived");
	if (q->merged_into && q->kind != MODEL_LINK)
		buf_adds(b, " AND t.merged_into=:mergedinto");
	else if (q->kind != MODEL_LINK && !q->include_merged)
		buf_adds(b, " AND t.merged_into IS NULL");
	if (q->type)
		buf_adds(b, q->kind == MODEL_CONTACT ? " AND t.category=:type" : " AND t.type=:type");
	if (q->status && q->kind == MODEL_INCIDENT)
		buf_adds(b, " AND t.status=:status");
	if (q->min_severity > 0 && q->kind == MODEL_INCIDENT)
		buf_adds(b, " AND t.severity>=:sev");
	if (q->since_ms > 0)
		buf_adds(b, q->kind == MODEL_INCIDENT ? " AND t.occurred>=:since" : " AND t.created>=:since");
	if (q->updated_since_ms > 0)
		buf_adds(b, " AND t.updated>=:usince");
	if (q->settlement)
		buf_adds(b, " AND cimic_fold(t.settlement)=:settl");
	if (q->unit)
		buf_adds(b, " AND (t.author IN (SELECT sign_pk FROM nodes WHERE cimic_fold(unit)=:unit"
			    " OR cimic_fold(coalesce(name, ''))=:unit) OR (:selfhit AND t.author=:self))");
	if (q->area && q->kind != MODEL_LINK)
		buf_adds(b, " AND t.lat BETWEEN :south AND :north AND t.lon BETWEEN :west AND :east");
}

static void
bind_fold(sqlite3_stmt *s, const char *name, const char *text)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		sqlite3_bind_text(s, i, search_fold(text), -1, free);
}

static void
bind_double(sqlite3_stmt *s, const char *name, double v)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		sqlite3_bind_double(s, i, v);
}

static void
bind_where(struct store *st, const struct model_query *q, sqlite3_stmt *s)
{
	int i;

	if ((i = sqlite3_bind_parameter_index(s, ":type")) > 0)
		sqlite3_bind_text(s, i, q->type, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(s, ":status")) > 0)
		sqlite3_bind_text(s, i, q->status, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(s, ":sev")) > 0)
		sqlite3_bind_int(s, i, q->min_severity);
	if ((i = sqlite3_bind_parameter_index(s, ":since")) > 0)
		sqlite3_bind_int64(s, i, q->since_ms);
	if ((i = sqlite3_bind_parameter_index(s, ":usince")) > 0)
		sqlite3_bind_int64(s, i, q->updated_since_ms);
	if ((i = sqlite3_bind_parameter_index(s, ":mergedinto")) > 0)
		sqlite3_bind_blob(s, i, q->merged_into, CIMIC_ID_BYTES, SQLITE_STATIC);
	bind_fold(s, ":settl", q->settlement);
	bind_fold(s, ":unit", q->unit);
	if ((i = sqlite3_bind_parameter_index(s, ":self")) > 0)
		sqlite3_bind_blob(s, i, st->id.pub.sign_pk, 32, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(s, ":selfhit")) > 0) {
		char *a = search_fold(q->unit), *b = search_fold(st->id.pub.unit);
		sqlite3_bind_int(s, i, a != NULL && b != NULL && strcmp(a, b) == 0);
		free(a);
		free(b);
	}
	if (q->area != NULL) {
		bind_double(s, ":south", q->area->south);
		bind_double(s, ":north", q->area->north);
		bind_double(s, ":west", q->area->west);
		bind_double(s, ":east", q->area->east);
	}
	if ((i = sqlite3_bind_parameter_index(s, ":cafter")) > 0)
		sqlite3_bind_int64(s, i, q->changed_after);
	if ((i = sqlite3_bind_parameter_index(s, ":cupto")) > 0)
		sqlite3_bind_int64(s, i, q->changed_upto);
}

static const char *order_by(const struct model_query *q);

/*
 * Prepares "SELECT <what> FROM <table> t WHERE ... [ORDER BY ...]" with its
 * parameters bound; a change listing is in seq order, whole.
 */
static int
prepare_query(struct store *st, const struct model_query *q, const char *what, bool ordered,
	      sqlite3_stmt **s, struct cimic_error *err)
{
	struct buf b;
	int rc;

	if ((q->settlement || q->unit) && ensure_fold(st, err) != 0)
		return -1;
	buf_init(&b);
	buf_printf(&b, "SELECT %s", what);
	build_from_where(q, &b);
	if (ordered && is_change_listing(q))
		buf_adds(&b, " ORDER BY ch.seq");
	else if (ordered)
		buf_adds(&b, order_by(q));
	if (ordered && q->limit > 0 && !is_change_listing(q))
		buf_printf(&b, " LIMIT %d OFFSET %d", q->limit, q->offset > 0 ? q->offset : 0);
	rc = sqlite3_prepare_v2(st->db, buf_cstr(&b), -1, s, NULL);
	buf_finish(&b);
	if (rc != SQLITE_OK)
		return store_sqlite_error(st, _("cannot list records"), err);
	bind_where(st, q, *s);
	return 0;
}

static const char *
order_by(const struct model_query *q)
{
	bool inc = q->kind == MODEL_INCIDENT;

	switch (q->sort) {
	case SORT_OLDEST: return inc ? " ORDER BY t.occurred, t.rowid" : " ORDER BY t.created, t.rowid";
	case SORT_NAME: return inc ? " ORDER BY t.title COLLATE NOCASE" : " ORDER BY t.name COLLATE NOCASE";
	case SORT_SEVERITY: return inc ? " ORDER BY t.severity DESC NULLS LAST, t.occurred DESC"
				       : " ORDER BY t.name COLLATE NOCASE";
	case SORT_UPDATED: return " ORDER BY t.updated DESC, t.rowid DESC";
	case SORT_NEWEST: return inc ? " ORDER BY t.occurred DESC, t.rowid DESC"
				     : " ORDER BY t.created DESC, t.rowid DESC";
	case SORT_DEFAULT: break;
	}
	return inc ? " ORDER BY t.occurred DESC, t.rowid DESC" : " ORDER BY t.name COLLATE NOCASE, t.rowid";
}

int
model_list(struct store *st, const struct model_query *q, model_record_cb cb, void *arg,
	   struct cimic_error *err)
{
	struct buf cols;
	sqlite3_stmt *s;
	int rc;

	buf_init(&cols);
	select_columns(q->kind, is_change_listing(q), &cols);
	rc = prepare_query(st, q, buf_cstr(&cols), true, &s, err);
	buf_finish(&cols);
	if (rc != 0)
		return -1;
	while (rc == 0) {
		struct model_record rec;
		int step = sqlite3_step(s);
		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = store_sqlite_error(st, _("cannot list records"), err);
			break;
		}
		rc = read_row(st, s, q->kind, is_change_listing(q), &rec, err);
		if (rc == 0)
			rc = cb(&rec, arg);
		model_record_finish(&rec);
	}
	sqlite3_finalize(s);
	return rc;
}

int
model_count(struct store *st, const struct model_query *q, long *count, struct cimic_error *err)
{
	sqlite3_stmt *s;
	int rc;

	*count = 0;
	if (prepare_query(st, q, "count(*)", false, &s, err) != 0)
		return -1;
	rc = store_step(st, s, _("cannot count records"), err);
	*count = rc > 0 ? (long)sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc < 0 ? -1 : 0;
}

int
model_position(struct store *st, const struct model_query *q, const unsigned char id[CIMIC_ID_BYTES],
	       long *pos, struct cimic_error *err)
{
	struct model_query all = *q;
	sqlite3_stmt *s;
	long i = 0;
	int rc, found = 0;

	all.limit = all.offset = 0;
	if (prepare_query(st, &all, "t.id", true, &s, err) != 0)
		return -1;
	while ((rc = store_step(st, s, _("cannot list records"), err)) > 0) {
		if (sqlite3_column_bytes(s, 0) == CIMIC_ID_BYTES &&
		    memcmp(sqlite3_column_blob(s, 0), id, CIMIC_ID_BYTES) == 0) {
			*pos = i;
			found = 1;
			break;
		}
		i++;
	}
	sqlite3_finalize(s);
	return rc < 0 ? -1 : found;
}

int
model_linked(struct store *st, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
	     model_record_cb cb, void *arg, struct cimic_error *err)
{
	int step = 0;
	enum model_kind other = kind == MODEL_INCIDENT ? MODEL_CONTACT : MODEL_INCIDENT;
	struct buf b;
	sqlite3_stmt *s;
	int rc;

	buf_init(&b);
	buf_adds(&b, "SELECT ");
	select_columns(other, false, &b);
	/*
	 * A record shows the links of the records merged into it, and a link
	 * to a merged record shows its winner: merging moves nothing, so
	 * unmerging gives each record its own links back.
	 */
	buf_printf(&b, " FROM %s t WHERE NOT t.archived AND t.merged_into IS NULL AND t.id IN ("
		       "SELECT coalesce(o.merged_into, o.id) FROM links l JOIN %s o ON o.id = l.%s"
		       " WHERE NOT l.archived AND (l.%s=?1 OR l.%s IN"
		       " (SELECT id FROM %s WHERE merged_into=?1)))",
		   table_of(other), table_of(other), other == MODEL_CONTACT ? "contact" : "incident",
		   kind == MODEL_CONTACT ? "contact" : "incident",
		   kind == MODEL_CONTACT ? "contact" : "incident", table_of(kind));
	buf_adds(&b, other == MODEL_CONTACT ? " ORDER BY t.name" : " ORDER BY t.occurred DESC");
	rc = sqlite3_prepare_v2(st->db, buf_cstr(&b), -1, &s, NULL);
	buf_finish(&b);
	if (rc != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read links"), err);
	sqlite3_bind_blob(s, 1, id, CIMIC_ID_BYTES, SQLITE_STATIC);
	rc = 0;
	while (rc == 0 && (step = store_step(st, s, _("cannot read links"), err)) > 0) {
		struct model_record rec;
		rc = read_row(st, s, other, false, &rec, err);
		if (rc == 0)
			rc = cb(&rec, arg);
		model_record_finish(&rec);
	}
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

void
model_record_json(const struct model_record *rec, struct buf *out)
{
	size_t n;
	const struct model_field *f = model_fields(rec->kind, &n);
	char hex[CIMIC_ID_HEX], tbuf[40];

	util_hex(rec->id, CIMIC_ID_BYTES, hex);
	buf_printf(out, "{\"id\":\"%s\",\"kind\":\"%s\"", hex, model_kind_name(rec->kind));
	for (size_t i = 0; i < n; i++) {
		const struct model_value *v = &rec->v[i];
		if (f[i].type == FT_FLAG)
			continue;
		buf_addc(out, ',');
		buf_json_str(out, f[i].name);
		buf_addc(out, ':');
		if (v->type == MV_NULL) {
			buf_adds(out, "null");
		} else if (f[i].type == FT_TIME) {
			timefmt_iso_utc(v->i, tbuf, sizeof tbuf);
			buf_json_str(out, tbuf);
			buf_printf(out, ",\"%s_dtg\":", f[i].name);
			timefmt_dtg(v->i, tbuf, sizeof tbuf);
			buf_json_str(out, tbuf);
		} else if (v->type == MV_INT) {
			buf_printf(out, "%lld", (long long)v->i);
		} else {
			buf_json_str(out, v->s);
		}
	}
	buf_printf(out, ",\"archived\":%s", rec->archived ? "true" : "false");
	if (rec->kind != MODEL_LINK && rec->has_location) {
		/* "%.6f" would follow LC_NUMERIC; the canonical text already has '.' */
		const struct model_value *loc = model_record_get(rec, "location");
		if (loc && loc->type == MV_TEXT) {
			const char *comma = strchr(loc->s, ',');
			if (comma)
				buf_printf(out, ",\"lat\":%.*s,\"lon\":%s", (int)(comma - loc->s), loc->s,
					   comma + 1);
		}
	}
	timefmt_iso_utc(rec->created_ms, tbuf, sizeof tbuf);
	buf_adds(out, ",\"created\":");
	buf_json_str(out, tbuf);
	timefmt_iso_utc(rec->updated_ms, tbuf, sizeof tbuf);
	buf_adds(out, ",\"updated\":");
	buf_json_str(out, tbuf);
	buf_adds(out, ",\"unit\":");
	buf_json_str(out, rec->author_unit);
	buf_printf(out, ",\"conflicts\":%d}", rec->conflicts);
}
