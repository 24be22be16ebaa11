/*
 * store.c - opening, creating and closing a store.
 *
 * store_connect() is the one place where a connection to cimic.db is
 * made, so the per-connection settings of DESIGN.md section 2 apply to
 * every connection the program opens.
 */
#include <dirent.h>
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
#include "schema.h"
#include "store_private.h"
#include "vault_private.h"

char *
store_default_dir(const char *flag)
{
	const char *env;

	if (flag != NULL && *flag != '\0')
		return util_strdup(flag);
	if ((env = getenv("CIMIC_HOME")) != NULL && *env != '\0')
		return util_strdup(env);
	if ((env = getenv("XDG_DATA_HOME")) != NULL && *env != '\0')
		return util_aprintf("%s/cimic", env);
	if ((env = getenv("HOME")) != NULL && *env != '\0')
		return util_aprintf("%s/.local/share/cimic", env);
	return util_strdup(".cimic");
}

char *
store_path(const char *dir, const char *name)
{
	return util_aprintf("%s/%s", dir, name);
}

bool
store_exists(const char *dir)
{
	char *p = store_path(dir, STORE_KEYFILE_NAME);
	bool yes = p != NULL && access(p, F_OK) == 0;

	free(p);
	return yes;
}

/* The single place where connections are made. */
static int
store_connect(const char *dir, const unsigned char *key, bool create, sqlite3 **db,
	      struct cimic_error *err)
{
	char *path = store_path(dir, STORE_DB_NAME);
	int rc;

	if (path == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = cryptvfs_open(path, key, create, db, err);
	free(path);
	return rc;
}

int
store_sqlite_error(struct store *st, const char *what, struct cimic_error *err)
{
	int ext = sqlite3_extended_errcode(st->db);

	char why[sizeof err->msg];

	if (err == NULL)
		return -1;
	cryptvfs_error(st->db, ext, err);
	memcpy(why, err->msg, sizeof why);
	if (err->code == CIMIC_EDATA)
		return cimic_error_set(err, CIMIC_EDATA, "%s: %s; %s", what, why, _("run 'cimic check'"));
	return cimic_error_set(err, err->code, "%s: %s", what, why);
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % STORE_STMT_CACHE;

	for (size_t i = 0; i < STORE_STMT_CACHE; i++) {
		size_t k = (h + i) % STORE_STMT_CACHE;
		if (st->cache[k].sql == sql) {
			sqlite3_reset(st->cache[k].stmt);
			sqlite3_clear_bindings(st->cache[k].stmt);
			return st->cache[k].stmt;
		}
		if (st->cache[k].sql == NULL) {
			sqlite3_stmt *s;
			if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL)
			    != SQLITE_OK)
				return NULL;
			st->cache[k].sql = sql;
			st->cache[k].stmt = s;
			return s;
		}
	}
	/* Cache full: callers use few distinct statements, so this is a bug. */
	return NULL;
}

int
store_step(struct store *st, sqlite3_stmt *s, const char *what, struct cimic_error *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_sqlite_error(st, what, err);
	return -1;
}

/* ---- what the layers above keep with an open store ---- */

int
store_ext_add(struct store *st, const struct store_ext_kind *kind, void *ctx,
	      struct cimic_error *err)
{
	if (st->next == STORE_EXT_MAX) {
		if (kind->destroy != NULL)
			kind->destroy(ctx);
		return cimic_error_set(err, CIMIC_EFAIL, _("too many store extensions"));
	}
	st->ext[st->next].kind = kind;
	st->ext[st->next].ctx = ctx;
	st->next++;
	return 0;
}

void *
store_ext_get(struct store *st, const struct store_ext_kind *kind)
{
	for (size_t i = 0; i < st->next; i++)
		if (st->ext[i].kind == kind)
			return st->ext[i].ctx;
	return NULL;
}

int
store_flush(struct store *st, struct cimic_error *err)
{
	for (size_t i = 0; i < st->next; i++)
		if (st->ext[i].kind->before_commit != NULL &&
		    st->ext[i].kind->before_commit(st, st->ext[i].ctx, err) != 0)
			return -1;
	return 0;
}

static void
store_ext_reset(struct store *st)
{
	for (size_t i = 0; i < st->next; i++)
		if (st->ext[i].kind->reset != NULL)
			st->ext[i].kind->reset(st, st->ext[i].ctx);
}

char *
store_meta_get(struct store *st, const char *key)
{
	static const char sql[] = "SELECT value FROM meta WHERE key=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	char *v = NULL;

	if (s == NULL)
		return NULL;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = util_strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return v;
}

static int
meta_put_blob(struct store *st, const char *key, const void *p, int n, struct cimic_error *err)
{
	static const char sql[] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot save settings"), err);
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (n < 0)
		sqlite3_bind_text(s, 2, p, -1, SQLITE_STATIC);
	else
		sqlite3_bind_blob(s, 2, p, n, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot save settings"), err);
	return 0;
}

int
store_meta_set(struct store *st, const char *key, const char *value, struct cimic_error *err)
{
	return meta_put_blob(st, key, value, -1, err);
}

/* Copies a stored blob of exactly n bytes into out. */
static int
meta_blob(struct store *st, const char *key, unsigned char *out, size_t n)
{
	static const char sql[] = "SELECT value FROM meta WHERE key=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc = -1;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW && (size_t)sqlite3_column_bytes(s, 0) == n) {
		memcpy(out, sqlite3_column_blob(s, 0), n);
		rc = 0;
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * The node's secret keys are stored sealed (XChaCha20-Poly1305, the meta
 * key as additional data) under a key derived from the data key, so
 * SQLite's page cache and heap only ever hold their ciphertext; they are
 * opened straight into sodium_malloc memory.
 */

static int
meta_put_secret(struct store *st, const char *key, const unsigned char *p, size_t n,
		struct cimic_error *err)
{
	unsigned char buf[SK_NONCE + SK_MAX + SK_ABYTES];

	randombytes_buf(buf, SK_NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + SK_NONCE, NULL, p, n,
		(const unsigned char *)key, strlen(key), NULL, buf, st->skey);
	return meta_put_blob(st, key, buf, (int)(SK_NONCE + n + SK_ABYTES), err);
}

/* Opens a sealed secret of n bytes into out; a plaintext one (older stores) sets *legacy. */
static int
meta_secret(struct store *st, const char *key, unsigned char *out, size_t n, bool *legacy)
{
	static const char sql[] = "SELECT value FROM meta WHERE key=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	const unsigned char *v;
	size_t len;
	int rc = -1;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		v = sqlite3_column_blob(s, 0);
		len = (size_t)sqlite3_column_bytes(s, 0);
		if (len == SK_NONCE + n + SK_ABYTES)
			rc = crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, v + SK_NONCE,
				n + SK_ABYTES, (const unsigned char *)key, strlen(key), v, st->skey);
		else if (len == n && (rc = 0) == 0) {
			memcpy(out, v, n);
			*legacy = true;
		}
	}
	sqlite3_reset(s);
	return rc;
}

static int
store_save_identity(struct store *st, struct cimic_error *err)
{
	const struct node_identity *id = &st->id;
	char role[2] = { (char)('0' + id->pub.role), 0 };

	if (meta_put_blob(st, "sign_pk", id->pub.sign_pk, 32, err) ||
	    meta_put_secret(st, "sign_sk", id->sign_sk, crypto_sign_SECRETKEYBYTES, err) ||
	    meta_put_blob(st, "box_pk", id->pub.box_pk, 32, err) ||
	    meta_put_secret(st, "box_sk", id->box_sk, crypto_box_SECRETKEYBYTES, err) ||
	    meta_put_blob(st, "link_pk", id->pub.link_pk, 32, err) ||
	    meta_put_secret(st, "link_sk", id->link_sk, crypto_box_SECRETKEYBYTES, err) ||
	    store_meta_set(st, "unit", id->pub.unit, err) ||
	    store_meta_set(st, "role", role, err))
		return -1;
	return 0;
}

int
store_load_identity(struct store *st, struct cimic_error *err)
{
	struct node_identity *id = &st->id;
	char *unit, *role;
	bool legacy = false;

	if (identity_alloc(id, err) != 0)
		return -1;
	unit = store_meta_get(st, "unit");
	role = store_meta_get(st, "role");
	if (meta_blob(st, "sign_pk", id->pub.sign_pk, 32) || meta_blob(st, "box_pk", id->pub.box_pk, 32) ||
	    meta_blob(st, "link_pk", id->pub.link_pk, 32) ||
	    meta_secret(st, "sign_sk", id->sign_sk, crypto_sign_SECRETKEYBYTES, &legacy) ||
	    meta_secret(st, "box_sk", id->box_sk, crypto_box_SECRETKEYBYTES, &legacy) ||
	    meta_secret(st, "link_sk", id->link_sk, crypto_box_SECRETKEYBYTES, &legacy) ||
	    unit == NULL ||
	    role == NULL) {
		free(unit);
		free(role);
		return cimic_error_set(err, CIMIC_EDATA, _("the store has no node identity"));
	}
	snprintf(id->pub.unit, sizeof id->pub.unit, "%s", unit);
	id->pub.role = role[0] == '1' ? NODE_HQ : NODE_FIELD;
	free(unit);
	free(role);
	/* a store written before the keys were sealed: seal them now (secure_delete wipes the old) */
	return legacy ? store_save_identity(st, err) : 0;
}

/* The key that seals the node's secret keys, derived from the data key. */
static int
store_derive_skey(struct store *st, const unsigned char *key, struct cimic_error *err)
{
	if (st->skey == NULL && (st->skey = sodium_malloc(32)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot allocate secure memory"));
	crypto_kdf_derive_from_key(st->skey, 32, 1, "cimicsk_", key);
	return 0;
}

static void
store_load_hlc(struct store *st)
{
	char *v = store_meta_get(st, "hlc");

	st->hlc_last = v ? strtoull(v, NULL, 10) : 0;
	free(v);
}

static int
store_alloc(const char *dir, struct store **out, struct cimic_error *err)
{
	struct store *st = calloc(1, sizeof *st);

	if (st == NULL || (st->dir = util_strdup(dir)) == NULL) {
		free(st);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	*out = st;
	return 0;
}

int
store_db_create(const char *dir, const char *pass, size_t passlen, const struct store_init_opts *o,
	   struct store **out, struct cimic_error *err)
{
	struct vault_kdf kdf;
	unsigned char *key = NULL;
	struct store *st = NULL;
	char *kpath = NULL;

	*out = NULL;
	if (store_exists(dir))
		return cimic_error_set(err, CIMIC_ECANTCREAT,
				       _("%s already holds a store; use another --store or 'cimic wipe'"),
				       dir);
	if (util_mkdirs(dir, 0700, err) != 0)
		return -1;
	if (o->kdf != NULL)
		kdf = *o->kdf;
	else if (vault_calibrate(1000, &kdf, err) != 0)
		return -1;
	if (store_alloc(dir, &st, err) != 0)
		return -1;
	if ((kpath = store_path(dir, STORE_KEYFILE_NAME)) == NULL) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		goto fail;
	}
	if (identity_generate(&st->id, o->unit, o->role, err) != 0)
		goto fail;
	/* A database left by an earlier, wiped store cannot be opened: start afresh. */
	{
		static const char *const left[] = { STORE_DB_NAME, STORE_DB_NAME "-wal",
			STORE_DB_NAME "-shm", STORE_DB_NAME "-seal" };
		for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
			char *p = store_path(dir, left[i]);
			if (p != NULL)
				unlink(p);
			free(p);
		}
	}
	if (vault_create(kpath, pass, passlen, &kdf, &key, err) != 0)
		goto fail;
	if (store_connect(dir, key, true, &st->db, err) != 0 ||
	    store_derive_skey(st, key, err) != 0)
		goto fail_keyfile;
	if (store_begin(st, err) != 0 || schema_migrate(st->db, err) != 0 ||
	    store_save_identity(st, err) != 0 || store_commit(st, err) != 0)
		goto fail_keyfile;
	vault_key_free(key);
	free(kpath);
	*out = st;
	return 0;
fail_keyfile:
	unlink(kpath);
fail:
	vault_key_free(key);
	free(kpath);
	store_close(st);
	return -1;
}

int
store_db_open(const char *dir, const char *pass, size_t passlen, struct store **out,
	   struct cimic_error *err)
{
	unsigned char *key = NULL;
	struct store *st = NULL;
	char *kpath;

	*out = NULL;
	if (store_rekey_recover(dir, err) != 0)
		return -1;
	if (!store_exists(dir))
		return cimic_error_set(err, CIMIC_ENOINPUT,
				       _("no store in %s; create one with 'cimic init --unit NAME'"), dir);
	if ((kpath = store_path(dir, STORE_KEYFILE_NAME)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (vault_unlock(kpath, pass, passlen, &key, err) != 0) {
		free(kpath);
		return -1;
	}
	free(kpath);
	if (store_alloc(dir, &st, err) != 0)
		goto fail;
	if (store_connect(dir, key, false, &st->db, err) != 0) {
		/* the passphrase was right (the keyfile opened): a page that does not
		   authenticate under its key is damage or tampering, not a wrong passphrase */
		if (err != NULL && err->code == CIMIC_EPERM)
			cimic_error_set(err, CIMIC_EDATA,
					_("the database does not match its key: it was tampered with, damaged or replaced"));
		goto fail;
	}
	if (store_derive_skey(st, key, err) != 0)
		goto fail;
	vault_key_free(key);
	key = NULL;
	if (store_begin(st, err) != 0)
		goto fail;
	if (schema_migrate(st->db, err) != 0 || store_load_identity(st, err) != 0) {
		store_rollback(st);
		goto fail;
	}
	store_load_hlc(st);
	if (store_commit(st, err) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	vault_key_free(key);
	store_close(st);
	return -1;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < STORE_STMT_CACHE; i++)
		sqlite3_finalize(st->cache[i].stmt);
	if (st->db != NULL)
		sqlite3_close(st->db);
	for (size_t i = st->next; i-- > 0;)
		if (st->ext[i].kind->destroy != NULL)
			st->ext[i].kind->destroy(st->ext[i].ctx);
	identity_finish(&st->id);
	sodium_free(st->skey);
	free(st->dir);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

const struct node_identity *
store_identity(const struct store *st)
{
	return &st->id;
}

int
store_begin(struct store *st, struct cimic_error *err)
{
	store_ext_reset(st);
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot start a transaction"), err);
	return 0;
}

int
store_commit(struct store *st, struct cimic_error *err)
{
	char hlc[24];

	if (store_flush(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	snprintf(hlc, sizeof hlc, "%llu", (unsigned long long)st->hlc_last);
	if (store_meta_set(st, "hlc", hlc, err) != 0) {
		store_rollback(st);
		return -1;
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_sqlite_error(st, _("cannot commit"), err);
		store_rollback(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	store_ext_reset(st);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	store_load_hlc(st);
}

/*
 * "keyfile" itself, or a copy an interrupted passwd or rekey left
 * ("keyfile.tmp-XXXXXXXX", "keyfile.rekey", "keyfile.rekey.tmp-...").
 */
static bool
is_keyfile_copy(const char *name)
{
	size_t n = strlen(STORE_KEYFILE_NAME);

	return strncmp(name, STORE_KEYFILE_NAME, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

/*
 * Destroys every keyfile copy in the directory, the keyfile last; the
 * database is not touched (a checkpoint of a large WAL would take
 * seconds, and without the key its pages are noise anyway).
 */
int
store_wipe(const char *dir, struct cimic_error *err)
{
	char *kpath = store_path(dir, STORE_KEYFILE_NAME);
	struct dirent *e;
	DIR *d;
	int rc = 0, found = 0;

	if (kpath == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char *p;
			if (strcmp(e->d_name, STORE_KEYFILE_NAME) == 0 || !is_keyfile_copy(e->d_name))
				continue;
			if ((p = store_path(dir, e->d_name)) == NULL) {
				rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
				break;
			}
			found++;
			if (vault_wipe(p, err) != 0)
				rc = -1;
			free(p);
		}
		closedir(d);
	}
	if (access(kpath, F_OK) == 0) {
		found++;
		if (vault_wipe(kpath, err) != 0)
			rc = -1;
	}
	free(kpath);
	if (found == 0)
		return cimic_error_set(err, CIMIC_ENOINPUT, _("no store in %s"), dir);
	return rc;
}

void
store_close_now(struct store *st)
{
	int on = 1;

	if (st != NULL && st->db != NULL)
		sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on, NULL);
	store_close(st);
}

uint64_t
store_change_counter(struct store *st)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *s = store_stmt(st, sql);
	uint64_t v = 0;

	if (s == NULL)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);   /* a statement left stepped would pin an old snapshot */
	return (v << 32) + (uint64_t)sqlite3_total_changes64(st->db);
}

bool
store_in_transaction(struct store *st)
{
	return !sqlite3_get_autocommit(st->db);
}
