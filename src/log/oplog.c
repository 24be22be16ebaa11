/*
 * oplog.c - local transactions, the one apply function, version vectors.
 *
 * A local transaction buffers ops; when the buffer reaches the entry
 * limits, or at commit, the ops become one signed entry that goes
 * through oplog_apply_entry's core like any entry received from a peer.
 * So the tables can never hold something the log does not.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/timefmt.h"
#include "entry.h"
#include "oplog_private.h"
#include "store_private.h"

#define PENDING_SLOTS 8192   /* power of two, > 2 * OPLOG_ENTRY_MAX_OPS */

struct oplog_txn {
	struct store *st;
	struct oplog_op *ops;          /* pending ops of the entry being built */
	size_t n, cap;
	size_t bytes;                  /* encoded size of pending ops */
	int32_t slot[PENDING_SLOTS];   /* (row, field) -> index in ops, -1 empty */
	size_t total;                  /* ops written in this txn */
	bool have_chain;
	uint64_t seq;                  /* seq of the last own entry */
	unsigned char prev[OPLOG_HASH_BYTES];
};


uint64_t
oplog_hlc_now(struct store *st)
{
	uint64_t phys = (uint64_t)timefmt_now_ms() << 16;

	st->hlc_last = phys > st->hlc_last ? phys : st->hlc_last + 1;
	return st->hlc_last;
}

/* ---- local transactions ---- */

int
oplog_begin(struct store *st, struct oplog_txn **out, struct cimic_error *err)
{
	struct oplog_txn *t = calloc(1, sizeof *t);

	*out = NULL;
	if (t == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	t->st = st;
	memset(t->slot, 0xff, sizeof t->slot);
	if (store_begin(st, err) != 0) {
		free(t);
		return -1;
	}
	*out = t;
	return 0;
}

struct store *
oplog_txn_store(struct oplog_txn *txn)
{
	return txn->st;
}

size_t
oplog_txn_ops(const struct oplog_txn *txn)
{
	return txn->total;
}

static void
pending_clear(struct oplog_txn *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->ops[i].preds);
		model_value_finish(&t->ops[i].v);
	}
	t->n = 0;
	t->bytes = 0;
	memset(t->slot, 0xff, sizeof t->slot);
}

static size_t
slot_hash(const unsigned char row[CIMIC_ID_BYTES], unsigned field)
{
	uint64_t h;

	memcpy(&h, row, sizeof h);   /* row ids are random (or hashes) */
	return (size_t)((h ^ (field * 0x9e3779b97f4a7c15ull)) & (PENDING_SLOTS - 1));
}

/* Index of a pending op for (row, field), or -1; *slot gets the free or found slot. */
static int
pending_find(struct oplog_txn *t, const unsigned char row[CIMIC_ID_BYTES], unsigned field,
	     size_t *slot)
{
	size_t k = slot_hash(row, field);

	for (;; k = (k + 1) & (PENDING_SLOTS - 1)) {
		int32_t i = t->slot[k];
		if (i < 0) {
			*slot = k;
			return -1;
		}
		if (t->ops[i].field == field && memcmp(t->ops[i].row, row, CIMIC_ID_BYTES) == 0) {
			*slot = k;
			return i;
		}
	}
}

static int
own_chain(struct oplog_txn *t, struct cimic_error *err)
{
	struct store *st = t->st;
	static const char sql[] =
		"SELECT seq, hash FROM entries WHERE author=? ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *s;

	if (t->have_chain)
		return 0;
	if ((s = store_stmt(st, sql)) == NULL)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, st->id.pub.sign_pk, 32, SQLITE_STATIC);
	memset(t->prev, 0, sizeof t->prev);
	t->seq = 0;
	switch (store_step(st, s, _("cannot read the op log"), err)) {
	case 1:
		t->seq = (uint64_t)sqlite3_column_int64(s, 0);
		if (sqlite3_column_bytes(s, 1) == OPLOG_HASH_BYTES)
			memcpy(t->prev, sqlite3_column_blob(s, 1), OPLOG_HASH_BYTES);
		break;
	case -1:
		/* never guess the chain head: writing seq 1 again would fork this node */
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	t->have_chain = true;
	return 0;
}

/* Turns the pending ops into one signed entry and applies it. */
static int
pending_flush(struct oplog_txn *t, struct cimic_error *err)
{
	struct oplog_entry e;
	struct buf b;
	int rc = -1;

	if (t->n == 0)
		return 0;
	if (own_chain(t, err) != 0)
		return -1;
	memset(&e, 0, sizeof e);
	buf_init(&b);
	memcpy(e.author, t->st->id.pub.sign_pk, 32);
	e.seq = t->seq + 1;
	memcpy(e.prev, t->prev, sizeof e.prev);
	e.hlc = oplog_hlc_now(t->st);
	e.nops = (uint32_t)t->n;
	e.ops = t->ops;
	entry_encode_header(&b, e.author, e.seq, e.prev, e.hlc, e.nops);
	for (size_t i = 0; i < t->n; i++)
		entry_encode_op(&b, &t->ops[i]);
	if (entry_seal(&b, t->st->id.sign_sk, e.hash, err) != 0)
		goto out;
	e.raw = b.data;
	e.rawlen = b.len;
	if (oplog_apply_decoded(t->st, &e, NULL, err) != 0)
		goto out;
	t->seq = e.seq;
	memcpy(t->prev, e.hash, sizeof t->prev);
	pending_clear(t);
	rc = 0;
out:
	buf_finish(&b);
	return rc;
}

static int
value_copy(struct model_value *dst, const struct model_value *src)
{
	*dst = *src;
	dst->s = NULL;
	if (src->type == MV_TEXT && (dst->s = util_strdup(src->s ? src->s : "")) == NULL)
		return -1;
	return 0;
}

/* Adds (or replaces) a pending op. preds: array of npreds op ids (copied). */
static int
pending_put(struct oplog_txn *t, enum oplog_kind kind, unsigned tbl,
	    const unsigned char row[CIMIC_ID_BYTES], unsigned field, const struct model_value *v,
	    const void *preds, unsigned npreds, struct cimic_error *err)
{
	struct oplog_op op = { 0 };
	size_t slot, size;
	int i;

	if (v->type == MV_TEXT && strlen(v->s) > OPLOG_VALUE_MAX_BYTES)
		return cimic_error_set(err, CIMIC_EDATA, _("value too long (at most %u bytes)"),
				       OPLOG_VALUE_MAX_BYTES);
	op.kind = kind;
	op.tbl = (uint8_t)tbl;
	op.field = (uint8_t)field;
	memcpy(op.row, row, CIMIC_ID_BYTES);
	op.npreds = (uint8_t)npreds;
	if (npreds > 0) {
		if ((op.preds = malloc(npreds * OPLOG_OPID_BYTES)) == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		memcpy(op.preds, preds, npreds * OPLOG_OPID_BYTES);
	}
	if (value_copy(&op.v, v) != 0) {
		free(op.preds);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	i = pending_find(t, row, field, &slot);
	if (i >= 0) {   /* second write of the field in this entry: keep the last */
		t->bytes -= entry_op_size(&t->ops[i]);
		free(t->ops[i].preds);
		model_value_finish(&t->ops[i].v);
		t->ops[i] = op;
		t->bytes += entry_op_size(&op);
		return 0;
	}
	size = entry_op_size(&op);
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct oplog_op *p;
		if (cap > OPLOG_ENTRY_MAX_OPS)
			cap = OPLOG_ENTRY_MAX_OPS;
		if ((p = realloc(t->ops, cap * sizeof *p)) == NULL) {
			free(op.preds);
			model_value_finish(&op.v);
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
		t->ops = p;
		t->cap = cap;
	}
	t->slot[slot] = (int32_t)t->n;
	t->ops[t->n++] = op;
	t->bytes += size;
	t->total++;
	if (t->n == OPLOG_ENTRY_MAX_OPS || t->bytes > OPLOG_ENTRY_MAX_BYTES - 2 * OPLOG_VALUE_MAX_BYTES)
		return pending_flush(t, err);
	return 0;
}

static bool
value_same(const struct model_value *a, const struct model_value *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == MV_INT)
		return a->i == b->i;
	if (a->type == MV_TEXT)
		return strcmp(a->s, b->s) == 0;
	return true;
}

int
oplog_set(struct oplog_txn *txn, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
	  unsigned field, const struct model_value *v, struct cimic_error *err)
{
	unsigned char shown[1][OPLOG_OPID_BYTES];
	struct model_value cur = { 0 };
	size_t slot;
	bool conflict, found;

	if (pending_find(txn, row, field, &slot) >= 0) {
		/* already written in this entry: replace it, keeping its preds */
		int i = txn->slot[slot];
		struct model_value copy;
		if (value_copy(&copy, v) != 0)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		txn->bytes -= entry_op_size(&txn->ops[i]);
		model_value_finish(&txn->ops[i].v);
		txn->ops[i].v = copy;
		txn->bytes += entry_op_size(&txn->ops[i]);
		return 0;
	}
	const struct oplog_derived *d = oplog_derived_of(txn->st, err);

	if (d == NULL)
		return -1;
	switch (d->shown_op(txn->st, tbl, row, field, shown[0], &conflict, &cur)) {
	case -1:
		return store_sqlite_error(txn->st, _("cannot read the op log"), err);
	case 1:
		found = true;
		break;
	default:
		found = false;
	}
	if (found && !conflict && value_same(&cur, v)) {
		model_value_finish(&cur);
		return 0;
	}
	if (!found && v->type == MV_NULL)
		return 0;
	model_value_finish(&cur);
	return pending_put(txn, OP_SET, tbl, row, field, v, found ? shown : NULL, found ? 1 : 0, err);
}

int
oplog_set_new(struct oplog_txn *txn, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
	      unsigned field, const struct model_value *v, struct cimic_error *err)
{
	if (v->type == MV_NULL)
		return 0;
	return pending_put(txn, OP_SET, tbl, row, field, v, NULL, 0, err);
}

int
oplog_resolve(struct oplog_txn *txn, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
	      unsigned field, const struct model_value *v, struct cimic_error *err)
{
	struct oplog_head *heads = NULL;
	unsigned char (*preds)[OPLOG_OPID_BYTES];
	size_t n = 0;
	int rc;

	if (pending_flush(txn, err) != 0 || oplog_heads(txn->st, tbl, row, field, &heads, &n, err) != 0)
		return -1;
	if (n > OPLOG_MAX_PREDS) {
		oplog_heads_free(heads, n);
		return cimic_error_set(err, CIMIC_EFAIL, _("too many concurrent values to resolve at once"));
	}
	preds = malloc((n ? n : 1) * OPLOG_OPID_BYTES);
	if (preds == NULL) {
		oplog_heads_free(heads, n);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	for (size_t i = 0; i < n; i++)
		memcpy(preds[i], heads[i].opid, OPLOG_OPID_BYTES);
	rc = pending_put(txn, OP_RESOLVE, tbl, row, field, v, preds, (unsigned)n, err);
	free(preds);
	oplog_heads_free(heads, n);
	return rc;
}

int
oplog_flush(struct oplog_txn *txn, struct cimic_error *err)
{
	return pending_flush(txn, err);
}

int
oplog_prepare_read(struct oplog_txn *txn, const unsigned char row[CIMIC_ID_BYTES],
		   struct cimic_error *err)
{
	for (size_t i = 0; i < txn->n; i++)
		if (memcmp(txn->ops[i].row, row, CIMIC_ID_BYTES) == 0)
			return pending_flush(txn, err);
	return 0;
}

int
oplog_commit(struct oplog_txn *txn, struct cimic_error *err)
{
	int rc = pending_flush(txn, err);

	if (rc == 0)
		rc = store_commit(txn->st, err);
	else
		store_rollback(txn->st);
	pending_clear(txn);
	free(txn->ops);
	free(txn);
	return rc;
}

void
oplog_abort(struct oplog_txn *txn)
{
	if (txn == NULL)
		return;
	store_rollback(txn->st);
	pending_clear(txn);
	free(txn->ops);
	free(txn);
}
