/*
 * store_private.h - what src/ modules share about an open store.
 *
 * Not a public header: ui/ and sync/ see only include/cimic/store.h.
 */
#ifndef CIMIC_SRC_STORE_PRIVATE_H
#define CIMIC_SRC_STORE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <sodium.h>
#include <sqlite3.h>

#include "cimic/identity.h"
#include "cimic/store.h"
#include "cimic/util.h"

#define STORE_STMT_CACHE 64

#define STORE_EXT_MAX 8

struct store;

/*
 * What a layer above the store keeps with an open store (the op log's
 * attached tables, the search index's stale rows): the store calls its
 * hooks without knowing what they do.  That is how the store knows only
 * SQLite, the encrypted VFS and its meta table, while derived tables stay
 * current on every commit.  Each hook may be NULL.
 */
struct store_ext_kind {
	/* before COMMIT (and from store_flush): bring derived data up to date */
	int (*before_commit)(struct store *st, void *ctx, struct cimic_error *err);
	/* at BEGIN and ROLLBACK: forget pending work */
	void (*reset)(struct store *st, void *ctx);
	/* at close */
	void (*destroy)(void *ctx);
};

struct store {
	sqlite3 *db;                     /* owned */
	char *dir;                       /* owned */
	struct node_identity id;         /* owned, secrets in sodium_malloc */
	unsigned char *skey;             /* owned, sodium_malloc: seals id's secrets in meta */
	uint64_t hlc_last;               /* last HLC issued or (capped) received */
	/* the layers above: kind borrowed (static), ctx owned through kind->destroy */
	struct {
		const struct store_ext_kind *kind;
		void *ctx;
	} ext[STORE_EXT_MAX];
	size_t next;
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

/*
 * Keeps ctx with the store under `kind` (a static struct whose address is
 * the key).  Takes ctx: on failure it is destroyed at once.
 */
int store_ext_add(struct store *st, const struct store_ext_kind *kind, void *ctx,
		  struct cimic_error *err);
/* The ctx added under kind, or NULL.  Borrowed. */
void *store_ext_get(struct store *st, const struct store_ext_kind *kind);
/* Runs every before_commit hook now (store_commit does too). */
int store_flush(struct store *st, struct cimic_error *err);

/*
 * Steps a statement: 1 a row, 0 no more rows, -1 an error (err set to
 * `what` and SQLite's reason; tampering is CIMIC_EDATA).  Every loop over
 * rows ends on 0 and fails on -1, so a read error never passes for the end
 * of the data (a short bundle or export).
 */
int store_step(struct store *st, sqlite3_stmt *s, const char *what, struct cimic_error *err);

/* The connection (owned by the store). */
sqlite3 *store_db(struct store *st);

/*
 * The database alone: open or create the keyfile and cimic.db, migrate the
 * schema, load the identity.  Nothing above the store is attached: callers
 * outside src/ use store_open() / store_init() (src/model/store_open.c),
 * which attach the op log's tables.
 */
int store_db_create(const char *dir, const char *pass, size_t passlen,
		    const struct store_init_opts *o, struct store **out, struct cimic_error *err);
int store_db_open(const char *dir, const char *pass, size_t passlen, struct store **out,
		  struct cimic_error *err);

/* A sealed secret in meta: nonce || ciphertext (at most SK_MAX bytes) || tag. */
#define SK_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SK_ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SK_MAX 64

/* dir/name, allocated (NULL when memory runs out). */
char *store_path(const char *dir, const char *name);
/*
 * Finishes or undoes a rekey that was interrupted (store_rekey.c); called
 * by store_db_open() before the database is opened.
 */
int store_rekey_recover(const char *dir, struct cimic_error *err);

/* Loads the node identity from meta (after open). */
int store_load_identity(struct store *st, struct cimic_error *err);

#endif
