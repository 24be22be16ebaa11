/*
 * peerstate.c - local memory of exchanges: acks, bundles seen,
 * quarantine, outbox (see peerstate.h).  Nothing here replicates.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/peerstate.h"
#include "cimic/timefmt.h"
#include "store_private.h"

static int
step_once(struct store *st, sqlite3_stmt *s, const char *what, struct cimic_error *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlite_error(st, what, err);
	return 0;
}

int
peerstate_ack(struct store *st, const unsigned char peer[32], const unsigned char author[32],
	      uint64_t seq, struct cimic_error *err)
{
	static const char sql[] =
		"INSERT INTO peer_acks(peer, author, seq) VALUES(?1, ?2, ?3)"
		/* acks only grow (bundles arrive out of order), except for a revoked author:
		   a peer that took back entries off its pinned chain says so, and gets them again */
		" ON CONFLICT(peer, author) DO UPDATE SET seq=CASE WHEN EXISTS(SELECT 1 FROM nodes"
		"  WHERE sign_pk=?2 AND revoked) THEN ?3 ELSE max(seq, ?3) END";
	sqlite3_stmt *s = store_stmt(st, sql);

	if (s == NULL)
		return store_sqlite_error(st, _("cannot save what a peer acknowledged"), err);
	if (seq > INT64_MAX)
		return cimic_error_set(err, CIMIC_EDATA, _("acknowledged seq out of range"));
	sqlite3_bind_blob(s, 1, peer, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)seq);
	return step_once(st, s, _("cannot save what a peer acknowledged"), err);
}

uint64_t
peerstate_acked(struct store *st, const unsigned char peer[32], const unsigned char author[32])
{
	static const char sql[] = "SELECT seq FROM peer_acks WHERE peer=? AND author=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	uint64_t seq = 0;

	if (s == NULL)
		return 0;
	sqlite3_bind_blob(s, 1, peer, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, author, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		seq = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return seq;
}

int
peerstate_acks_each(struct store *st, const unsigned char peer[32], oplog_vv_cb cb, void *arg,
		    struct cimic_error *err)
{
	int step = 0;
	sqlite3_stmt *s;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT author, seq FROM peer_acks WHERE peer=? ORDER BY author",
			       -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read what a peer acknowledged"), err);
	sqlite3_bind_blob(s, 1, peer, 32, SQLITE_STATIC);
	while (rc == 0 && (step = store_step(st, s, _("cannot read what a peer acknowledged"), err)) > 0)
		if (sqlite3_column_bytes(s, 0) == 32)
			rc = cb(sqlite3_column_blob(s, 0), (uint64_t)sqlite3_column_int64(s, 1), arg);
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

int
peerstate_touch(struct store *st, const unsigned char peer[32], bool in, struct cimic_error *err)
{
	static const char in_sql[] = "UPDATE nodes SET last_in=? WHERE sign_pk=?";
	static const char out_sql[] = "UPDATE nodes SET last_out=? WHERE sign_pk=?";
	sqlite3_stmt *s = store_stmt(st, in ? in_sql : out_sql);

	if (s == NULL)
		return store_sqlite_error(st, _("cannot save the peer"), err);
	sqlite3_bind_int64(s, 1, timefmt_now_ms());
	sqlite3_bind_blob(s, 2, peer, 32, SQLITE_STATIC);
	return step_once(st, s, _("cannot save the peer"), err);
}

bool
peerstate_seen(struct store *st, const unsigned char file_hash[32])
{
	static const char sql[] = "SELECT 1 FROM bundles_seen WHERE hash=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	bool seen;

	if (s == NULL)
		return false;
	sqlite3_bind_blob(s, 1, file_hash, 32, SQLITE_STATIC);
	seen = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return seen;
}

int
peerstate_seen_add(struct store *st, const unsigned char file_hash[32],
		   const unsigned char bundle_id[16], const unsigned char sender[32],
		   long entries_new, struct cimic_error *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO bundles_seen(hash, bundle_id, sender, received, entries_new)"
		" VALUES(?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_stmt(st, sql);

	if (s == NULL)
		return store_sqlite_error(st, _("cannot record the bundle"), err);
	sqlite3_bind_blob(s, 1, file_hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, bundle_id, 16, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, sender, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, timefmt_now_ms());
	sqlite3_bind_int64(s, 5, entries_new);
	return step_once(st, s, _("cannot record the bundle"), err);
}

int
peerstate_quarantine(struct store *st, const struct oplog_entry *e, const char *reason,
		     struct cimic_error *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO quarantine(hash, author, seq, raw, reason, received)"
		" VALUES(?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_stmt(st, sql);

	if (s == NULL)
		return store_sqlite_error(st, _("cannot quarantine an entry"), err);
	sqlite3_bind_blob(s, 1, e->hash, OPLOG_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, e->author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)e->seq);
	sqlite3_bind_blob(s, 4, e->raw, (int)e->rawlen, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, timefmt_now_ms());
	return step_once(st, s, _("cannot quarantine an entry"), err);
}

static int
one_row(struct store *st, sqlite3_stmt *s, struct cimic_error *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	return store_sqlite_error(st, _("cannot read the op log"), err);
}

int
peerstate_fork_from(struct store *st, const unsigned char author[32], uint64_t *seq,
		    struct cimic_error *err)
{
	static const char sql[] =
		"SELECT min(seq) FROM quarantine WHERE author=? AND reason='fork' HAVING count(*) > 0";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	if ((rc = one_row(st, s, err)) == 1) {
		*seq = (uint64_t)sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	return rc;
}

int
peerstate_held_at(struct store *st, const unsigned char author[32], uint64_t seq,
		  unsigned char hash[OPLOG_HASH_BYTES], struct cimic_error *err)
{
	static const char sql[] = "SELECT hash FROM entries WHERE author=? AND seq=? LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)seq);
	if ((rc = one_row(st, s, err)) == 1) {
		memcpy(hash, sqlite3_column_blob(s, 0), OPLOG_HASH_BYTES);
		sqlite3_reset(s);
	}
	return rc;
}

int
peerstate_held_after(struct store *st, const unsigned char author[32], uint64_t after,
		     uint64_t *seq, struct cimic_error *err)
{
	static const char sql[] =
		"SELECT seq FROM entries WHERE author=? AND seq>? ORDER BY seq LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot read the op log"), err);
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)after);
	if ((rc = one_row(st, s, err)) == 1) {
		*seq = (uint64_t)sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	return rc;
}

int
peerstate_entry_raw(struct store *st, const unsigned char hash[OPLOG_HASH_BYTES], unsigned char **raw,
		    size_t *len, bool *quarantined, struct cimic_error *err)
{
	static const char *const sql[2] = { "SELECT raw FROM entries WHERE hash=?",
					    "SELECT raw FROM quarantine WHERE hash=?" };

	*raw = NULL;
	for (int q = 0; q < 2; q++) {
		sqlite3_stmt *s = store_stmt(st, sql[q]);
		int rc;

		if (s == NULL)
			return store_sqlite_error(st, _("cannot read the op log"), err);
		sqlite3_bind_blob(s, 1, hash, OPLOG_HASH_BYTES, SQLITE_STATIC);
		if ((rc = one_row(st, s, err)) < 0)
			return -1;
		if (rc == 0)
			continue;
		*len = (size_t)sqlite3_column_bytes(s, 0);
		*raw = malloc(*len ? *len : 1);
		if (*raw != NULL)
			memcpy(*raw, sqlite3_column_blob(s, 0), *len);
		sqlite3_reset(s);
		if (*raw == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		*quarantined = q == 1;
		return 1;
	}
	return 0;
}

int
peerstate_release(struct store *st, const unsigned char hash[OPLOG_HASH_BYTES],
		  struct cimic_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM quarantine WHERE hash=?");

	if (s == NULL)
		return store_sqlite_error(st, _("cannot quarantine an entry"), err);
	sqlite3_bind_blob(s, 1, hash, OPLOG_HASH_BYTES, SQLITE_STATIC);
	return step_once(st, s, _("cannot quarantine an entry"), err);
}

bool
peerstate_fork_seen(struct store *st, const unsigned char author[32])
{
	static const char sql[] =
		"SELECT EXISTS(SELECT 1 FROM entries WHERE author=?1 GROUP BY seq HAVING count(*) > 1)"
		" OR EXISTS(SELECT 1 FROM quarantine WHERE author=?1 AND reason='fork')";
	sqlite3_stmt *s = store_stmt(st, sql);
	bool yes = false;

	if (s == NULL)
		return false;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		yes = sqlite3_column_int(s, 0) != 0;
	sqlite3_reset(s);
	return yes;
}

long
peerstate_quarantined_of(struct store *st, const unsigned char author[32])
{
	static const char sql[] = "SELECT count(*) FROM quarantine WHERE author=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	long n = 0;

	if (s == NULL)
		return 0;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return n;
}

int
peerstate_outbox_get(struct store *st, const unsigned char peer[32], char **file,
		     unsigned char key[PEERSTATE_KEY_BYTES], bool *has_key)
{
	static const char sql[] = "SELECT out_file, out_key FROM nodes WHERE sign_pk=?";
	sqlite3_stmt *s = store_stmt(st, sql);

	*file = NULL;
	*has_key = false;
	if (s == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, peer, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) == SQLITE_TEXT)
			*file = util_strdup((const char *)sqlite3_column_text(s, 0));
		if (sqlite3_column_bytes(s, 1) == PEERSTATE_KEY_BYTES) {
			memcpy(key, sqlite3_column_blob(s, 1), PEERSTATE_KEY_BYTES);
			*has_key = true;
		}
	}
	sqlite3_reset(s);
	return 0;
}

int
peerstate_outbox_set(struct store *st, const unsigned char peer[32], const char *file,
		     const unsigned char key[PEERSTATE_KEY_BYTES], struct cimic_error *err)
{
	static const char sql[] = "UPDATE nodes SET out_file=?, out_key=? WHERE sign_pk=?";
	sqlite3_stmt *s = store_stmt(st, sql);

	if (s == NULL)
		return store_sqlite_error(st, _("cannot save the peer"), err);
	sqlite3_bind_text(s, 1, file, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, key, PEERSTATE_KEY_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, peer, 32, SQLITE_STATIC);
	return step_once(st, s, _("cannot save the peer"), err);
}
