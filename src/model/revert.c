/*
 * revert.c - `peer revert NAME --after SEQ` (DESIGN.md section 4): HQ
 * undoes what a node did after SEQ by writing ops of its own.
 *
 * For every field of a record the node changed in its entries after SEQ,
 * the value restored is the one the node's first such change replaced
 * (the op it named as its pred); a field it set first gets no value (an
 * archive flag: not archived).  A record the node created after SEQ is
 * archived.  Fields changed since by another node (HQ's review decisions
 * among them) are left alone.  HQ's ops resolve the field (they replace every head), so
 * they replicate like any edit and every node reaches the same view.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/model.h"
#include "cimic/roster.h"
#include "materialise.h"

/* The node's ops after `after`, first change of each field first. */
static const char changed_sql[] =
	"SELECT o.tbl, o.row, o.field, o.id, e.seq FROM ops o JOIN entries e"
	"  ON e.author=o.author AND substr(e.hash, 1, 16)=substr(o.id, 1, 16)"
	" WHERE o.author=?1 AND e.seq>?2 AND o.tbl BETWEEN 1 AND 3"
	/* a field someone changed since (HQ's decision included) is left as it is */
	"  AND EXISTS(SELECT 1 FROM ops h JOIN entries he ON he.author=h.author"
	"    AND substr(he.hash, 1, 16)=substr(h.id, 1, 16) WHERE h.row=o.row AND h.field=o.field"
	"    AND h.tbl=o.tbl AND h.author=?1 AND he.seq>?2 AND h.head & 1)"
	" ORDER BY o.tbl, o.row, o.field, e.seq";
/* Did the node create the row after `after` (its earliest op of the row is after it)? */
static const char created_sql[] =
	"SELECT NOT EXISTS(SELECT 1 FROM ops o WHERE o.row=?1 AND o.tbl=?2 AND o.author<>?3)"
	"   AND NOT EXISTS(SELECT 1 FROM ops o JOIN entries e ON e.author=o.author"
	"     AND substr(e.hash, 1, 16)=substr(o.id, 1, 16)"
	"     WHERE o.row=?1 AND o.tbl=?2 AND e.seq<=?4)";
/* The value of the op the node's first change named as its pred (what it replaced). */
static const char before_sql[] =
	"SELECT q.value, q.id IS NOT NULL FROM preds p LEFT JOIN ops q ON q.row=p.row AND"
	"  q.field=p.field AND q.id=p.pred AND q.tbl=?4 WHERE p.row=?1 AND p.field=?2 AND p.op=?3"
	" ORDER BY q.hlc DESC LIMIT 1";

struct change {
	unsigned tbl, field;
	unsigned char row[CIMIC_ID_BYTES], op[OPLOG_OPID_BYTES];
};

static int
value_before(struct store *st, const struct change *c, struct model_value *v, struct cimic_error *err)
{
	sqlite3_stmt *s = store_stmt(st, before_sql);
	int rc;

	memset(v, 0, sizeof *v);
	if (s == NULL)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, c->row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)c->field);
	sqlite3_bind_blob(s, 3, c->op, OPLOG_OPID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, (int)c->tbl);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_int(s, 1)) {
		if (sqlite3_column_type(s, 0) == SQLITE_INTEGER) {
			v->type = MV_INT;
			v->i = sqlite3_column_int64(s, 0);
		} else if (sqlite3_column_type(s, 0) == SQLITE_TEXT) {
			v->type = MV_TEXT;
			v->s = util_strdup((const char *)sqlite3_column_text(s, 0));
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	if (v->type == MV_NULL && (c->field == CF_ARCHIVED)) {
		v->type = MV_INT;   /* a flag it set first: not set */
		v->i = 0;
	}
	return 0;
}

static int
created_after(struct store *st, const struct change *c, const unsigned char author[32], uint64_t after,
	      bool *yes, struct cimic_error *err)
{
	sqlite3_stmt *s = store_stmt(st, created_sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, c->row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)c->tbl);
	sqlite3_bind_blob(s, 3, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (int64_t)after);
	rc = sqlite3_step(s);
	*yes = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	return 0;
}

int
roster_revert(struct oplog_txn *txn, const unsigned char author[32], uint64_t after, long *fields,
	      long *records, struct cimic_error *err)
{
	struct store *st = oplog_txn_store(txn);
	struct change *ch = NULL, last;
	size_t n = 0;
	sqlite3_stmt *s;
	int step, rc = 0;
	bool have_last = false;

	*fields = *records = 0;
	if (st->id.pub.role != NODE_HQ)
		return cimic_error_set(err, CIMIC_EUSAGE, _("only HQ reverts what a node did"));
	if (sqlite3_prepare_v2(st->db, changed_sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)after);
	while ((step = store_step(st, s, _("cannot read the op log"), err)) > 0) {
		struct change c;
		c.tbl = (unsigned)sqlite3_column_int(s, 0);
		memcpy(c.row, sqlite3_column_blob(s, 1), CIMIC_ID_BYTES);
		c.field = (unsigned)sqlite3_column_int(s, 2);
		memcpy(c.op, sqlite3_column_blob(s, 3), OPLOG_OPID_BYTES);
		if (have_last && last.tbl == c.tbl && last.field == c.field &&
		    memcmp(last.row, c.row, CIMIC_ID_BYTES) == 0)
			continue;   /* only the node's first change of a field counts */
		struct change *grown = realloc(ch, (n + 1) * sizeof *ch);
		if (grown == NULL) {
			step = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
			break;
		}
		ch = grown;
		ch[n++] = last = c;
		have_last = true;
	}
	sqlite3_finalize(s);
	if (step < 0) {
		free(ch);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct change *c = &ch[i];
		bool created, new_record = i == 0 || c->tbl != ch[i - 1].tbl ||
					   memcmp(c->row, ch[i - 1].row, CIMIC_ID_BYTES) != 0;
		struct model_value v;

		if ((rc = created_after(st, c, author, after, &created, err)) != 0)
			break;
		if (created) {
			/* a record that did not exist before: archived, once */
			struct model_value yes = { MV_INT, 1, NULL };
			if (new_record) {
				rc = oplog_resolve(txn, c->tbl, c->row, CF_ARCHIVED, &yes, err);
				(*records)++;
				(*fields)++;
			}
			continue;
		}
		if ((rc = value_before(st, c, &v, err)) != 0)
			break;
		rc = oplog_resolve(txn, c->tbl, c->row, c->field, &v, err);
		model_value_finish(&v);
		(*fields)++;
		if (new_record)
			(*records)++;
	}
	free(ch);
	return rc;
}
