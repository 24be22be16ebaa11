/*
 * store_rekey.c - a new passphrase (store_passwd: the keyfile is
 * rewrapped) and a new key (store_rekey: every page sealed again into a
 * copy beside the store, then the copy and its keyfile renamed into
 * place).  An interrupted rekey is finished or rolled back the next time
 * the store is opened (store_rekey_recover), so the store always opens
 * with exactly one of the two passphrases.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cryptvfs.h"
#include "store_private.h"
#include "vault_private.h"

#define REKEY_DB STORE_DB_NAME ".rekey"
#define REKEY_KEYFILE STORE_KEYFILE_NAME ".rekey"

static void
unlink_in(const char *dir, const char *name)
{
	char *p = store_path(dir, name);

	if (p != NULL)
		unlink(p);
	free(p);
}

static bool
exists_in(const char *dir, const char *name)
{
	char *p = store_path(dir, name);
	bool yes = p != NULL && access(p, F_OK) == 0;

	free(p);
	return yes;
}

static int
rename_in(const char *dir, const char *from, const char *to)
{
	char *a = store_path(dir, from), *b = store_path(dir, to);
	int rc = a != NULL && b != NULL && rename(a, b) == 0 && util_fsync_dir_of(b) == 0 ? 0 : -1;

	free(a);
	free(b);
	return rc;
}

/* Drops the half-made copy of an interrupted rekey: the keyfile.rekey first. */
static void
rekey_roll_back(const char *dir)
{
	static const char *const parts[] = { REKEY_DB "-wal", REKEY_DB "-shm", REKEY_DB "-seal",
					     REKEY_DB };
	char *p;

	unlink_in(dir, REKEY_KEYFILE);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		unlink_in(dir, parts[i]);
	if ((p = store_path(dir, REKEY_DB)) != NULL)
		util_fsync_dir_of(p);
	free(p);
}

/*
 * Finishes or undoes a rekey that was interrupted (store_rekey's steps):
 * while cimic.db.rekey exists the old database and keyfile are intact
 * and the copy is dropped; once it was renamed into place only the
 * keyfile.rekey that opens it remains to be put in place.
 */
int
store_rekey_recover(const char *dir, struct cimic_error *err)
{
	if (exists_in(dir, REKEY_DB)) {
		rekey_roll_back(dir);
		return 0;
	}
	if (exists_in(dir, REKEY_KEYFILE) &&
	    rename_in(dir, REKEY_KEYFILE, STORE_KEYFILE_NAME) != 0)
		return cimic_error_set(err, CIMIC_EIO, _("cannot finish the interrupted re-encryption "
			"in %s: %s"), dir, strerror(errno));
	return 0;
}

/* Seals the identity's secrets again in `db` under the key derived from `key`. */
static int
reseal_secrets(sqlite3 *db, const struct node_identity *id, const unsigned char *key)
{
	const struct { const char *name; const unsigned char *p; size_t n; } sk[] = {
		{ "sign_sk", id->sign_sk, crypto_sign_SECRETKEYBYTES },
		{ "box_sk", id->box_sk, crypto_box_SECRETKEYBYTES },
		{ "link_sk", id->link_sk, crypto_box_SECRETKEYBYTES },
	};
	unsigned char *skey = sodium_malloc(32), buf[SK_NONCE + SK_MAX + SK_ABYTES];
	sqlite3_stmt *s = NULL;
	int rc = -1;

	if (skey == NULL || sqlite3_prepare_v2(db, "UPDATE meta SET value=? WHERE key=?", -1, &s,
					       NULL) != SQLITE_OK)
		goto out;
	crypto_kdf_derive_from_key(skey, 32, 1, "cimicsk_", key);
	for (size_t i = 0; i < sizeof sk / sizeof sk[0]; i++) {
		randombytes_buf(buf, SK_NONCE);
		crypto_aead_xchacha20poly1305_ietf_encrypt(buf + SK_NONCE, NULL, sk[i].p, sk[i].n,
			(const unsigned char *)sk[i].name, strlen(sk[i].name), NULL, buf, skey);
		sqlite3_bind_blob(s, 1, buf, (int)(SK_NONCE + sk[i].n + SK_ABYTES), SQLITE_STATIC);
		sqlite3_bind_text(s, 2, sk[i].name, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE || sqlite3_changes(db) != 1)
			goto out;
		sqlite3_reset(s);
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	sodium_free(skey);
	return rc;
}

/* Copies every page of st into the new database under key2 (re-encrypting it). */
static int
rekey_copy(struct store *st, const char *dbnew, const unsigned char *key2,
	   void (*progress)(void *ctx, long done, long total), void *ctx, struct cimic_error *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int rc;

	if (cryptvfs_open(dbnew, key2, 1, &dst, err) != 0)
		return -1;
	if ((b = sqlite3_backup_init(dst, "main", st->db, "main")) == NULL) {
		cryptvfs_error(dst, sqlite3_extended_errcode(dst), err);
		sqlite3_close(dst);
		return -1;
	}
	do {
		rc = sqlite3_backup_step(b, 32);
		if (progress != NULL)
			progress(ctx, sqlite3_backup_pagecount(b) - sqlite3_backup_remaining(b),
				 sqlite3_backup_pagecount(b));
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		cryptvfs_error(dst, rc, err);
		sqlite3_close(dst);
		return -1;
	}
	if (reseal_secrets(dst, &st->id, key2) != 0 ||
	    sqlite3_exec(dst, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK ||
	    cryptvfs_verify_all(dst, NULL, err) != 0) {
		if (err != NULL && err->msg[0] == '\0')
			cryptvfs_error(dst, sqlite3_extended_errcode(dst), err);
		sqlite3_close(dst);
		return -1;
	}
	return sqlite3_close(dst) == SQLITE_OK ? 0 :
	       cimic_error_set(err, CIMIC_EIO, _("cannot close the re-encrypted copy"));
}

int
store_rekey(const char *dir, const char *oldpass, size_t oldlen, const char *newpass,
	    size_t newlen, void (*progress)(void *ctx, long done, long total), void *ctx,
	    struct cimic_error *err)
{
	char *kpath = store_path(dir, STORE_KEYFILE_NAME), *knew = store_path(dir, REKEY_KEYFILE);
	char *dbnew = store_path(dir, REKEY_DB), *wal = store_path(dir, STORE_DB_NAME "-wal");
	unsigned char *key2 = NULL;
	struct store *st = NULL;
	struct vault_kdf kdf;
	int fd, rc = -1;

	if (kpath == NULL || knew == NULL || dbnew == NULL || wal == NULL) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		goto out;
	}
	if (store_db_open(dir, oldpass, oldlen, &st, err) != 0 || vault_params(kpath, &kdf, err) != 0)
		goto out;
	/* 1. the copy's name first: while it exists, recovery undoes everything */
	if ((fd = open(dbnew, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0 ||
	    close(fd) != 0 || util_fsync_dir_of(dbnew) != 0) {
		cimic_error_set(err, CIMIC_ECANTCREAT, _("cannot create %s: %s"), dbnew,
				strerror(errno));
		goto out;
	}
	/* 2. a new data key, wrapped under the new passphrase; 3. every page under it */
	if (vault_create(knew, newpass, newlen, &kdf, &key2, err) != 0 ||
	    rekey_copy(st, dbnew, key2, progress, ctx, err) != 0)
		goto undo;
	store_close(st);
	st = NULL;
	if (access(wal, F_OK) == 0) {
		cimic_error_set(err, CIMIC_ETEMPFAIL, _("another process has the store open; close it "
			"and run the re-encryption again"));
		goto undo;
	}
	/* 4. the copy replaces the database; 5. its keyfile replaces the keyfile */
	unlink_in(dir, REKEY_DB "-seal");
	unlink_in(dir, STORE_DB_NAME "-seal");
	unlink_in(dir, STORE_DB_NAME "-shm");
	if (rename_in(dir, REKEY_DB, STORE_DB_NAME) != 0) {
		cimic_error_set(err, CIMIC_EIO, _("cannot put the re-encrypted database in place: %s"),
				strerror(errno));
		goto undo;
	}
	if (store_rekey_recover(dir, err) != 0)
		goto out;
	rc = 0;
	goto out;
undo:
	rekey_roll_back(dir);
out:
	store_close(st);
	vault_key_free(key2);
	free(kpath);
	free(knew);
	free(dbnew);
	free(wal);
	return rc;
}

int
store_passwd(const char *dir, const char *oldpass, size_t oldlen, const char *newpass,
	     size_t newlen, struct cimic_error *err)
{
	char *kpath = store_path(dir, STORE_KEYFILE_NAME);
	int rc;

	if (kpath == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = vault_rewrap(kpath, oldpass, oldlen, newpass, newlen, NULL, err);
	free(kpath);
	return rc;
}

