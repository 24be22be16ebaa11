/*
 * oplog_apply.c - the one function through which every entry reaches
 * the tables, and the reads of the log (version vector, heads,
 * conflicts, verification).
 *
 * Order independence: an op's head flag is computed against every op
 * held, in both directions.  A new op is a head unless some held op
 * names it as a pred; each pred it names stops being a head.  Then each
 * touched field is re-materialised from its heads.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/timefmt.h"
#include "oplog_private.h"
#include "store_private.h"

/* Received clocks move ours forward by at most this much past our wall clock. */
#define HLC_MAX_DRIFT_MS (10 * 60 * 1000)

static void
hlc_observe(struct store *st, uint64_t hlc)
{
	uint64_t cap = (uint64_t)(timefmt_now_ms() + HLC_MAX_DRIFT_MS) << 16;

	if (hlc > cap)
		hlc = cap;
	if (hlc > st->hlc_last)
		st->hlc_last = hlc;
}

static void
op_id(const unsigned char hash[OPLOG_HASH_BYTES], uint32_t index, unsigned char out[OPLOG_OPID_BYTES])
{
	memcpy(out, hash, 16);
	out[16] = (unsigned char)(index & 0xff);
	out[17] = (unsigned char)(index >> 8);
}

static void
bind_model_value(sqlite3_stmt *s, int i, const struct model_value *v)
{
	if (v->type == MV_INT)
		sqlite3_bind_int64(s, i, v->i);
	else if (v->type == MV_TEXT)
		sqlite3_bind_text(s, i, v->s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static int
step_done(struct store *st, sqlite3_stmt *s, struct cimic_error *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlite_error(st, _("cannot apply an entry"), err);
	return 0;
}

static int
insert_entry(struct store *st, const struct oplog_entry *e, bool *is_new, struct cimic_error *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO entries(hash, author, seq, hlc, raw, received)"
		" VALUES(?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_stmt(st, sql);

	if (s == NULL)
		return store_sqlite_error(st, _("cannot apply an entry"), err);
	sqlite3_bind_blob(s, 1, e->hash, OPLOG_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, e->author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)e->seq);
	sqlite3_bind_int64(s, 4, (int64_t)e->hlc);
	sqlite3_bind_blob(s, 5, e->raw, (int)e->rawlen, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, timefmt_now_ms());
	if (step_done(st, s, err) != 0)
		return -1;
	*is_new = sqlite3_changes(st->db) > 0;
	return 0;
}

/*
 * ops.head: bit 0 set while no known op replaces it; bit 1 set when the
 * op waits for HQ's review (derived->held).  A waiting op is never shown
 * and replaces nothing until HQ resolves the field.
 */
static int
insert_op(struct store *st, const struct oplog_derived *d, const struct oplog_entry *e, uint32_t i,
	  bool *superseded_out, struct cimic_error *err)
{
	static const char superseded_sql[] =
		"SELECT 1 FROM preds p JOIN ops o ON o.row=p.row AND o.field=p.field AND o.id=p.op"
		" WHERE p.row=?1 AND p.field=?2 AND p.pred=?3 AND o.tbl=?4 AND o.head < 2 LIMIT 1";
	static const char op_sql[] =
		"INSERT OR IGNORE INTO ops(id, tbl, row, field, hlc, author, kind, value, head)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char pred_sql[] =
		"INSERT OR IGNORE INTO preds(row, field, pred, op) VALUES(?1, ?2, ?3, ?4)";
	static const char unhead_sql[] =
		"UPDATE ops SET head=head & 2 WHERE row=?1 AND field=?2 AND id=?3 AND tbl=?4 AND head & 1";
	const struct oplog_op *op = &e->ops[i];
	unsigned char id[OPLOG_OPID_BYTES];
	sqlite3_stmt *s;
	bool superseded, held;
	int rc;

	op_id(e->hash, i, id);
	if ((s = store_stmt(st, superseded_sql)) == NULL)
		return store_sqlite_error(st, _("cannot apply an entry"), err);
	sqlite3_bind_blob(s, 1, op->row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, op->field);
	sqlite3_bind_blob(s, 3, id, sizeof id, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, op->tbl);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot apply an entry"), err);
	superseded = rc == SQLITE_ROW;
	*superseded_out = superseded;

	if ((s = store_stmt(st, op_sql)) == NULL)
		return store_sqlite_error(st, _("cannot apply an entry"), err);
	sqlite3_bind_blob(s, 1, id, sizeof id, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, op->tbl);
	sqlite3_bind_blob(s, 3, op->row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, op->field);
	sqlite3_bind_int64(s, 5, (int64_t)e->hlc);
	sqlite3_bind_blob(s, 6, e->author, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, op->kind);
	bind_model_value(s, 8, &op->v);
	held = d->held(st, e, op);
	sqlite3_bind_int(s, 9, (superseded ? 0 : 1) | (held ? 2 : 0));
	if (step_done(st, s, err) != 0)
		return -1;

	for (unsigned p = 0; p < op->npreds; p++) {
		if ((s = store_stmt(st, pred_sql)) == NULL)
			return store_sqlite_error(st, _("cannot apply an entry"), err);
		sqlite3_bind_blob(s, 1, op->row, CIMIC_ID_BYTES, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, op->field);
		sqlite3_bind_blob(s, 3, op->preds[p], OPLOG_OPID_BYTES, SQLITE_STATIC);
		sqlite3_bind_blob(s, 4, id, sizeof id, SQLITE_STATIC);
		if (step_done(st, s, err) != 0)
			return -1;
		if (held)
			continue;   /* replaces nothing while it waits */
		if ((s = store_stmt(st, unhead_sql)) == NULL)
			return store_sqlite_error(st, _("cannot apply an entry"), err);
		sqlite3_bind_blob(s, 1, op->row, CIMIC_ID_BYTES, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, op->field);
		sqlite3_bind_blob(s, 3, op->preds[p], OPLOG_OPID_BYTES, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, op->tbl);
		if (step_done(st, s, err) != 0)
			return -1;
	}
	return 0;
}

/*
 * A pred must name an op of the same (table, row, field).  When the op
 * it names is held here, it must be there; when only its entry is held,
 * the entry has no such op there.  An op naming an op not held at all
 * cannot be judged yet; it stays inert (superseding and unheading both
 * match the table, row and field), so the order of arrival changes
 * nothing.  1: out of scope (err filled), 0: fine, -1: read error.
 */
static int
pred_out_of_scope(struct store *st, const struct oplog_entry *e, uint32_t i,
		  struct cimic_error *err)
{
	static const char op_sql[] = "SELECT tbl FROM ops WHERE row=?1 AND field=?2 AND id=?3";
	static const char entry_sql[] = "SELECT 1 FROM entries WHERE hash>=?1 AND hash<?2 LIMIT 1";
	static const char last_sql[] = "SELECT 1 FROM entries WHERE hash>=?1 LIMIT 1";
	const struct oplog_op *op = &e->ops[i];

	for (unsigned p = 0; p < op->npreds; p++) {
		unsigned char lo[16], hi[16];
		bool carry;
		sqlite3_stmt *s = store_stmt(st, op_sql);
		int rc;

		if (s == NULL)
			return store_sqlite_error(st, _("cannot apply an entry"), err);
		sqlite3_bind_blob(s, 1, op->row, CIMIC_ID_BYTES, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, op->field);
		sqlite3_bind_blob(s, 3, op->preds[p], OPLOG_OPID_BYTES, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			int tbl = sqlite3_column_int(s, 0);
			sqlite3_reset(s);
			if (tbl == op->tbl)
				continue;
			goto refuse;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_sqlite_error(st, _("cannot apply an entry"), err);
		/* the entry whose hash begins with the pred's 16 bytes, if held */
		memcpy(lo, op->preds[p], 16);
		memcpy(hi, op->preds[p], 16);
		carry = true;
		for (int k = 15; k >= 0 && carry; k--)
			carry = ++hi[k] == 0;
		/* a prefix of all 0xff has no upper bound: every later hash shares it */
		if ((s = store_stmt(st, carry ? last_sql : entry_sql)) == NULL)
			return store_sqlite_error(st, _("cannot apply an entry"), err);
		sqlite3_bind_blob(s, 1, lo, sizeof lo, SQLITE_STATIC);
		if (!carry)
			sqlite3_bind_blob(s, 2, hi, sizeof hi, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			continue;   /* not held: inert until it is */
		if (rc != SQLITE_ROW)
			return store_sqlite_error(st, _("cannot apply an entry"), err);
		goto refuse;
	}
	return 0;
refuse:
	cimic_error_set(err, CIMIC_EDATA,
			_("entry seq %llu: op %u names a predecessor of another table, record or field"),
			(unsigned long long)e->seq, (unsigned)i + 1);
	return 1;
}

/* Advances the contiguous version vector of the entry's author. */
static int
vv_advance(struct store *st, const struct oplog_entry *e, struct cimic_error *err)
{
	static const char get_sql[] = "SELECT seq FROM vv WHERE author=?";
	static const char next_sql[] = "SELECT hash FROM entries WHERE author=? AND seq=? LIMIT 1";
	static const char put_sql[] = "INSERT OR REPLACE INTO vv(author, seq, hash) VALUES(?, ?, ?)";
	unsigned char hash[OPLOG_HASH_BYTES];
	sqlite3_stmt *s;
	uint64_t seq = 0;
	bool moved = false;

	if ((s = store_stmt(st, get_sql)) == NULL)
		return store_sqlite_error(st, _("cannot apply an entry"), err);
	sqlite3_bind_blob(s, 1, e->author, 32, SQLITE_STATIC);
	switch (store_step(st, s, _("cannot apply an entry"), err)) {
	case 1:
		seq = (uint64_t)sqlite3_column_int64(s, 0);
		break;
	case -1:
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	if (e->seq != seq + 1)
		return 0;   /* a gap before it, or already covered */
	for (;;) {
		if ((s = store_stmt(st, next_sql)) == NULL)
			return store_sqlite_error(st, _("cannot apply an entry"), err);
		sqlite3_bind_blob(s, 1, e->author, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, (int64_t)(seq + 1));
		int found = store_step(st, s, _("cannot apply an entry"), err);
		if (found <= 0) {
			sqlite3_reset(s);
			if (found < 0)
				return -1;
			break;
		}
		memcpy(hash, sqlite3_column_blob(s, 0), OPLOG_HASH_BYTES);
		sqlite3_reset(s);
		seq++;
		moved = true;
	}
	if (!moved)
		return 0;
	if ((s = store_stmt(st, put_sql)) == NULL)
		return store_sqlite_error(st, _("cannot apply an entry"), err);
	sqlite3_bind_blob(s, 1, e->author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)seq);
	sqlite3_bind_blob(s, 3, hash, OPLOG_HASH_BYTES, SQLITE_STATIC);
	return step_done(st, s, err);
}

static bool
same_row(const struct oplog_op *a, const struct oplog_op *b)
{
	return a->tbl == b->tbl && memcmp(a->row, b->row, CIMIC_ID_BYTES) == 0;
}

/* Attached derived tables: found through the store by this kind's address. */
static const struct store_ext_kind oplog_ext = { NULL, NULL, NULL };

int
oplog_attach(struct store *st, const struct oplog_derived *d, struct cimic_error *err)
{
	if (store_ext_get(st, &oplog_ext) != NULL)
		return 0;
	return store_ext_add(st, &oplog_ext, (void *)d, err);
}

const struct oplog_derived *
oplog_derived_of(struct store *st, struct cimic_error *err)
{
	const struct oplog_derived *d = store_ext_get(st, &oplog_ext);

	if (d == NULL)
		cimic_error_set(err, CIMIC_EFAIL, _("the store was opened without its tables"));
	return d;
}

int
oplog_apply_decoded(struct store *st, const struct oplog_entry *e, struct oplog_apply_stats *stats,
		    struct cimic_error *err)
{
	const struct oplog_derived *d = oplog_derived_of(st, err);
	long conflicts_before = 0;
	bool is_new = false, any_superseded = false;

	if (d == NULL)
		return -1;
	if (insert_entry(st, e, &is_new, err) != 0)
		return -1;
	if (!is_new) {
		if (stats)
			stats->entries_dup++;
		return 0;
	}
	for (uint32_t i = 0; i < e->nops; i++)
		if (pred_out_of_scope(st, e, i, err) != 0)
			return -1;
	hlc_observe(st, e->hlc);
	if (stats)
		conflicts_before = d->conflicts_net(st);
	for (uint32_t i = 0; i < e->nops; i++) {
		bool sup = false;
		if (insert_op(st, d, e, i, &sup, err) != 0)
			return -1;
		any_superseded = any_superseded || sup;
	}
	for (uint32_t i = 0, j; i < e->nops; i = j) {
		/* ops of one row are adjacent as writers emit them: handle the run at once */
		for (j = i + 1; j < e->nops && same_row(&e->ops[i], &e->ops[j]); j++)
			;
		if (d->apply_row(st, e, &e->ops[i], j - i, any_superseded, err) != 0)
			return -1;
	}
	if (vv_advance(st, e, err) != 0)
		return -1;
	if (stats) {
		stats->entries_new++;
		stats->ops_new += e->nops;
		stats->conflicts_opened += d->conflicts_net(st) - conflicts_before;
	}
	return 0;
}

/* ---- taking entries back ---- */

static int
bind_run(struct store *st, const char *sql, const unsigned char *row, unsigned field,
	 const unsigned char *a, const unsigned char *b, unsigned tbl, struct cimic_error *err)
{
	sqlite3_stmt *s = store_stmt(st, sql);

	if (s == NULL)
		return store_sqlite_error(st, _("cannot take back an entry"), err);
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)field);
	sqlite3_bind_blob(s, 3, a, OPLOG_OPID_BYTES, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_blob(s, 4, b, OPLOG_OPID_BYTES, SQLITE_STATIC);
	else
		sqlite3_bind_int(s, 4, (int)tbl);
	return step_done(st, s, err);
}

static int
unapply_one(struct store *st, const struct oplog_derived *d, const struct oplog_entry *e,
	    struct cimic_error *err)
{
	static const char del_entry[] = "DELETE FROM entries WHERE hash=?";
	static const char del_op[] = "DELETE FROM ops WHERE row=?1 AND field=?2 AND id=?3 AND tbl=?4";
	static const char del_pred[] = "DELETE FROM preds WHERE row=?1 AND field=?2 AND pred=?3 AND op=?4";
	static const char rehead[] =
		"UPDATE ops SET head = (head & 2) | NOT EXISTS(SELECT 1 FROM preds p JOIN ops q"
		"  ON q.row=p.row AND q.field=p.field AND q.id=p.op WHERE p.row=?1 AND p.field=?2"
		"  AND p.pred=?3 AND q.tbl=?4 AND q.head < 2) WHERE row=?1 AND field=?2 AND id=?3 AND tbl=?4";
	sqlite3_stmt *s = store_stmt(st, del_entry);

	if (s == NULL)
		return store_sqlite_error(st, _("cannot take back an entry"), err);
	sqlite3_bind_blob(s, 1, e->hash, OPLOG_HASH_BYTES, SQLITE_STATIC);
	if (step_done(st, s, err) != 0)
		return -1;
	for (uint32_t i = 0; i < e->nops; i++) {
		const struct oplog_op *op = &e->ops[i];
		unsigned char id[OPLOG_OPID_BYTES];

		op_id(e->hash, i, id);
		if (bind_run(st, del_op, op->row, op->field, id, NULL, op->tbl, err) != 0)
			return -1;
		for (unsigned p = 0; p < op->npreds; p++)
			if (bind_run(st, del_pred, op->row, op->field, op->preds[p], id, 0, err) != 0 ||
			    bind_run(st, rehead, op->row, op->field, op->preds[p], NULL, op->tbl, err) != 0)
				return -1;
	}
	for (uint32_t i = 0; i < e->nops; i++)
		if (d->refresh_field(st, e->ops[i].tbl, e->ops[i].row, e->ops[i].field, err) != 0)
			return -1;
	return 0;
}

long
oplog_unapply_from(struct store *st, const unsigned char author[32], uint64_t from_seq,
		   oplog_entry_cb cb, void *arg, struct cimic_error *err)
{
	static const char list_sql[] =
		"SELECT raw FROM entries WHERE author=?1 AND seq>=?2 ORDER BY seq DESC";
	static const char prev_sql[] = "SELECT hash FROM entries WHERE author=?1 AND seq=?2 LIMIT 1";
	const struct oplog_derived *d = oplog_derived_of(st, err);
	struct buf raws;
	size_t *lens = NULL, nraw = 0, off = 0;
	sqlite3_stmt *s;
	long taken = 0;
	int rc;

	if (d == NULL)
		return -1;
	buf_init(&raws);
	if (sqlite3_prepare_v2(st->db, list_sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot take back an entry"), err);
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)from_seq);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t *grown = realloc(lens, (nraw + 1) * sizeof *lens);
		if (grown == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		lens = grown;
		lens[nraw++] = (size_t)sqlite3_column_bytes(s, 0);
		buf_add(&raws, sqlite3_column_blob(s, 0), lens[nraw - 1]);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE || raws.failed) {
		free(lens);
		buf_finish(&raws);
		return rc == SQLITE_NOMEM || raws.failed
			       ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory"))
			       : store_sqlite_error(st, _("cannot take back an entry"), err);
	}
	for (size_t i = 0; i < nraw; off += lens[i++]) {
		struct oplog_entry e;
		if (oplog_entry_decode(raws.data + off, lens[i], &e, err) != 0)
			goto fail;
		rc = (cb != NULL ? cb(&e, arg, err) : 0);
		if (rc == 0)
			rc = unapply_one(st, d, &e, err);
		oplog_entry_finish(&e);
		if (rc != 0)
			goto fail;
		taken++;
	}
	free(lens);
	buf_finish(&raws);
	if (taken == 0)
		return 0;
	/* the version vector stops below from_seq (it was contiguous up to at least there) */
	if ((s = store_stmt(st, prev_sql)) == NULL)
		return store_sqlite_error(st, _("cannot take back an entry"), err);
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)from_seq - 1);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		unsigned char hash[OPLOG_HASH_BYTES];
		memcpy(hash, sqlite3_column_blob(s, 0), OPLOG_HASH_BYTES);
		sqlite3_reset(s);
		if ((s = store_stmt(st, "UPDATE vv SET seq=?2, hash=?3 WHERE author=?1 AND seq>=?2")) == NULL)
			return store_sqlite_error(st, _("cannot take back an entry"), err);
		sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, (int64_t)from_seq - 1);
		sqlite3_bind_blob(s, 3, hash, OPLOG_HASH_BYTES, SQLITE_TRANSIENT);
	} else {
		sqlite3_reset(s);
		if ((s = store_stmt(st, "DELETE FROM vv WHERE author=?1 AND seq>=?2")) == NULL)
			return store_sqlite_error(st, _("cannot take back an entry"), err);
		sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, (int64_t)from_seq);
	}
	if (step_done(st, s, err) != 0)
		return -1;
	return taken;
fail:
	free(lens);
	buf_finish(&raws);
	return -1;
}

int
oplog_apply_entry(struct store *st, const unsigned char *raw, size_t len,
		  struct oplog_apply_stats *stats, struct cimic_error *err)
{
	struct oplog_entry e;
	int rc;

	if (oplog_entry_decode(raw, len, &e, err) != 0)
		return -1;
	rc = oplog_apply_decoded(st, &e, stats, err);
	oplog_entry_finish(&e);
	return rc;
}

int
oplog_apply_flush(struct store *st, struct cimic_error *err)
{
	return store_flush(st, err);
}
