/*
 * materialise.c - the shown value of every field, derived from heads.
 *
 * For a (row, field) the heads are the ops no known op replaces; the
 * shown value is the head greatest under (hlc, author, op id), and the
 * field is in conflict when heads hold more than one distinct value
 * (DESIGN.md section 3).  All of it is recomputed from the ops table, so
 * it depends only on the set of ops held.
 *
 * The UPDATE statements are built once per (table, field) from the
 * model's field table and kept for the life of the process: their text
 * is the key of the store's statement cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/geo.h"
#include "cimic/i18n.h"
#include "cimic/model.h"
#include "materialise.h"
#include "roster_private.h"

static const char *
table_name(unsigned tbl)
{
	switch (tbl) {
	case TBL_CONTACT: return "contacts";
	case TBL_INCIDENT: return "incidents";
	case TBL_LINK: return "links";
	default: return NULL;
	}
}

/* Static SQL per table for row creation. */
static const char *const touch_select[] = {
	NULL,
	"SELECT rowid, created, updated FROM contacts WHERE id=?",
	"SELECT rowid, created, updated FROM incidents WHERE id=?",
	"SELECT rowid, created, updated FROM links WHERE id=?",
};
static const char *const touch_insert[] = {
	NULL,
	"INSERT INTO contacts(id, created, updated, author) VALUES(?, ?, ?, ?)",
	"INSERT INTO incidents(id, created, updated, author) VALUES(?, ?, ?, ?)",
	"INSERT INTO links(id, created, updated, author) VALUES(?, ?, ?, ?)",
};
static const char *const touch_created[] = {
	NULL,
	/* ties on the time go to the smaller author key, so the result is order-free */
	"UPDATE contacts SET created=?2, author=?3 WHERE rowid=?1"
	" AND (created > ?2 OR (created = ?2 AND author > ?3))",
	"UPDATE incidents SET created=?2, author=?3 WHERE rowid=?1"
	" AND (created > ?2 OR (created = ?2 AND author > ?3))",
	"UPDATE links SET created=?2, author=?3 WHERE rowid=?1"
	" AND (created > ?2 OR (created = ?2 AND author > ?3))",
};
static const char *const touch_updated[] = {
	NULL,
	"UPDATE contacts SET updated=?2 WHERE rowid=?1",
	"UPDATE incidents SET updated=?2 WHERE rowid=?1",
	"UPDATE links SET updated=?2 WHERE rowid=?1",
};

static bool held_for(struct store *st, unsigned tbl, unsigned field, unsigned kind,
		     const unsigned char author[32], const unsigned char *creator);

/*
 * The row's creator changed (an op with an earlier time arrived): every
 * op the authority rule looks at is judged again, and the fields whose
 * waiting set changed get their heads and shown value again.
 */
static int
rehold_row(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
	   const unsigned char creator[32], struct cimic_error *err)
{
	static const char list_sql[] =
		"SELECT id, field, kind, author, head FROM ops WHERE row=?1 AND tbl=?2"
		" AND (field=30 OR (tbl=1 AND field=31) OR kind=2)";
	static const char flip_sql[] =
		"UPDATE ops SET head = (head | 2) - (head & 2) WHERE row=?1 AND field=?2 AND id=?3";
	static const char rehead_sql[] =
		"UPDATE ops SET head = (head & 2) | NOT EXISTS(SELECT 1 FROM preds p JOIN ops q"
		"  ON q.row=p.row AND q.field=p.field AND q.id=p.op WHERE p.row=ops.row"
		"  AND p.field=ops.field AND p.pred=ops.id AND q.tbl=ops.tbl AND q.head < 2)"
		" WHERE row=?1 AND field=?2 AND tbl=?3";
	unsigned fields[64];
	size_t nf = 0;
	sqlite3_stmt *s, *f;
	int rc;

	if (sqlite3_prepare_v2(st->db, list_sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, "materialise", err);
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)tbl);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		unsigned field = (unsigned)sqlite3_column_int(s, 1);
		bool now = (sqlite3_column_int(s, 4) & 2) != 0;
		bool want;

		if (sqlite3_column_bytes(s, 3) != 32)
			continue;
		want = held_for(st, tbl, field, (unsigned)sqlite3_column_int(s, 2),
				sqlite3_column_blob(s, 3), creator);
		if (want == now)
			continue;
		if ((f = store_stmt(st, flip_sql)) == NULL)
			break;
		sqlite3_bind_blob(f, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
		sqlite3_bind_int(f, 2, (int)field);
		sqlite3_bind_blob(f, 3, sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0),
				  SQLITE_TRANSIENT);
		if (sqlite3_step(f) != SQLITE_DONE) {
			sqlite3_reset(f);
			break;
		}
		sqlite3_reset(f);
		bool seen = false;
		for (size_t i = 0; i < nf; i++)
			seen = seen || fields[i] == field;
		if (!seen && nf < sizeof fields / sizeof fields[0])
			fields[nf++] = field;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, "materialise", err);
	for (size_t i = 0; i < nf; i++) {
		if ((f = store_stmt(st, rehead_sql)) == NULL)
			return store_sqlite_error(st, "materialise", err);
		sqlite3_bind_blob(f, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
		sqlite3_bind_int(f, 2, (int)fields[i]);
		sqlite3_bind_int(f, 3, (int)tbl);
		rc = sqlite3_step(f);
		sqlite3_reset(f);
		if (rc != SQLITE_DONE)
			return store_sqlite_error(st, "materialise", err);
		/* a field whose only heads now wait shows no value */
		if (materialise_refresh_field(st, tbl, row, fields[i], err) != 0)
			return -1;
	}
	return 0;
}

int
materialise_touch(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		  uint64_t hlc, const unsigned char author[32], struct cimic_error *err)
{
	sqlite3_stmt *s;
	int64_t ms = oplog_hlc_ms(hlc);

	if (tbl < TBL_CONTACT || tbl > TBL_LINK)
		return 0;
	if ((s = store_stmt(st, touch_select[tbl])) == NULL)
		return store_sqlite_error(st, "materialise", err);
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	switch (store_step(st, s, "materialise", err)) {
	case -1:
		sqlite3_reset(s);
		return -1;
	case 1: {
		int64_t rowid = sqlite3_column_int64(s, 0);
		int64_t created = sqlite3_column_int64(s, 1), updated = sqlite3_column_int64(s, 2);
		sqlite3_reset(s);
		if (ms <= created && (s = store_stmt(st, touch_created[tbl])) != NULL) {
			sqlite3_bind_int64(s, 1, rowid);
			sqlite3_bind_int64(s, 2, ms);
			sqlite3_bind_blob(s, 3, author, 32, SQLITE_STATIC);
			if (sqlite3_step(s) != SQLITE_DONE)
				return store_sqlite_error(st, "materialise", err);
			/* the creator may have changed: who waits for HQ follows it */
			if (sqlite3_changes(st->db) > 0 && rehold_row(st, tbl, row, author, err) != 0)
				return -1;
		}
		if (ms > updated && (s = store_stmt(st, touch_updated[tbl])) != NULL) {
			sqlite3_bind_int64(s, 1, rowid);
			sqlite3_bind_int64(s, 2, ms);
			if (sqlite3_step(s) != SQLITE_DONE)
				return store_sqlite_error(st, "materialise", err);
		}
		return 0;
	}
	}
	sqlite3_reset(s);
	if ((s = store_stmt(st, touch_insert[tbl])) == NULL)
		return store_sqlite_error(st, "materialise", err);
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ms);
	sqlite3_bind_int64(s, 3, ms);
	sqlite3_bind_blob(s, 4, author, 32, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlite_error(st, "materialise", err);
	return 0;
}

static void
bind_value(sqlite3_stmt *s, int i, const struct model_field *f, const struct model_value *v)
{
	unsigned char id[CIMIC_ID_BYTES];

	if (v->type == MV_INT)
		sqlite3_bind_int64(s, i, v->i);
	else if (v->type == MV_TEXT && f->type == FT_REF && util_unhex(v->s, id, sizeof id))
		sqlite3_bind_blob(s, i, id, sizeof id, SQLITE_TRANSIENT);
	else if (v->type == MV_TEXT && f->type != FT_REF)
		sqlite3_bind_text(s, i, v->s, -1, SQLITE_STATIC);
	else if (f->type == FT_FLAG)
		sqlite3_bind_int(s, i, 0);
	else
		sqlite3_bind_null(s, i);
}

int
materialise_row_exists(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES])
{
	sqlite3_stmt *s;
	int rc;

	if (tbl < TBL_CONTACT || tbl > TBL_LINK)
		return 1;
	if ((s = store_stmt(st, touch_select[tbl])) == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* "INSERT INTO t(id, created, updated, author, col..., lat, lon) VALUES(?...)", built once. */
static const char *
insert_sql(unsigned tbl, size_t *nfields)
{
	static char *sql[TBL_LINK + 1];
	const struct model_field *f = model_fields((enum model_kind)tbl, nfields);
	struct buf b;

	if (sql[tbl] != NULL)
		return sql[tbl];
	buf_init(&b);
	buf_printf(&b, "INSERT INTO %s(id, created, updated, author", table_name(tbl));
	for (size_t i = 0; i < *nfields; i++)
		buf_printf(&b, ", %s", f[i].column);
	if (tbl != TBL_LINK)
		buf_adds(&b, ", lat, lon");
	buf_adds(&b, ") VALUES(?, ?, ?, ?");
	for (size_t i = 0; i < *nfields + (tbl != TBL_LINK ? 2 : 0); i++)
		buf_adds(&b, ", ?");
	buf_adds(&b, ")");
	sql[tbl] = util_strdup(buf_cstr(&b));
	buf_finish(&b);
	return sql[tbl];
}

int
materialise_insert_row(struct store *st, unsigned tbl, const struct oplog_op *ops, size_t n,
		       uint64_t hlc, const unsigned char author[32], struct cimic_error *err)
{
	const struct oplog_op *by_field[MODEL_MAX_FIELDS] = { 0 };
	size_t nf;
	const char *sql = insert_sql(tbl, &nf);
	const struct model_field *f = model_fields((enum model_kind)tbl, &nf);
	sqlite3_stmt *s;
	struct geo_point p;
	int64_t ms = oplog_hlc_ms(hlc);
	int col = 5, loc = -1;

	for (size_t k = 0; k < n; k++) {
		const struct model_field *fk = model_field_by_id((enum model_kind)tbl, ops[k].field);
		if (fk == NULL || by_field[fk - f] != NULL)
			return 1;   /* unknown or repeated field: take the general path */
		by_field[fk - f] = &ops[k];
	}
	if (sql == NULL || (s = store_stmt(st, sql)) == NULL)
		return store_sqlite_error(st, "materialise", err);
	sqlite3_bind_blob(s, 1, ops[0].row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ms);
	sqlite3_bind_int64(s, 3, ms);
	sqlite3_bind_blob(s, 4, author, 32, SQLITE_STATIC);
	for (size_t i = 0; i < nf; i++, col++) {
		static const struct model_value none = { MV_NULL, 0, NULL };
		bind_value(s, col, &f[i], by_field[i] ? &by_field[i]->v : &none);
		if (f[i].type == FT_LOCATION && by_field[i] && by_field[i]->v.type == MV_TEXT &&
		    geo_parse(by_field[i]->v.s, &p, NULL) == 0)
			loc = (int)i;
	}
	if (tbl != TBL_LINK && loc >= 0) {
		sqlite3_bind_double(s, col, p.lat);
		sqlite3_bind_double(s, col + 1, p.lon);
	}
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlite_error(st, "materialise", err);
	return 0;
}

/* The UPDATE statement for one field, built once. */
static const char *
update_sql(unsigned tbl, const struct model_field *f)
{
	static char *sql[TBL_LINK + 1][256];
	const char *t = table_name(tbl);

	if (t == NULL)
		return NULL;
	if (sql[tbl][f->id] == NULL) {
		if (f->type == FT_LOCATION)
			sql[tbl][f->id] = util_aprintf(
				"UPDATE %s SET %s=?2, lat=?3, lon=?4 WHERE id=?1", t, f->column);
		else if (f->id == CF_MERGED_INTO && tbl == TBL_CONTACT)
			sql[tbl][f->id] = util_aprintf(
				"UPDATE %s SET %s=?2 WHERE id=?1", t, f->column);
		else
			sql[tbl][f->id] = util_aprintf("UPDATE %s SET %s=?2 WHERE id=?1", t, f->column);
	}
	return sql[tbl][f->id];
}

static int
write_column(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
	     const struct model_field *f, const struct model_value *v, struct cimic_error *err)
{
	const char *sql = update_sql(tbl, f);
	sqlite3_stmt *s;

	if (sql == NULL || (s = store_stmt(st, sql)) == NULL)
		return store_sqlite_error(st, "materialise", err);
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	bind_value(s, 2, f, v);
	if (f->type == FT_LOCATION) {
		struct geo_point p;
		if (v->type == MV_TEXT && geo_parse(v->s, &p, NULL) == 0) {
			sqlite3_bind_double(s, 3, p.lat);
			sqlite3_bind_double(s, 4, p.lon);
		}
	}
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlite_error(st, "materialise", err);
	return 0;
}

static void
value_from_column(sqlite3_stmt *s, int col, struct model_value *v)
{
	memset(v, 0, sizeof *v);
	switch (sqlite3_column_type(s, col)) {
	case SQLITE_INTEGER:
		v->type = MV_INT;
		v->i = sqlite3_column_int64(s, col);
		break;
	case SQLITE_TEXT:
		v->type = MV_TEXT;
		v->s = util_strdup((const char *)sqlite3_column_text(s, col));
		if (v->s == NULL)
			v->type = MV_NULL;
		break;
	default:
		break;
	}
}

static bool
value_equal(sqlite3_stmt *s, int col, sqlite3_value *other)
{
	int t = sqlite3_column_type(s, col);

	if (t != sqlite3_value_type(other))
		return false;
	if (t == SQLITE_INTEGER)
		return sqlite3_column_int64(s, col) == sqlite3_value_int64(other);
	if (t == SQLITE_TEXT)
		return sqlite3_column_bytes(s, col) == sqlite3_value_bytes(other) &&
		       memcmp(sqlite3_column_text(s, col), sqlite3_value_text(other),
			      (size_t)sqlite3_column_bytes(s, col)) == 0;
	return true;
}

static const char heads_sql[] =
	"SELECT id, value, hlc FROM ops WHERE row=?1 AND field=?2 AND head=1 AND tbl=?3"
	" ORDER BY hlc DESC, author DESC, id DESC";

int
materialise_shown_op(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		     unsigned field, unsigned char opid[OPLOG_OPID_BYTES], bool *conflict,
		     struct model_value *value)
{
	sqlite3_stmt *s = store_stmt(st, heads_sql);
	sqlite3_value *first = NULL;
	int found = 0, rc = SQLITE_DONE;

	if (conflict)
		*conflict = false;
	if (s == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)field);
	sqlite3_bind_int(s, 3, (int)tbl);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!found) {
			found = 1;
			if (sqlite3_column_bytes(s, 0) == OPLOG_OPID_BYTES)
				memcpy(opid, sqlite3_column_blob(s, 0), OPLOG_OPID_BYTES);
			if (value)
				value_from_column(s, 1, value);
			first = sqlite3_value_dup(sqlite3_column_value(s, 1));
			if (first == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			if (conflict == NULL) {
				rc = SQLITE_DONE;
				break;
			}
		} else if (!value_equal(s, 1, first)) {
			*conflict = true;
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_value_free(first);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		if (value)
			model_value_finish(value);
		return -1;
	}
	return found;
}

static int
set_conflict(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
	     unsigned field, bool open, uint64_t hlc, struct cimic_error *err)
{
	static const char add[] =
		"INSERT OR IGNORE INTO conflicts(row, field, tbl, opened) VALUES(?1, ?2, ?3, ?4)";
	static const char del[] = "DELETE FROM conflicts WHERE row=?1 AND field=?2";
	sqlite3_stmt *s = store_stmt(st, open ? add : del);

	if (s == NULL)
		return store_sqlite_error(st, "materialise", err);
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)field);
	if (open) {
		sqlite3_bind_int(s, 3, (int)tbl);
		sqlite3_bind_int64(s, 4, (int64_t)hlc);
	}
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlite_error(st, "materialise", err);
	if (sqlite3_changes(st->db) > 0)
		model_conflicts_moved(st, open ? 1 : -1);
	return 0;
}

int
materialise_field(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		  unsigned field, struct cimic_error *err)
{
	const struct model_field *f;
	unsigned char opid[OPLOG_OPID_BYTES];
	struct model_value v;
	bool conflict;
	int rc;

	if (tbl == TBL_NODE)
		return roster_materialise(st, row, err);
	if (tbl < TBL_CONTACT || tbl > TBL_LINK)
		return 0;   /* a table from a newer version: kept in the log, not shown */
	f = model_field_by_id((enum model_kind)tbl, field);
	if (f == NULL)
		return 0;   /* a field from a newer version: kept in the log, not shown */
	memset(&v, 0, sizeof v);
	switch (materialise_shown_op(st, tbl, row, field, opid, &conflict, &v)) {
	case 0:
		return 0;
	case -1:
		return store_sqlite_error(st, _("cannot read the op log"), err);
	}
	rc = write_column(st, tbl, row, f, &v, err);
	model_value_finish(&v);
	if (rc == 0)
		rc = set_conflict(st, tbl, row, field, conflict, st->hlc_last, err);
	return rc;
}

/*
 * The authority rule (struct oplog_derived's held): archiving, merging
 * and resolving a conflict on a record another node created wait for
 * HQ.  Entries by HQ (this store as HQ, or the HQ it pinned) take effect;
 * so does a node's own record, its creator being the author of the
 * row's earliest op (a row the entry itself brings is the author's).
 */
bool
materialise_held(struct store *st, const struct oplog_entry *e, const struct oplog_op *op)
{
	static const char *const creator[] = {
		NULL,
		"SELECT author FROM contacts WHERE id=?",
		"SELECT author FROM incidents WHERE id=?",
		"SELECT author FROM links WHERE id=?",
	};
	unsigned char who[32];
	sqlite3_stmt *s;
	bool known;
	int rc;

	if (op->tbl < TBL_CONTACT || op->tbl > TBL_LINK ||
	    !(op->kind == OP_RESOLVE || op->field == CF_ARCHIVED ||
	      (op->tbl == TBL_CONTACT && op->field == CF_MERGED_INTO)) ||
	    roster_is_hq(st, e->author))
		return false;   /* not an op the rule looks at, or by HQ */
	if ((s = store_stmt(st, creator[op->tbl])) == NULL)
		return true;
	sqlite3_bind_blob(s, 1, op->row, CIMIC_ID_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s);
	known = rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32;
	if (known)
		memcpy(who, sqlite3_column_blob(s, 0), 32);
	sqlite3_reset(s);
	/* a row not held yet is the entry's own (rehold_row judges again if that changes) */
	return held_for(st, op->tbl, op->field, op->kind, e->author, known ? who : e->author);
}

static bool
held_for(struct store *st, unsigned tbl, unsigned field, unsigned kind,
	 const unsigned char author[32], const unsigned char *creator)
{
	bool destructive = kind == OP_RESOLVE || field == CF_ARCHIVED ||
			   (tbl == TBL_CONTACT && field == CF_MERGED_INTO);

	if (!destructive || roster_is_hq(st, author))
		return false;
	return memcmp(creator, author, 32) != 0;
}

/* After ops left a field (struct oplog_derived's refresh_field). */
int
materialise_refresh_field(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
			  unsigned field, struct cimic_error *err)
{
	static const char *const drop[] = {
		NULL,
		"DELETE FROM contacts WHERE id=?1 AND NOT EXISTS(SELECT 1 FROM ops WHERE row=?1 AND tbl=1)",
		"DELETE FROM incidents WHERE id=?1 AND NOT EXISTS(SELECT 1 FROM ops WHERE row=?1 AND tbl=2)",
		"DELETE FROM links WHERE id=?1 AND NOT EXISTS(SELECT 1 FROM ops WHERE row=?1 AND tbl=3)",
	};
	const struct model_field *f;
	unsigned char opid[OPLOG_OPID_BYTES];
	struct model_value v;
	sqlite3_stmt *s;
	int found;

	if (tbl == TBL_NODE)
		return roster_materialise(st, row, err);
	if (tbl < TBL_CONTACT || tbl > TBL_LINK || (f = model_field_by_id((enum model_kind)tbl, field)) == NULL)
		return 0;
	if (model_mark_dirty(st, tbl, row) != 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	memset(&v, 0, sizeof v);
	found = materialise_shown_op(st, tbl, row, field, opid, NULL, &v);
	model_value_finish(&v);
	if (found < 0)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	if (found)
		return materialise_field(st, tbl, row, field, err);
	v.type = MV_NULL;
	if (write_column(st, tbl, row, f, &v, err) != 0 ||
	    set_conflict(st, tbl, row, field, false, 0, err) != 0)
		return -1;
	if ((s = store_stmt(st, drop[tbl])) == NULL)
		return store_sqlite_error(st, "materialise", err);
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlite_error(st, "materialise", err);
	return 0;
}

/* Materialises ops [0, n) of an entry, all of one row (struct oplog_derived). */
int
materialise_apply_row(struct store *st, const struct oplog_entry *e, const struct oplog_op *ops,
		      size_t n, bool any_superseded, struct cimic_error *err)
{
	int rc, exists;

	if (ops->tbl <= TBL_LINK && model_mark_dirty(st, ops->tbl, ops->row) != 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	exists = any_superseded ? 1 : materialise_row_exists(st, ops->tbl, ops->row);
	if (exists < 0)
		return store_sqlite_error(st, _("cannot apply an entry"), err);
	if (exists == 0) {
		rc = materialise_insert_row(st, ops->tbl, ops, n, e->hlc, e->author, err);
		if (rc <= 0)
			return rc;
	}
	if (materialise_touch(st, ops->tbl, ops->row, e->hlc, e->author, err) != 0)
		return -1;
	for (size_t k = 0; k < n; k++)
		if (materialise_field(st, ops[k].tbl, ops[k].row, ops[k].field, err) != 0)
			return -1;
	return 0;
}
