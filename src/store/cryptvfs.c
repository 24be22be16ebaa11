/*
 * cryptvfs.c - the "cimic-crypt" VFS: every page of the database, its
 * rollback journal and its WAL is sealed with XChaCha20-Poly1305.
 *
 * Page format (P = 4096, usable size 4056):
 *   [0, 4056)     ciphertext (page 1: [24, 4056), see below)
 *   [4056, 4080)  random 24-byte nonce, fresh for every write
 *   [4080, 4096)  Poly1305 tag
 * Page 1 keeps bytes 0-15 as the per-database salt (where SQLite has
 * "SQLite format 3") and bytes 16-23 (page size, versions, reserve,
 * payload fractions) in plaintext so that SQLite's unlocked open-time
 * header read learns the page size without a key.  Those bytes are
 * authenticated: the additional data is
 *   "CIMICPG1" || salt || pgno (u32 big-endian) [|| page-1 bytes 16-23].
 * The file type and position are deliberately not bound, so a page
 * image is the same ciphertext in the database, the journal and the WAL.
 *
 * The key arrives through a private file control (CRYPTVFS_FCNTL_KEY)
 * right after sqlite3_open_v2() and before any statement runs.  That
 * call authenticates page 1 (or, if it was torn, one of the next few
 * pages) and refuses a wrong key before SQLite takes a lock, so a hot
 * journal or WAL is never rolled back with the wrong key.  Journal and
 * WAL files find the key of their database through
 * sqlite3_database_file_object().
 *
 * Page sealing, the nonce pool and the page-1 format check are in
 * cryptvfs_page.c.
 *
 * WAL (cryptvfs_wal.c): frames are classified by offset, never by call
 * order; frame headers are authenticated and chained, and a seal record
 * beside the database names the last acknowledged commit, so a change,
 * drop or reorder inside the WAL is tampering, never a silent torn
 * write.  Forcing SQLITE_IOCAP_POWERSAFE_OVERWRITE stops SQLite
 * from splitting page writes at sector boundaries and keeps journal
 * headers at 512 bytes, so a P-byte write is always a page image.
 *
 * Between SQLITE_FCNTL_CKPT_START and CKPT_DONE a checkpoint copies
 * frames to the database page of the same number (wal.c reads the frame
 * and writes it at the page number the wal-index gives), so the sealed
 * bytes move unopened: the additional data does not name the file, and
 * every later read, and cryptvfs_verify_all(), authenticates them.  This
 * halves the crypto cost of writes.
 *
 * The io_methods are version 2: no xFetch (mmap would bypass
 * decryption), and the xShm* methods pass straight through to the unix
 * VFS, so several processes share the store with normal locking.  The
 * -shm wal-index they share holds frame numbers, page numbers, lock
 * slots and SQLite's running frame checksum, never page content (SQLite
 * reads pages from the WAL, through this shim, not from the index).  The
 * unix VFS gives -shm, -wal and journal the mode of the database file;
 * that file is kept at 0600 whatever the umask (crypt_open), so the
 * index is never readable by others either.
 * Temporary and nameless files are refused with SQLITE_CANTOPEN.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cryptvfs.h"
#include "cimic/i18n.h"
#include "cryptvfs_private.h"

static sqlite3_vfs crypt_vfs;
static const struct sqlite3_io_methods crypt_io;

/* ---- main database file ---- */

/* Serves SQLite's unlocked open-time header read without the key (see the file comment). */
static int
main_read_header(struct crypt_file *f, unsigned char *buf, int amt)
{
	unsigned char raw[24];
	int rc = f->real->pMethods->xRead(f->real, raw, sizeof raw, 0);

	memset(buf, 0, (size_t)amt);
	if (rc != SQLITE_OK)
		return rc;
	memcpy(raw, "SQLite format 3", 16);
	memcpy(buf, raw, (size_t)amt < sizeof raw ? (size_t)amt : sizeof raw);
	return SQLITE_OK;
}

static int
main_read_page(struct crypt_file *f, unsigned char *buf, sqlite3_int64 off)
{
	uint32_t pgno = (uint32_t)(off / PAGE) + 1;
	int rc = f->real->pMethods->xRead(f->real, buf, PAGE, off);

	if (rc == SQLITE_IOERR_SHORT_READ) {
		/* Past the end: SQLite wants zeros, never a partial ciphertext. */
		memset(buf, 0, PAGE);
		return rc;
	}
	if (rc != SQLITE_OK)
		return rc;
	if (!cryptvfs_page_open(f, pgno, buf)) {
		cryptvfs_note_failure(f, pgno);
		return SQLITE_IOERR_DATA;
	}
	return SQLITE_OK;
}

static int
main_read(struct crypt_file *f, unsigned char *buf, int amt, sqlite3_int64 off)
{
	sqlite3_int64 base = off - off % PAGE;
	int rc;

	if (f->keys == NULL) {
		if (off == 0 && amt <= 100)
			return main_read_header(f, buf, amt);
		sqlite3_log(SQLITE_IOERR_DATA, "cimic-crypt: read before the key was set");
		return SQLITE_IOERR_DATA;
	}
	if (amt == PAGE && off % PAGE == 0)
		return main_read_page(f, buf, off);
	if (off + amt > base + PAGE)
		return SQLITE_IOERR_READ;
	/* Sub-page read (e.g. the change counter): open the whole page, copy the slice. */
	rc = main_read_page(f, f->scratch, base);
	memcpy(buf, f->scratch + (off - base), (size_t)amt);
	return rc;
}

static int
main_write(struct crypt_file *f, const unsigned char *buf, int amt, sqlite3_int64 off)
{
	uint32_t pgno = (uint32_t)(off / PAGE) + 1;

	if (f->keys == NULL || amt != PAGE || off % PAGE != 0) {
		sqlite3_log(SQLITE_IOERR_WRITE, "cimic-crypt: refused a %d-byte write at %lld",
			    amt, (long long)off);
		return SQLITE_IOERR_WRITE;
	}
	if (pgno == 1 && !cryptvfs_page1_format_ok(buf)) {
		sqlite3_log(SQLITE_IOERR_WRITE, "cimic-crypt: page 1 must say 4096/40/64/32/32");
		return SQLITE_IOERR_WRITE;
	}
	if (f->in_checkpoint)
		return f->real->pMethods->xWrite(f->real, buf, PAGE, off);
	if (!cryptvfs_is_zero(buf + USABLE, RESERVE)) {
		sqlite3_log(SQLITE_IOERR_WRITE, "cimic-crypt: reserve bytes of page %u not zero",
			    (unsigned)pgno);
		return SQLITE_IOERR_WRITE;
	}
	cryptvfs_page_seal(f, pgno, buf, f->scratch);
	return f->real->pMethods->xWrite(f->real, f->scratch, PAGE, off);
}

/* ---- rollback journal ---- */

/*
 * A page record is a 4-byte page number at X-4 followed by a P-byte
 * image at X.  Forced PSOW keeps headers at 512 bytes, so any other
 * P-byte write is refused rather than written in plaintext.
 */
static int
journal_write(struct crypt_file *f, const unsigned char *buf, int amt, sqlite3_int64 off)
{
	uint32_t pgno = f->last4_pgno;
	bool record = amt == PAGE && f->last4_off == off - 4;

	f->last4_off = amt == 4 ? off : -1;
	f->last4_pgno = amt == 4 ? cryptvfs_get_be32(buf) : 0;
	if (amt != PAGE)
		return f->real->pMethods->xWrite(f->real, buf, amt, off);
	if (!record || pgno == 0 || !cryptvfs_is_zero(buf + USABLE, RESERVE)) {
		sqlite3_log(SQLITE_IOERR_WRITE, "cimic-crypt: journal write at %lld refused",
			    (long long)off);
		return SQLITE_IOERR_WRITE;
	}
	cryptvfs_page_seal(f->db, pgno, buf, f->scratch);
	return f->real->pMethods->xWrite(f->real, f->scratch, PAGE, off);
}

/*
 * The key was authenticated before any journal could be opened, so a
 * record that fails is a torn write: hand SQLite random bytes, its own
 * record checksum then rejects the record exactly as for a torn write.
 */
static int
journal_read(struct crypt_file *f, unsigned char *buf, int amt, sqlite3_int64 off)
{
	unsigned char num[4];
	int rc = f->real->pMethods->xRead(f->real, buf, amt, off);

	if (rc != SQLITE_OK || amt != PAGE)
		return rc;
	if (off < 4 || f->real->pMethods->xRead(f->real, num, 4, off - 4) != SQLITE_OK)
		return SQLITE_IOERR_READ;
	if (!cryptvfs_page_open(f->db, cryptvfs_get_be32(num), buf)) {
		sqlite3_log(SQLITE_IOERR_DATA, "cimic-crypt: journal record at %lld torn",
			    (long long)off);
		randombytes_buf(buf, PAGE);
	}
	return SQLITE_OK;
}

/* ---- io_methods ---- */

static int
crypt_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
	struct crypt_file *f = (struct crypt_file *)file;

	switch (f->kind) {
	case CRYPT_MAIN:
		return main_read(f, buf, amt, off);
	case CRYPT_JOURNAL:
		return journal_read(f, buf, amt, off);
	case CRYPT_WAL:
		return cryptvfs_wal_read(f, buf, amt, off);
	default:
		return f->real->pMethods->xRead(f->real, buf, amt, off);
	}
}

static int
crypt_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
	struct crypt_file *f = (struct crypt_file *)file;

	switch (f->kind) {
	case CRYPT_MAIN:
		return main_write(f, buf, amt, off);
	case CRYPT_JOURNAL:
		return journal_write(f, buf, amt, off);
	case CRYPT_WAL:
		return cryptvfs_wal_write(f, buf, amt, off);
	default:
		return f->real->pMethods->xWrite(f->real, buf, amt, off);
	}
}

static int
crypt_close(sqlite3_file *file)
{
	struct crypt_file *f = (struct crypt_file *)file;
	int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;

	if (f->kind == CRYPT_WAL && f->db->wal == f)
		f->db->wal = NULL;
	if (f->kind == CRYPT_MAIN)
		cryptvfs_wal_seal_close(f);
	if (f->keys != NULL)
		sodium_free(f->keys);
	if (f->scratch != NULL) {
		sodium_memzero(f->scratch, FRAME);
		sqlite3_free(f->scratch);
	}
	sodium_memzero(f->salt, sizeof f->salt);
	f->keys = NULL;
	f->scratch = NULL;
	return rc;
}

static int
crypt_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct crypt_file *f = (struct crypt_file *)file;

	if (f->kind == CRYPT_WAL && size < WAL_HDR) {
		/* only after a complete checkpoint: the seal first names no commit */
		int rc = cryptvfs_wal_seal_empty(f->db);
		if (rc != SQLITE_OK)
			return rc;
		f->wal_salt_known = false;
		f->commit_pending = 0;
	}
	f->last_hdr_off = -1;
	return f->real->pMethods->xTruncate(f->real, size);
}

static int
crypt_sync(sqlite3_file *file, int flags)
{
	struct crypt_file *f = (struct crypt_file *)file;
	int rc = f->real->pMethods->xSync(f->real, flags);

	if (rc != SQLITE_OK && f->kind == CRYPT_WAL)
		f->commit_pending = 0;   /* that commit is not acknowledged: never seal it */
	return rc;
}

static int
crypt_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct crypt_file *f = (struct crypt_file *)file;
	return f->real->pMethods->xFileSize(f->real, size);
}

static int
crypt_lock(sqlite3_file *file, int lock)
{
	struct crypt_file *f = (struct crypt_file *)file;
	return f->real->pMethods->xLock(f->real, lock);
}

static int
crypt_unlock(sqlite3_file *file, int lock)
{
	struct crypt_file *f = (struct crypt_file *)file;
	return f->real->pMethods->xUnlock(f->real, lock);
}

static int
crypt_check_reserved(sqlite3_file *file, int *out)
{
	struct crypt_file *f = (struct crypt_file *)file;
	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int
crypt_sector_size(sqlite3_file *file)
{
	struct crypt_file *f = (struct crypt_file *)file;
	return f->real->pMethods->xSectorSize(f->real);
}

/* PSOW: no split WAL page writes, 512-byte journal headers (see the file comment). */
static int
crypt_device_characteristics(sqlite3_file *file)
{
	struct crypt_file *f = (struct crypt_file *)file;
	return f->real->pMethods->xDeviceCharacteristics(f->real) |
	       SQLITE_IOCAP_POWERSAFE_OVERWRITE;
}

/* ---- keying (private file controls) ---- */

static bool
key_probe(struct crypt_file *f, sqlite3_int64 size)
{
	sqlite3_int64 pages = size / PAGE;

	for (sqlite3_int64 i = 0; i < pages && i < KEY_PROBE_PAGES; i++) {
		if (f->real->pMethods->xRead(f->real, f->scratch, PAGE, i * PAGE) != SQLITE_OK)
			return false;
		if (cryptvfs_page_open(f, (uint32_t)i + 1, f->scratch))
			return true;
	}
	return false;
}

/* Derives the subkeys and checks them against the file; a new, empty file gets a fresh salt. */
static int
set_key(struct crypt_file *f, struct crypt_key_arg *arg)
{
	unsigned char head[24];
	sqlite3_int64 size;

	if (f->keys != NULL || f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK)
		return SQLITE_MISUSE;
	f->keys = sodium_malloc(sizeof *f->keys);
	if (f->keys == NULL)
		return SQLITE_NOMEM;
	crypto_kdf_derive_from_key(f->keys->page, 32, 1, "cimicvfs", arg->key);
	crypto_kdf_derive_from_key(f->keys->mask, 32, 2, "cimicvfs", arg->key);
	crypto_kdf_derive_from_key(f->keys->seal, 32, 3, "cimicvfs", arg->key);
	sodium_mprotect_readonly(f->keys);
	arg->is_new = size == 0;
	if (size == 0 && arg->create) {
		randombytes_buf(f->salt, SALTBYTES);
		return SQLITE_OK;
	}
	if (size < PAGE || f->real->pMethods->xRead(f->real, head, 24, 0) != SQLITE_OK ||
	    !cryptvfs_page1_format_ok(head))
		goto refuse;
	memcpy(f->salt, head, SALTBYTES);
	if (key_probe(f, size))
		return SQLITE_OK;
refuse:
	sodium_free(f->keys);
	f->keys = NULL;
	return SQLITE_NOTADB;
}

static int
crypt_file_control(sqlite3_file *file, int op, void *arg)
{
	struct crypt_file *f = (struct crypt_file *)file;
	char **pragma = arg;

	if (op == CRYPTVFS_FCNTL_KEY)
		return f->kind == CRYPT_MAIN ? set_key(f, arg) : SQLITE_MISUSE;
	if (op == SQLITE_FCNTL_CKPT_START || op == SQLITE_FCNTL_CKPT_DONE)
		f->in_checkpoint = op == SQLITE_FCNTL_CKPT_START && f->kind == CRYPT_MAIN;
	if (op == CRYPTVFS_FCNTL_SELF) {
		*(struct crypt_file **)arg = f;
		return SQLITE_OK;
	}
	if (op == SQLITE_FCNTL_PRAGMA && pragma[2] != NULL &&
	    sqlite3_stricmp(pragma[1], "page_size") == 0 && atoi(pragma[2]) != PAGE) {
		pragma[0] = sqlite3_mprintf("cimic-crypt: the page size is fixed at %d", PAGE);
		return SQLITE_ERROR;
	}
	return f->real->pMethods->xFileControl(f->real, op, arg);
}

/* ---- shared memory (wal-index): passed through, see the file comment ---- */

static int
crypt_shm_map(sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
	struct crypt_file *f = (struct crypt_file *)file;
	return f->real->pMethods->xShmMap(f->real, region, size, extend, out);
}

static int
crypt_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	struct crypt_file *f = (struct crypt_file *)file;

	/* Releasing the WAL write lock (slot 0) ends a write transaction: seal its commit. */
	if ((flags & SQLITE_SHM_UNLOCK) && offset == 0 && f->kind == CRYPT_MAIN &&
	    f->wal != NULL && f->wal->commit_pending != 0)
		cryptvfs_wal_commit_done(f);
	return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void
crypt_shm_barrier(sqlite3_file *file)
{
	struct crypt_file *f = (struct crypt_file *)file;
	f->real->pMethods->xShmBarrier(f->real);
}

static int
crypt_shm_unmap(sqlite3_file *file, int delete_flag)
{
	struct crypt_file *f = (struct crypt_file *)file;
	return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

static const struct sqlite3_io_methods crypt_io = {
	.iVersion = 2,
	.xClose = crypt_close,
	.xRead = crypt_read,
	.xWrite = crypt_write,
	.xTruncate = crypt_truncate,
	.xSync = crypt_sync,
	.xFileSize = crypt_file_size,
	.xLock = crypt_lock,
	.xUnlock = crypt_unlock,
	.xCheckReservedLock = crypt_check_reserved,
	.xFileControl = crypt_file_control,
	.xSectorSize = crypt_sector_size,
	.xDeviceCharacteristics = crypt_device_characteristics,
	.xShmMap = crypt_shm_map,
	.xShmLock = crypt_shm_lock,
	.xShmBarrier = crypt_shm_barrier,
	.xShmUnmap = crypt_shm_unmap,
};

/* ---- VFS ---- */

static sqlite3_vfs *
real_vfs(void)
{
	return crypt_vfs.pAppData;
}

static int
classify(const char *name, int flags, enum crypt_kind *kind)
{
	const int temp = SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL |
			 SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_TRANSIENT_DB;

	if (name == NULL || (flags & temp) != 0) {
		sqlite3_log(SQLITE_CANTOPEN, "cimic-crypt: refused a temporary file (0x%x)", flags);
		return SQLITE_CANTOPEN;
	}
	if (flags & SQLITE_OPEN_MAIN_DB)
		*kind = CRYPT_MAIN;
	else if (flags & SQLITE_OPEN_MAIN_JOURNAL)
		*kind = CRYPT_JOURNAL;
	else if (flags & SQLITE_OPEN_WAL)
		*kind = CRYPT_WAL;
	else if (flags & SQLITE_OPEN_SUPER_JOURNAL)
		*kind = CRYPT_PASS;   /* holds file names only */
	else
		return SQLITE_CANTOPEN;
	return SQLITE_OK;
}

/* Journal and WAL files borrow their database's key; a database not ours is refused. */
static int
attach_to_db(struct crypt_file *f, const char *name)
{
	sqlite3_file *dbf;

	if (f->kind == CRYPT_MAIN) {
		f->db = f;
		f->name = name;
		return SQLITE_OK;
	}
	if (f->kind == CRYPT_PASS)
		return SQLITE_OK;
	dbf = sqlite3_database_file_object(name);
	if (dbf == NULL || dbf->pMethods != &crypt_io ||
	    ((struct crypt_file *)dbf)->keys == NULL)
		return SQLITE_CANTOPEN;
	f->db = (struct crypt_file *)dbf;
	if (f->kind == CRYPT_WAL)
		f->db->wal = f;
	return SQLITE_OK;
}

/*
 * The unix VFS creates -wal, -shm and journals with the database file's
 * mode, so the database file is kept owner-only whatever the umask.
 */
static void
keep_private(const char *name)
{
	struct stat st;

	if (stat(name, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0)
		chmod(name, st.st_mode & 0700);
}

static int
crypt_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	struct crypt_file *f = (struct crypt_file *)file;
	enum crypt_kind kind;
	int rc;

	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)((char *)f + CRYPT_FILE_SIZE);
	f->last4_off = f->last_hdr_off = -1;
	f->seal_fd = -1;
	if ((rc = classify(name, flags, &kind)) != SQLITE_OK)
		return rc;
	f->kind = kind;
	if ((rc = attach_to_db(f, name)) != SQLITE_OK)
		return rc;
	f->scratch = sqlite3_malloc(FRAME);
	if (f->scratch == NULL)
		return SQLITE_NOMEM;
	rc = real_vfs()->xOpen(real_vfs(), name, f->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		sqlite3_free(f->scratch);
		f->scratch = NULL;
		if (kind == CRYPT_WAL)
			f->db->wal = NULL;
		return rc;
	}
	if (f->real->pMethods == NULL || f->real->pMethods->iVersion < 2) {
		/* no shared memory below us: WAL with normal locking cannot work */
		sqlite3_log(SQLITE_CANTOPEN, "cimic-crypt: the VFS below has no wal-index methods");
		if (f->real->pMethods != NULL)
			f->real->pMethods->xClose(f->real);
		sqlite3_free(f->scratch);
		f->scratch = NULL;
		if (kind == CRYPT_WAL)
			f->db->wal = NULL;
		return SQLITE_CANTOPEN;
	}
	f->base.pMethods = &crypt_io;
	if (kind == CRYPT_MAIN)
		keep_private(name);
	return SQLITE_OK;
}

/*
 * SQLite deletes a WAL only after a complete checkpoint (or beside an
 * empty database): its seal first names no commit.  `name` is the WAL
 * name SQLite opened, so it leads to the database's file object.
 */
static int
crypt_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	size_t len = strlen(name);

	if (len > 4 && strcmp(name + len - 4, "-wal") == 0) {
		sqlite3_file *dbf = sqlite3_database_file_object(name);
		if (dbf != NULL && dbf->pMethods == &crypt_io) {
			int rc = cryptvfs_wal_seal_empty((struct crypt_file *)dbf);
			if (rc != SQLITE_OK)
				return rc;
		}
	}
	return real_vfs()->xDelete(real_vfs(), name, sync);
}

static int
crypt_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	return real_vfs()->xAccess(real_vfs(), name, flags, out);
}

static int
crypt_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}

static int
crypt_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	randombytes_buf(out, (size_t)n);
	return n;
}

static int
crypt_sleep(sqlite3_vfs *vfs, int us)
{
	return real_vfs()->xSleep(real_vfs(), us);
}

static int
crypt_current_time(sqlite3_vfs *vfs, double *out)
{
	return real_vfs()->xCurrentTime(real_vfs(), out);
}

static int
crypt_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	return real_vfs()->xGetLastError(real_vfs(), n, out);
}

static int
crypt_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

static sqlite3_vfs crypt_vfs = {
	.iVersion = 2,
	.mxPathname = 512,
	.zName = CRYPTVFS_NAME,
	.xOpen = crypt_open,
	.xDelete = crypt_delete,
	.xAccess = crypt_access,
	.xFullPathname = crypt_full_pathname,
	.xRandomness = crypt_randomness,
	.xSleep = crypt_sleep,
	.xCurrentTime = crypt_current_time,
	.xGetLastError = crypt_last_error,
	.xCurrentTimeInt64 = crypt_current_time64,
};

int
cryptvfs_register(struct cimic_error *err)
{
	sqlite3_vfs *real;

	if (sodium_init() < 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot initialise libsodium"));
	if (sqlite3_vfs_find(CRYPTVFS_NAME) != NULL)
		return 0;
	if (pthread_atfork(NULL, NULL, cryptvfs_nonce_pool_forget) != 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot register the encrypting VFS"));
	real = sqlite3_vfs_find("unix");
	if (real == NULL || real->iVersion < 2)
		return cimic_error_set(err, CIMIC_EFAIL, _("SQLite has no usable unix VFS"));
	crypt_vfs.pAppData = real;
	crypt_vfs.mxPathname = real->mxPathname;
	crypt_vfs.szOsFile = (int)CRYPT_FILE_SIZE + real->szOsFile;
	if (sqlite3_vfs_register(&crypt_vfs, 0) != SQLITE_OK)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot register the encrypting VFS"));
	return 0;
}

