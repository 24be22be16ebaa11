/*
 * pubstate.c - the change sequence and the publishing watermarks
 * (pubstate.h; tables `changes` and `publish_targets`, schema v3).
 *
 * The triggers of schema v3 keep `changes` current; this file only
 * reads it, and keeps one row per target in `publish_targets`.
 */
#include <stdio.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/pubstate.h"
#include "materialise.h"
#include "store_private.h"

int64_t
pubstate_next_seq(struct store *st)
{
	static const char sql[] = "SELECT max(seq) FROM changes";
	sqlite3_stmt *s = store_stmt(st, sql);
	int64_t seq = -1;

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		seq = sqlite3_column_int64(s, 0) + 1;
	if (s != NULL)
		sqlite3_reset(s);
	return seq;
}

int
pubstate_bump(struct store *st, unsigned kind, const unsigned char id[CIMIC_ID_BYTES], int64_t seq,
	      struct cimic_error *err)
{
	static const char sql[] =
		"INSERT INTO changes(kind, id, seq) VALUES(?1, ?2, ?3)"
		" ON CONFLICT(kind, id) DO UPDATE SET seq = ?3 WHERE seq < ?3";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot write the change sequence"), err);
	sqlite3_bind_int(s, 1, (int)kind);
	sqlite3_bind_blob(s, 2, id, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, seq);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot write the change sequence"), err);
	return 0;
}

int
pubstate_read_begin(struct store *st, int64_t *now, struct cimic_error *err)
{
	static const char sql[] = "SELECT max(seq) FROM changes";
	sqlite3_stmt *s;

	/* a deferred transaction: its first read fixes the snapshot, and it takes no write lock */
	if (sqlite3_exec(st->db, "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the store"), err);
	if ((s = store_stmt(st, sql)) == NULL || sqlite3_step(s) != SQLITE_ROW) {
		store_sqlite_error(st, _("cannot read the change sequence"), err);
		if (s != NULL)
			sqlite3_reset(s);
		pubstate_read_end(st);
		return -1;
	}
	*now = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

void
pubstate_read_end(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

static void
copy_text(sqlite3_stmt *s, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

static void
target_from_row(sqlite3_stmt *s, struct pubstate_target *t)
{
	memset(t, 0, sizeof *t);
	copy_text(s, 0, t->target, sizeof t->target);
	t->seq = sqlite3_column_int64(s, 1);
	copy_text(s, 2, t->label, sizeof t->label);
	t->published_ms = sqlite3_column_int64(s, 3);
	t->rows = (long)sqlite3_column_int64(s, 4);
}

int
pubstate_get(struct store *st, const char *target, struct pubstate_target *out,
	     struct cimic_error *err)
{
	static const char sql[] =
		"SELECT target, seq, label, published, rows FROM publish_targets WHERE target=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot read the publishing state"), err);
	sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		target_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_sqlite_error(st, _("cannot read the publishing state"), err);
}

int
pubstate_set(struct store *st, const struct pubstate_target *t, struct cimic_error *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO publish_targets(target, seq, label, published, rows)"
		" VALUES(?, ?, ?, ?, ?)";
	sqlite3_stmt *s;
	int rc;

	if (store_begin(st, err) != 0)
		return -1;
	if ((s = store_stmt(st, sql)) == NULL) {
		store_sqlite_error(st, _("cannot save the publishing state"), err);
		store_rollback(st);
		return -1;
	}
	sqlite3_bind_text(s, 1, t->target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, t->seq);
	sqlite3_bind_text(s, 3, t->label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, t->published_ms);
	sqlite3_bind_int64(s, 5, t->rows);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_sqlite_error(st, _("cannot save the publishing state"), err);
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

int
pubstate_each(struct store *st, pubstate_cb cb, void *arg, struct cimic_error *err)
{
	static const char sql[] = "SELECT target, seq, label, published, rows FROM publish_targets"
				  " ORDER BY published DESC, target";
	sqlite3_stmt *s;
	struct pubstate_target t;
	int rc = 0, step = SQLITE_DONE;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the publishing state"), err);
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		target_from_row(s, &t);
		rc = cb(&t, arg);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_sqlite_error(st, _("cannot read the publishing state"), err);
	sqlite3_finalize(s);
	return rc;
}

int
pubstate_changed_nodes(struct store *st, int64_t after, int64_t upto, pubstate_node_cb cb,
		       void *arg, struct cimic_error *err)
{
	static const char sql[] =
		"SELECT id FROM changes WHERE kind=4 AND seq>? AND seq<=? ORDER BY seq";
	sqlite3_stmt *s;
	int rc = 0, step = SQLITE_DONE;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the change sequence"), err);
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, upto);
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(s, 0) == IDENTITY_PK_BYTES)
			rc = cb(sqlite3_column_blob(s, 0), arg);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_sqlite_error(st, _("cannot read the change sequence"), err);
	sqlite3_finalize(s);
	return rc;
}
