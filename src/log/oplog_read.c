/*
 * oplog_read.c - reading the op log: version vectors, entries to send,
 * heads and conflicts, and the full verification behind `cimic check`.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/util.h"
#include "store_private.h"

int
oplog_vv_get(struct store *st, const unsigned char author[32], uint64_t *seq,
	     unsigned char hash[OPLOG_HASH_BYTES], struct cimic_error *err)
{
	static const char sql[] = "SELECT seq, hash FROM vv WHERE author=?";
	sqlite3_stmt *s = store_stmt(st, sql);

	*seq = 0;
	if (hash)
		memset(hash, 0, OPLOG_HASH_BYTES);
	if (s == NULL)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	switch (store_step(st, s, _("cannot read the op log"), err)) {
	case 1:
		*seq = (uint64_t)sqlite3_column_int64(s, 0);
		if (hash && sqlite3_column_bytes(s, 1) == OPLOG_HASH_BYTES)
			memcpy(hash, sqlite3_column_blob(s, 1), OPLOG_HASH_BYTES);
		break;
	case -1:
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

/* Calls cb for each version-vector item (author, contiguous seq). */
static int
oplog_vv_each(struct store *st, oplog_vv_cb cb, void *arg, struct cimic_error *err)
{
	int step = 0;
	sqlite3_stmt *s;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT author, seq FROM vv ORDER BY author", -1, &s, NULL)
	    != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	while (rc == 0 && (step = store_step(st, s, _("cannot read the op log"), err)) > 0)
		if (sqlite3_column_bytes(s, 0) == 32)
			rc = cb(sqlite3_column_blob(s, 0), (uint64_t)sqlite3_column_int64(s, 1), arg);
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

struct vv_load {
	struct oplog_vv_item *items;
	size_t n, cap, max;
	bool over, oom;
};

static int
vv_load_add(const unsigned char author[32], uint64_t seq, void *arg)
{
	struct vv_load *v = arg;
	struct oplog_vv_item *p;

	if (v->n == v->max) {
		v->over = true;
		return 1;
	}
	if ((p = util_grow(v->items, &v->cap, v->n + 1, sizeof *p)) == NULL) {
		v->oom = true;
		return -1;
	}
	v->items = p;
	memcpy(p[v->n].author, author, 32);
	p[v->n].seq = seq;
	v->n++;
	return 0;
}

int
oplog_vv_load(struct store *st, size_t max, struct oplog_vv_item **items, size_t *n,
	      struct cimic_error *err)
{
	struct vv_load v = { .max = max };
	int rc = oplog_vv_each(st, vv_load_add, &v, err);

	*items = NULL;
	*n = 0;
	if (v.oom)
		rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (rc != 0) {
		free(v.items);
		return v.over ? 1 : -1;
	}
	*items = v.items;
	*n = v.n;
	return 0;
}

int
oplog_entries_after(struct store *st, const unsigned char author[32], uint64_t after,
		    oplog_raw_cb cb, void *arg, struct cimic_error *err)
{
	int step = 0;
	sqlite3_stmt *s;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db,
			       "SELECT raw, seq FROM entries WHERE author=? AND seq>? ORDER BY seq",
			       -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)after);
	while (rc == 0 && (step = store_step(st, s, _("cannot read the op log"), err)) > 0)
		rc = cb(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
			(uint64_t)sqlite3_column_int64(s, 1), arg);
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

int
oplog_heads(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES], unsigned field,
	    struct oplog_head **out, size_t *n, struct cimic_error *err)
{
	int step = 0;
	sqlite3_stmt *s;
	struct oplog_head *h = NULL;
	size_t cnt = 0;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, author, hlc, value FROM ops WHERE row=?1 AND field=?2"
			       " AND head & 1 AND tbl=?3 ORDER BY head, hlc DESC, author DESC, id DESC",
			       -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, row, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)field);
	sqlite3_bind_int(s, 3, (int)tbl);
	while ((step = store_step(st, s, _("cannot read the op log"), err)) > 0) {
		struct oplog_head *p = realloc(h, (cnt + 1) * sizeof *h), *x;
		if (p == NULL) {
			oplog_heads_free(h, cnt);
			sqlite3_finalize(s);
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
		h = p;
		x = &h[cnt++];
		memset(x, 0, sizeof *x);
		memcpy(x->opid, sqlite3_column_blob(s, 0), OPLOG_OPID_BYTES);
		memcpy(x->author, sqlite3_column_blob(s, 1), 32);
		x->hlc = (uint64_t)sqlite3_column_int64(s, 2);
		x->shown = cnt == 1;
		if (sqlite3_column_type(s, 3) == SQLITE_INTEGER) {
			x->v.type = MV_INT;
			x->v.i = sqlite3_column_int64(s, 3);
		} else if (sqlite3_column_type(s, 3) == SQLITE_TEXT) {
			x->v.type = MV_TEXT;
			x->v.s = util_strdup((const char *)sqlite3_column_text(s, 3));
		}
	}
	sqlite3_finalize(s);
	if (step < 0) {
		oplog_heads_free(h, cnt);
		return -1;
	}
	*out = h;
	*n = cnt;
	return 0;
}

void
oplog_heads_free(struct oplog_head *heads, size_t n)
{
	for (size_t i = 0; heads != NULL && i < n; i++)
		model_value_finish(&heads[i].v);
	free(heads);
}

int
oplog_conflicts(struct store *st, oplog_conflict_cb cb, void *arg, struct cimic_error *err)
{
	int step = 0;
	sqlite3_stmt *s;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT tbl, row, field, opened FROM conflicts ORDER BY opened",
			       -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read conflicts"), err);
	while (rc == 0 && (step = store_step(st, s, _("cannot read conflicts"), err)) > 0) {
		struct oplog_conflict c;
		c.tbl = (unsigned)sqlite3_column_int(s, 0);
		if (sqlite3_column_bytes(s, 1) != CIMIC_ID_BYTES)
			continue;
		memcpy(c.row, sqlite3_column_blob(s, 1), CIMIC_ID_BYTES);
		c.field = (unsigned)sqlite3_column_int(s, 2);
		c.opened_hlc = (uint64_t)sqlite3_column_int64(s, 3);
		rc = cb(&c, arg);
	}
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

static long
count_of(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	long n = -1;

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);   /* an error leaves -1 */
	if (s != NULL)
		sqlite3_reset(s);
	return n;
}

long
oplog_conflict_count(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM conflicts";
	return count_of(st, sql);
}

int
oplog_stats(struct store *st, long *entries, long *ops, struct cimic_error *err)
{
	static const char e_sql[] = "SELECT count(*) FROM entries";
	static const char o_sql[] = "SELECT count(*) FROM ops";

	*entries = count_of(st, e_sql);
	*ops = count_of(st, o_sql);
	if (*entries < 0 || *ops < 0)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	return 0;
}

/* Every entry decodes, verifies, and links to the entry before it. */
static int
verify_entries(struct store *st, long *count, long *problems, struct cimic_error *err)
{
	int step = 0;
	sqlite3_stmt *s;
	unsigned char last_author[32] = { 0 }, last_hash[OPLOG_HASH_BYTES] = { 0 };
	uint64_t last_seq = 0;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT raw, hash FROM entries ORDER BY author, seq", -1, &s,
			       NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	while (rc == 0 && (step = store_step(st, s, _("cannot read the op log"), err)) > 0) {
		struct oplog_entry e;
		struct cimic_error e2;
		if (oplog_entry_decode(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
				       &e, &e2) != 0) {
			(*problems)++;
			rc = cimic_error_set(err, CIMIC_EDATA, _("op-log entry %ld: %s"), *count + 1,
					     e2.msg);
			break;
		}
		if (sqlite3_column_bytes(s, 1) != OPLOG_HASH_BYTES ||
		    memcmp(sqlite3_column_blob(s, 1), e.hash, OPLOG_HASH_BYTES) != 0) {
			(*problems)++;
			rc = cimic_error_set(err, CIMIC_EDATA, _("op-log entry %ld: hash mismatch"),
					     *count + 1);
		} else if (memcmp(e.author, last_author, 32) == 0 && e.seq == last_seq + 1 &&
			   memcmp(e.prev, last_hash, OPLOG_HASH_BYTES) != 0) {
			/* a fork (two entries for one seq) is an alarm raised by sync, not damage */
			(*problems)++;
		}
		memcpy(last_author, e.author, 32);
		memcpy(last_hash, e.hash, OPLOG_HASH_BYTES);
		last_seq = e.seq;
		oplog_entry_finish(&e);
		(*count)++;
	}
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

/* Head flags agree with preds, and every shown value with its heads. */
static int
verify_materialised(struct store *st, long *problems, struct cimic_error *err)
{
	static const char bad_heads[] =
		"SELECT count(*) FROM ops o WHERE (o.head & 1) = EXISTS(SELECT 1 FROM preds p"
		" JOIN ops q ON q.row=p.row AND q.field=p.field AND q.id=p.op"
		" WHERE p.row=o.row AND p.field=o.field AND p.pred=o.id AND q.tbl=o.tbl AND q.head < 2)";
	long n = count_of(st, bad_heads);

	if (n < 0)
		return store_sqlite_error(st, _("cannot check the op log"), err);
	if (n > 0) {
		*problems += n;
		return cimic_error_set(err, CIMIC_EDATA,
				       _("%ld op-log heads disagree with their successors"), n);
	}
	return 0;
}

int
oplog_verify(struct store *st, long *entries, long *problems, struct cimic_error *err)
{
	*entries = 0;
	*problems = 0;
	if (verify_entries(st, entries, problems, err) != 0)
		return -1;
	return verify_materialised(st, problems, err);
}

/* ---- HQ's review list ---- */

int
oplog_waiting_each(struct store *st, oplog_waiting_cb cb, void *arg, struct cimic_error *err)
{
	sqlite3_stmt *s;
	int step, rc = 0;

	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, tbl, row, field, author, hlc, value FROM ops WHERE head=3"
			       " ORDER BY hlc, id",
			       -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	while (rc == 0 && (step = store_step(st, s, _("cannot read the op log"), err)) > 0) {
		struct oplog_waiting w;

		memset(&w, 0, sizeof w);
		if (sqlite3_column_bytes(s, 0) != OPLOG_OPID_BYTES ||
		    sqlite3_column_bytes(s, 2) != CIMIC_ID_BYTES || sqlite3_column_bytes(s, 4) != 32)
			continue;
		memcpy(w.opid, sqlite3_column_blob(s, 0), OPLOG_OPID_BYTES);
		w.tbl = (unsigned)sqlite3_column_int(s, 1);
		memcpy(w.row, sqlite3_column_blob(s, 2), CIMIC_ID_BYTES);
		w.field = (unsigned)sqlite3_column_int(s, 3);
		memcpy(w.author, sqlite3_column_blob(s, 4), 32);
		w.hlc = (uint64_t)sqlite3_column_int64(s, 5);
		if (sqlite3_column_type(s, 6) == SQLITE_INTEGER) {
			w.v.type = MV_INT;
			w.v.i = sqlite3_column_int64(s, 6);
		} else if (sqlite3_column_type(s, 6) == SQLITE_TEXT) {
			w.v.type = MV_TEXT;
			w.v.s = (char *)sqlite3_column_text(s, 6);
		}
		rc = cb(&w, arg);
	}
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

struct waiting_find {
	const char *hex;
	struct oplog_waiting *out;
	int n;
};

static int
waiting_find_cb(const struct oplog_waiting *w, void *arg)
{
	struct waiting_find *f = arg;
	char hex[2 * OPLOG_OPID_BYTES + 1];

	util_hex(w->opid, OPLOG_OPID_BYTES, hex);
	if (strncasecmp(hex, f->hex, strlen(f->hex)) != 0)
		return 0;
	if (f->n++ == 0) {
		*f->out = *w;
		if (w->v.type == MV_TEXT && (f->out->v.s = util_strdup(w->v.s)) == NULL)
			return -1;
	}
	return 0;
}

int
oplog_waiting_find(struct store *st, const char *hexid, struct oplog_waiting *out,
		   struct cimic_error *err)
{
	struct waiting_find f = { hexid, out, 0 };
	bool hex = true;

	memset(out, 0, sizeof *out);

	for (const char *p = hexid; *p; p++)
		hex = hex && ((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f'));
	if (!hex || strlen(hexid) < 4 || strlen(hexid) > 2 * OPLOG_OPID_BYTES)
		return cimic_error_set(err, CIMIC_EUSAGE, _("give at least 4 hex digits of the op id"));
	if (oplog_waiting_each(st, waiting_find_cb, &f, err) != 0)
		return -1;
	if (f.n > 1) {
		model_value_finish(&out->v);
		return cimic_error_set(err, CIMIC_EUSAGE, _("'%s' names %d waiting changes; give more digits"),
				       hexid, f.n);
	}
	return f.n;
}
