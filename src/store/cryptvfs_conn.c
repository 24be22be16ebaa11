/*
 * cryptvfs_conn.c - connections over the encrypting VFS: opening with a
 * key and the settings every cimic connection needs, mapping SQLite
 * errors to cimic errors (a page that fails authentication is named),
 * and authenticating every page of a database and its WAL.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cryptvfs.h"
#include "cimic/i18n.h"
#include "cryptvfs_private.h"

/* ---- connections ---- */

static struct crypt_file *
main_file(sqlite3 *db)
{
	struct crypt_file *f = NULL;

	if (db == NULL || sqlite3_file_control(db, "main", CRYPTVFS_FCNTL_SELF, &f) != SQLITE_OK)
		return NULL;
	return f;
}

static int
tamper_error(uint32_t pgno, bool in_wal, struct cimic_error *err)
{
	if (in_wal)
		return cimic_error_set(err, CIMIC_EDATA, _("page %u in the write-ahead log failed "
			"authentication: the store was tampered with or is damaged"), (unsigned)pgno);
	return cimic_error_set(err, CIMIC_EDATA, _("page %u of the database failed "
		"authentication: the store was tampered with or is damaged"), (unsigned)pgno);
}

static int
wal_tamper_error(const struct wal_verdict *v, struct cimic_error *err)
{
	switch (v->fault) {
	case WAL_FRAME_BAD:
		if (v->pgno != 0)
			return cimic_error_set(err, CIMIC_EDATA, _("frame %u (page %u) of the "
				"write-ahead log was altered, replaced, moved or cut off: the store was "
				"tampered with"), (unsigned)v->frame, (unsigned)v->pgno);
		return cimic_error_set(err, CIMIC_EDATA, _("frame %u of the write-ahead log was "
			"altered, replaced, moved or cut off: the store was tampered with"), (unsigned)v->frame);
	case WAL_COMMITS_LOST:
		return cimic_error_set(err, CIMIC_EDATA, _("the write-ahead log lost committed "
			"transactions (%u frames sealed, %u intact): the store was tampered with"),
			(unsigned)v->sealed, (unsigned)v->intact);
	default:
		return cimic_error_set(err, CIMIC_EDATA, _("the seal of the write-ahead log is "
			"missing or damaged: the store was tampered with"));
	}
}

int
cryptvfs_error(sqlite3 *db, int rc, struct cimic_error *err)
{
	struct crypt_file *f = main_file(db);
	const char *why = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

	if (rc == SQLITE_IOERR_DATA && f != NULL && f->fail_wal.fault != WAL_SOUND)
		return wal_tamper_error(&f->fail_wal, err);
	if (rc == SQLITE_IOERR_DATA && f != NULL && f->fail_pgno != 0)
		return tamper_error(f->fail_pgno, f->fail_kind == CRYPT_WAL, err);
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
		return cimic_error_set(err, CIMIC_EPERM, _("wrong passphrase or not a cimic store"));
	case SQLITE_CORRUPT:
		return cimic_error_set(err, CIMIC_EDATA, _("the store is damaged: %s"), why);
	case SQLITE_IOERR:
	case SQLITE_FULL:
		return cimic_error_set(err, CIMIC_EIO, _("store I/O failed: %s"), why);
	case SQLITE_BUSY:
		return cimic_error_set(err, CIMIC_ETEMPFAIL, _("the store is busy: another process "
			"has held it for more than %g s; try again"), cryptvfs_busy_timeout_ms() / 1000.0);
	default:
		return cimic_error_set(err, CIMIC_EFAIL, _("store error: %s"), why);
	}
}

static int
exec(sqlite3 *db, const char *sql, struct cimic_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : cryptvfs_error(db, sqlite3_extended_errcode(db), err);
}

/* Runs a one-row query and compares its text with `want`. */
static int
expect(sqlite3 *db, const char *sql, const char *want, struct cimic_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	const unsigned char *got;

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return cryptvfs_error(db, sqlite3_extended_errcode(db), err);
	}
	got = sqlite3_column_text(st, 0);
	rc = got != NULL && sqlite3_stricmp((const char *)got, want) == 0;
	sqlite3_finalize(st);
	if (!rc)
		return cimic_error_set(err, CIMIC_EFAIL, _("store setting failed: %s"), sql);
	return 0;
}

/*
 * A new file gets its format and page 1 while still in rollback mode,
 * so the salt is on disk before any WAL exists: every later open can
 * authenticate the key against the database file alone.
 */
static int
init_new(sqlite3 *db, struct cimic_error *err)
{
	int reserve = RESERVE;

	if (exec(db, "PRAGMA page_size=4096", err) != 0)
		return -1;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot reserve page space"));
	return exec(db, "PRAGMA application_id=1128877379", err);   /* "CIMC" */
}

int
cryptvfs_busy_timeout_ms(void)
{
	const char *env = getenv("CIMIC_BUSY_TIMEOUT");
	char *end;
	long ms;

	if (env == NULL || *env == '\0')
		return CRYPTVFS_BUSY_TIMEOUT_MS;
	ms = strtol(env, &end, 10);
	if (*end != '\0' || ms < 0 || ms > 3600 * 1000)
		return CRYPTVFS_BUSY_TIMEOUT_MS;
	return (int)ms;
}

/*
 * Settings every connection needs.  Locking is normal, so the
 * interface, scripts and `cimic serve` share one store: WAL lets
 * readers run beside the one writer, and the busy timeout (set before
 * anything touches the file) makes a connection wait for a writer or a
 * recovering process instead of failing.
 * synchronous=FULL: a field laptop loses power by battery pull; NORMAL
 * in WAL mode could lose the last acknowledged reports, and commits
 * here are small and human-paced.
 */
static int
configure(sqlite3 *db, bool is_new, struct cimic_error *err)
{
	static const char *const settings[] = {
		"PRAGMA temp_store=MEMORY", "PRAGMA mmap_size=0", "PRAGMA secure_delete=ON",
		"PRAGMA cache_size=-65536", "PRAGMA synchronous=FULL",
	};

	if (is_new && init_new(db, err) != 0)
		return -1;
	if (expect(db, "PRAGMA locking_mode=NORMAL", "normal", err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (exec(db, settings[i], err) != 0)
			return -1;
	if (expect(db, "PRAGMA journal_mode=WAL", "wal", err) != 0 ||
	    expect(db, "PRAGMA temp_store", "2", err) != 0)
		return -1;
	return expect(db, "SELECT 'ok' FROM (SELECT count(*) FROM sqlite_schema)", "ok", err);
}

static int
open_failed(const char *path, int create, int rc, struct cimic_error *err)
{
	if ((rc & 0xff) == SQLITE_CANTOPEN && !create)
		return cimic_error_set(err, CIMIC_ENOINPUT, _("cannot open the store %s"), path);
	return cimic_error_set(err, create ? CIMIC_ECANTCREAT : CIMIC_EIO,
			       _("cannot open the store %s: %s"), path, sqlite3_errstr(rc));
}

int
cryptvfs_open(const char *path, const unsigned char key[CRYPTVFS_KEYBYTES], int create,
	      sqlite3 **db, struct cimic_error *err)
{
	struct crypt_key_arg arg = { .key = key, .create = create };
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE |
		    (create ? SQLITE_OPEN_CREATE : 0);
	sqlite3 *h = NULL;   /* owned until handed to *db */
	int rc;

	*db = NULL;
	if (cryptvfs_register(err) != 0)
		return -1;
	rc = sqlite3_open_v2(path, &h, flags, CRYPTVFS_NAME);
	if (rc != SQLITE_OK) {
		open_failed(path, create, rc, err);
		goto fail;
	}
	sqlite3_busy_timeout(h, cryptvfs_busy_timeout_ms());
	rc = sqlite3_file_control(h, "main", CRYPTVFS_FCNTL_KEY, &arg);
	if (rc != SQLITE_OK) {
		cryptvfs_error(h, rc == SQLITE_NOTADB ? rc : SQLITE_ERROR, err);
		goto fail;
	}
	if (configure(h, arg.is_new, err) != 0)
		goto fail;
	*db = h;
	return 0;
fail:
	sqlite3_close(h);
	return -1;
}

/* ---- verification ---- */

static int
verify_db(struct crypt_file *f, unsigned char *buf, long *pages, struct cimic_error *err)
{
	sqlite3_int64 size;

	if (f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK)
		return cimic_error_set(err, CIMIC_EIO, _("cannot read the store"));
	if (size % PAGE != 0)
		return cimic_error_set(err, CIMIC_EDATA, _("the store has a partial page"));
	for (sqlite3_int64 off = 0; off < size; off += PAGE) {
		if (f->real->pMethods->xRead(f->real, buf, PAGE, off) != SQLITE_OK)
			return cimic_error_set(err, CIMIC_EIO, _("cannot read the store"));
		if (!cryptvfs_page_open(f, (uint32_t)(off / PAGE) + 1, buf))
			return tamper_error((uint32_t)(off / PAGE) + 1, false, err);
		(*pages)++;
	}
	return 0;
}

/*
 * The same scan recovery runs (cryptvfs_wal.c): every sealed commit
 * intact, nothing changed before a later commit; the pages of the
 * valid prefix are counted.
 */
static int
verify_wal(struct crypt_file *f, long *pages, struct cimic_error *err)
{
	struct wal_verdict v;

	if (cryptvfs_wal_scan(f, f->wal, &v) != SQLITE_OK)
		return cimic_error_set(err, CIMIC_EIO, _("cannot read the write-ahead log"));
	if (v.fault != WAL_SOUND)
		return wal_tamper_error(&v, err);
	*pages += v.frames;
	return 0;
}

int
cryptvfs_verify_all(sqlite3 *db, long *pages_out, struct cimic_error *err)
{
	struct crypt_file *f = main_file(db);
	unsigned char *buf;   /* owned: one frame */
	long pages = 0;
	int rc = -1;

	if (f == NULL || f->keys == NULL)
		return cimic_error_set(err, CIMIC_EUSAGE, _("not an encrypted store connection"));
	buf = sqlite3_malloc(FRAME);
	if (buf == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	/*
	 * The write lock keeps other processes from committing or starting
	 * a new WAL generation while the log is read.
	 */
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		cryptvfs_error(db, sqlite3_extended_errcode(db), err);
		goto out;
	}
	if (verify_db(f, buf, &pages, err) == 0 && verify_wal(f, &pages, err) == 0)
		rc = 0;
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	sodium_memzero(buf, FRAME);
	sqlite3_free(buf);
	if (pages_out != NULL)
		*pages_out = pages;
	return rc;
}
