/*
 * support.h - helpers for unit tests that need real stores: temporary
 * directories, fast stores (small Argon2id parameters, given
 * explicitly), a deterministic random generator, and a digest of the
 * materialised tables used to compare replicas.
 */
#ifndef CIMIC_TEST_SUPPORT_H
#define CIMIC_TEST_SUPPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "cimic/store.h"
#include "store_private.h"   /* store_db */

static const struct vault_kdf test_kdf = { 1, 8192 };

/* A new empty directory under $TMPDIR. OUT: caller frees (and removes with test_rmdir). */
static inline char *
test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p = malloc(512);

	snprintf(p, 512, "%s/cimic-test-XXXXXX", base && *base ? base : "/tmp");
	if (mkdtemp(p) == NULL) {
		perror("mkdtemp");
		exit(99);
	}
	return p;
}

static inline void
test_rmdir(char *dir)
{
	char cmd[600];

	if (dir == NULL)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", dir);
	free(dir);
}

/* A fresh store in a new directory; the directory path is returned in *dir. */
static inline struct store *
test_store(const char *unit, enum node_role role, char **dir)
{
	struct store_init_opts o = { unit, role, &test_kdf };
	struct cimic_error err;
	struct store *st;

	*dir = test_tmpdir();
	if (store_init(*dir, "pw", 2, &o, &st, &err) != 0) {
		fprintf(stderr, "# store_init: %s\n", err.msg);
		exit(99);
	}
	return st;
}

/* xorshift64*: deterministic per seed. */
static inline uint64_t
test_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static inline void
digest_query(sqlite3 *db, const char *sql, crypto_generichash_state *h)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "# digest: %s\n", sqlite3_errmsg(db));
		exit(99);
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			int t = sqlite3_column_type(s, i);
			const void *p = sqlite3_column_blob(s, i);
			int n = sqlite3_column_bytes(s, i);
			unsigned char tag = (unsigned char)t;
			crypto_generichash_update(h, &tag, 1);
			crypto_generichash_update(h, (const unsigned char *)&n, sizeof n);
			if (p != NULL && n > 0)
				crypto_generichash_update(h, p, (size_t)n);
		}
	}
	sqlite3_finalize(s);
}

/*
 * Digest of everything that must be equal on replicas holding the same
 * ops: the materialised tables, the head flags and the open conflicts
 * (not when they were noticed, which is local).
 */
static inline void
test_digest(struct store *st, unsigned char out[32])
{
	crypto_generichash_state h;
	sqlite3 *db = store_db(st);

	crypto_generichash_init(&h, NULL, 0, 32);
	digest_query(db, "SELECT * FROM contacts ORDER BY id", &h);
	digest_query(db, "SELECT * FROM incidents ORDER BY id", &h);
	digest_query(db, "SELECT * FROM links ORDER BY id", &h);
	digest_query(db, "SELECT id, head FROM ops ORDER BY id", &h);
	digest_query(db, "SELECT row, field, tbl FROM conflicts ORDER BY row, field", &h);
	crypto_generichash_final(&h, out, 32);
}

#endif
