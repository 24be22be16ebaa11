/*
 * cryptvfs.h - a SQLite VFS shim that encrypts every page.
 *
 * Layout and rules: DESIGN.md section 2 and shared research
 * encrypted_sqlite.md.  Page size 4096 with 40 reserved bytes per page
 * (24-byte XChaCha20 nonce + 16-byte Poly1305 tag); the additional data
 * binds format tag, database salt and page number.  Journal and WAL
 * files of an encrypted database are encrypted with the same key.
 * The shim refuses temporary and nameless files, so nothing plaintext
 * ever reaches the disk.
 */
#ifndef CIMIC_CRYPTVFS_H
#define CIMIC_CRYPTVFS_H

#include <sqlite3.h>

#include "cimic/error.h"

#define CRYPTVFS_NAME "cimic-crypt"
#define CRYPTVFS_KEYBYTES 32

/* How long a connection waits for a busy store before SQLITE_BUSY (15 s). */
#define CRYPTVFS_BUSY_TIMEOUT_MS 15000

/*
 * The busy timeout in milliseconds: $CIMIC_BUSY_TIMEOUT when it is a
 * number from 0 to 3600000, else CRYPTVFS_BUSY_TIMEOUT_MS.
 */
int cryptvfs_busy_timeout_ms(void);

/* Registers the VFS (idempotent, not the default VFS). */
int cryptvfs_register(struct cimic_error *err);

/*
 * Opens (creating when `create`) the encrypted database at `path` with
 * the 32-byte data key, and applies the per-connection settings every
 * cimic connection needs: page size / reserve bytes, temp_store=MEMORY,
 * mmap_size=0, secure_delete=ON, journal_mode=WAL with normal locking
 * (other processes may share the store), a busy timeout, cache size.  The key is copied into
 * sodium_malloc memory owned by the connection; the caller may wipe its
 * copy afterwards.  A wrong key is CIMIC_EPERM and leaves every file
 * (including a hot journal or WAL) untouched.
 * OUT *db: caller closes with sqlite3_close().
 */
int cryptvfs_open(const char *path, const unsigned char key[CRYPTVFS_KEYBYTES], int create,
		  sqlite3 **db, struct cimic_error *err);

/*
 * Authenticates every page of the database file (and of the WAL, if
 * any) without going through the b-tree; the first bad page is named in
 * the message (CIMIC_EDATA).  `pages_out` receives the count checked.
 */
int cryptvfs_verify_all(sqlite3 *db, long *pages_out, struct cimic_error *err);

/*
 * Fills `err` for a failed SQLite call `rc` on a connection opened by
 * cryptvfs_open(): a page that failed authentication is CIMIC_EDATA and
 * names the page, a wrong key CIMIC_EPERM, I/O errors CIMIC_EIO, a
 * store that stayed busy past the timeout CIMIC_ETEMPFAIL.
 * Returns -1.
 */
int cryptvfs_error(sqlite3 *db, int rc, struct cimic_error *err);

#endif
