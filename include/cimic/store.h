/*
 * store.h - the data directory and its encrypted database.
 *
 * A store is a directory holding `keyfile` (the wrapped data key) and
 * `cimic.db` (the encrypted SQLite database with the op log and the
 * materialised tables).  Every connection is made by store_open() in one
 * place, so the settings of DESIGN.md section 2 apply to all of them.
 *
 * Ownership: struct store owns its sqlite3 handle, the node identity and
 * the secret keys (sodium_malloc).  store_close(NULL) is a no-op.
 */
#ifndef CIMIC_STORE_H
#define CIMIC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cimic/error.h"
#include "cimic/identity.h"
#include "cimic/vault.h"

struct store;

#define STORE_DB_NAME "cimic.db"
#define STORE_KEYFILE_NAME "keyfile"

/*
 * Picks the data directory: `flag` (--store), else $CIMIC_HOME, else
 * $XDG_DATA_HOME/cimic, else ~/.local/share/cimic.  OUT: caller frees.
 */
char *store_default_dir(const char *flag);

/* Does dir hold a store (a keyfile)? */
bool store_exists(const char *dir);

struct store_init_opts {
	const char *unit;          /* unit name, UTF-8, 1..63 bytes */
	enum node_role role;
	const struct vault_kdf *kdf;   /* NULL: calibrate to about 1 s */
};

/* Creates a new store in dir (created 0700 if missing; must not hold a store). */
int store_init(const char *dir, const char *pass, size_t passlen, const struct store_init_opts *o,
	       struct store **out, struct cimic_error *err);

/* Opens an existing store. Wrong passphrase: CIMIC_EPERM. */
int store_open(const char *dir, const char *pass, size_t passlen, struct store **out,
	       struct cimic_error *err);

void store_close(struct store *st);

/*
 * Is this passphrase strong enough for a new store or passwd?  Checked
 * with libpwquality (12 characters at least, no dictionary word, a
 * score of 50 of 100).  Weak: CIMIC_EUSAGE with the reason and a hint.
 */
int store_passphrase_check(const char *pass, size_t len, struct cimic_error *err);
/*
 * Closes without checkpointing the WAL into the database first (for a
 * panic wipe: the key is already gone).  NULL is a no-op.
 */
void store_close_now(struct store *st);

const struct node_identity *store_identity(const struct store *st);

/* Plain transactions for code that does not write the op log. */
int store_begin(struct store *st, struct cimic_error *err);
int store_commit(struct store *st, struct cimic_error *err);
void store_rollback(struct store *st);

/*
 * A number that moves whenever the store's contents may have changed:
 * another process committed (PRAGMA data_version) or this connection
 * wrote (sqlite3_total_changes64).  Cheap; the interface polls it about
 * once a second to refresh what it shows.  0 when it cannot be read.
 */
uint64_t store_change_counter(struct store *st);
/* Is a transaction open on this connection? */
bool store_in_transaction(struct store *st);

/* Key/value settings kept in the store (meta table). OUT: caller frees; NULL if unset. */
char *store_meta_get(struct store *st, const char *key);
int store_meta_set(struct store *st, const char *key, const char *value, struct cimic_error *err);

/* Maps the last SQLite error to a cimic error (IOERR_DATA -> tampering, EDATA). */
int store_sqlite_error(struct store *st, const char *what, struct cimic_error *err);

struct store_check_report {
	long pages;          /* pages authenticated */
	long entries;        /* op-log entries verified */
	long ops;
	long contacts, incidents, links;
	long conflicts;
	long problems;       /* count of problems found */
};

/*
 * Full check: SQLite integrity_check, authentication of every page,
 * signature and hash chain of every entry, and that the materialised
 * tables equal a fresh materialisation of the op log.  Returns -1 with
 * CIMIC_EDATA naming the first problem.
 */
int store_check(struct store *st, struct store_check_report *rep, struct cimic_error *err);

/* Changes the passphrase (rewraps the data key). */
int store_passwd(const char *dir, const char *oldpass, size_t oldlen, const char *newpass,
		 size_t newlen, struct cimic_error *err);

/*
 * passwd --rekey: a new data key, wrapped under the new passphrase, and
 * every page of the database re-encrypted under it (a copy through the
 * backup API, then renamed into place), so old keyfile copies and old
 * passphrases open nothing.  `progress` (may be NULL) is called with the
 * pages done and the total.  Crash-safe: an interrupted run is undone
 * (or, once the copy is in place, finished) by the next open.  The
 * store must not be open in another process (CIMIC_ETEMPFAIL).
 */
int store_rekey(const char *dir, const char *oldpass, size_t oldlen, const char *newpass,
		size_t newlen, void (*progress)(void *ctx, long done, long total), void *ctx,
		struct cimic_error *err);

/*
 * Panic wipe: destroys every keyfile copy in dir (the keyfile and any
 * keyfile.tmp-* an interrupted passwd left) so the database can never
 * be read again.  The database is not touched.
 */
int store_wipe(const char *dir, struct cimic_error *err);

#endif
