/*
 * store_check.c - `cimic check`: every layer's own verification, in order.
 *
 * It stands above the store and the op log because it asks both: the
 * encrypted VFS authenticates every page, SQLite checks its b-trees, the
 * log checks signatures, hash chains and head flags.
 */
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cryptvfs.h"
#include "store_private.h"

/* SQLite's own b-tree check: "ok" or the first problem. */
static int
check_btrees(struct store *st, struct cimic_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("integrity check"), err);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0) {
		sqlite3_finalize(s);
		return 0;
	}
	if (rc == SQLITE_ROW)
		cimic_error_set(err, CIMIC_EDATA, _("integrity check: %s"), sqlite3_column_text(s, 0));
	else
		store_sqlite_error(st, _("integrity check"), err);
	sqlite3_finalize(s);
	return -1;
}

int
store_check(struct store *st, struct store_check_report *rep, struct cimic_error *err)
{
	memset(rep, 0, sizeof *rep);
	if (cryptvfs_verify_all(st->db, &rep->pages, err) != 0)
		return -1;
	if (check_btrees(st, err) != 0)
		return -1;
	if (oplog_verify(st, &rep->entries, &rep->problems, err) != 0)
		return -1;
	if (oplog_stats(st, &rep->entries, &rep->ops, err) != 0)
		return -1;
	rep->conflicts = oplog_conflict_count(st);
	if (rep->conflicts < 0)
		return store_sqlite_error(st, _("cannot read conflicts"), err);
	return 0;
}
