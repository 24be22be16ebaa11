/*
 * store_private.h - what src/ modules share about an open store.
 *
 * Not a public header: ui/ and sync/ see only include/cimic/store.h.
 */
#ifndef CIMIC_SRC_STORE_PRIVATE_H
#define CIMIC_SRC_STORE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "cimic/identity.h"
#include "cimic/store.h"
#include "cimic/util.h"

#define STORE_STMT_CACHE 64

struct store_dirty_row {
	unsigned char kind;
	unsigned char id[CIMIC_ID_BYTES];
};

struct store {
	sqlite3 *db;                     /* owned */
	char *dir;                       /* owned */
	struct node_identity id;         /* owned, secrets in sodium_malloc */
	uint64_t hlc_last;               /* last HLC issued or (capped) received */
	/* rows whose search index must be refreshed before commit */
	struct store_dirty_row *dirty;   /* owned */
	size_t ndirty, dirtycap;
	/* prepared statements keyed by the address of their static SQL text */
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STORE_STMT_CACHE];
};

/*
 * A cached, reset statement for a static SQL string (the pointer is the
 * key, so pass string literals or other static text only).  NULL on a
 * prepare error (see sqlite3_errmsg).  Borrowed: do not finalize.
 */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);

/* Remembers that a row's derived data (search index) is stale. */
int store_mark_dirty(struct store *st, unsigned kind, const unsigned char id[CIMIC_ID_BYTES]);

/* Loads the node identity from meta (after open). */
int store_load_identity(struct store *st, struct cimic_error *err);

#endif
