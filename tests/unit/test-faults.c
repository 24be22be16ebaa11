/*
 * test-faults.c - fault injection under the encrypted store.
 *
 * A VFS registered in front of SQLite's "unix" VFS (before the
 * encrypting shim binds to it) fails the Nth write or sync, once or from
 * then on (a full disk).  For every N a session commits incidents
 * through the op log; then the store is reopened without faults and
 * must open, pass `check`, and hold every commit that was reported done
 * (and at most the one that was under way when the fault hit).
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/exchange.h"
#include "cimic/formats.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "sync-support.h"
#include "tap.h"

struct fault_file {
	sqlite3_file base;
	sqlite3_file *real;     /* follows this struct in the same allocation */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static long writes, syncs, reads;   /* counted since arming */
static long fail_write_at, fail_sync_at, fail_read_at;   /* 0: never */
static bool sticky;                 /* keep failing after the first fault */
static long faults_hit;

static int
f_close(sqlite3_file *f)
{
	struct fault_file *ff = (struct fault_file *)f;
	int rc = ff->real->pMethods ? ff->real->pMethods->xClose(ff->real) : SQLITE_OK;
	return rc;
}

static int
f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	struct fault_file *ff = (struct fault_file *)f;

	reads++;
	if (fail_read_at && reads == fail_read_at) {
		faults_hit++;
		return SQLITE_IOERR_READ;
	}
	return ff->real->pMethods->xRead(ff->real, buf, n, off);
}

static int
f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	struct fault_file *ff = (struct fault_file *)f;

	writes++;
	if (fail_write_at && (writes == fail_write_at || (sticky && writes > fail_write_at))) {
		faults_hit++;
		return SQLITE_IOERR_WRITE;
	}
	return ff->real->pMethods->xWrite(ff->real, buf, n, off);
}

static int
f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct fault_file *ff = (struct fault_file *)f;
	return ff->real->pMethods->xTruncate(ff->real, size);
}

static int
f_sync(sqlite3_file *f, int flags)
{
	struct fault_file *ff = (struct fault_file *)f;

	syncs++;
	if (fail_sync_at && (syncs == fail_sync_at || (sticky && syncs > fail_sync_at))) {
		faults_hit++;
		return SQLITE_IOERR_FSYNC;
	}
	return ff->real->pMethods->xSync(ff->real, flags);
}

#define PASS(name, args, call) \
	static int name args { struct fault_file *ff = (struct fault_file *)f; return call; }
PASS(f_size, (sqlite3_file *f, sqlite3_int64 *s), ff->real->pMethods->xFileSize(ff->real, s))
PASS(f_lock, (sqlite3_file *f, int l), ff->real->pMethods->xLock(ff->real, l))
PASS(f_unlock, (sqlite3_file *f, int l), ff->real->pMethods->xUnlock(ff->real, l))
PASS(f_check, (sqlite3_file *f, int *r), ff->real->pMethods->xCheckReservedLock(ff->real, r))
PASS(f_fcntl, (sqlite3_file *f, int op, void *a), ff->real->pMethods->xFileControl(ff->real, op, a))
PASS(f_sector, (sqlite3_file *f), ff->real->pMethods->xSectorSize(ff->real))
PASS(f_dev, (sqlite3_file *f), ff->real->pMethods->xDeviceCharacteristics(ff->real))

/* The wal-index (shared memory) passes through: several processes share a store. */
static int
f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	struct fault_file *ff = (struct fault_file *)f;
	return ff->real->pMethods->xShmMap(ff->real, pg, sz, extend, pp);
}
PASS(f_shm_lock, (sqlite3_file *f, int o, int n, int fl), ff->real->pMethods->xShmLock(ff->real, o, n, fl))
PASS(f_shm_unmap, (sqlite3_file *f, int del), ff->real->pMethods->xShmUnmap(ff->real, del))

static void
f_shm_barrier(sqlite3_file *f)
{
	struct fault_file *ff = (struct fault_file *)f;
	ff->real->pMethods->xShmBarrier(ff->real);
}

static const sqlite3_io_methods fault_io = {
	2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_check,
	f_fcntl, f_sector, f_dev, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, NULL, NULL,
};

static int
f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct fault_file *ff = (struct fault_file *)f;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	memset(ff->real, 0, (size_t)real_vfs->szOsFile);
	rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
	ff->base.pMethods = rc == SQLITE_OK ? &fault_io : NULL;
	return rc;
}

static void
fault_install(void)
{
	real_vfs = sqlite3_vfs_find("unix");
	fault_vfs = *real_vfs;
	fault_vfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
	fault_vfs.xOpen = f_open;
	fault_vfs.pNext = NULL;
	/* same name, registered first: the encrypting shim will bind to it */
	sqlite3_vfs_register(&fault_vfs, 1);
}

/* SQLite's allocator, failing the Nth allocation once armed. */
static sqlite3_mem_methods real_mem;
static long mallocs, fail_malloc_at;

static void *
m_malloc(int n)
{
	if (fail_malloc_at && ++mallocs == fail_malloc_at) {
		faults_hit++;
		return NULL;
	}
	return real_mem.xMalloc(n);
}

static void *
m_realloc(void *p, int n)
{
	if (fail_malloc_at && ++mallocs == fail_malloc_at) {
		faults_hit++;
		return NULL;
	}
	return real_mem.xRealloc(p, n);
}

static void
malloc_install(void)
{
	sqlite3_mem_methods m;

	sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem);
	m = real_mem;
	m.xMalloc = m_malloc;
	m.xRealloc = m_realloc;
	sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
}

static void
arm(long write_at, long sync_at, bool keep)
{
	writes = syncs = reads = mallocs = faults_hit = 0;
	fail_read_at = 0;
	fail_write_at = write_at;
	fail_sync_at = sync_at;
	sticky = keep;
}

static int
add_incident(struct store *st, int i, struct cimic_error *err)
{
	struct oplog_txn *txn;
	struct model_change c;
	unsigned char id[CIMIC_ID_BYTES];
	char title[64];
	int rc;

	if (oplog_begin(st, &txn, err) != 0)
		return -1;
	snprintf(title, sizeof title, "Подія %d", i);
	model_change_init(&c, MODEL_INCIDENT);
	model_change_parse(&c, "title", title, 0, err);
	model_change_parse(&c, "description", "Опис події, достатньо довгий, щоб зайняти місце", 0,
			   err);
	rc = model_create(txn, &c, id, err);
	model_change_finish(&c);
	if (rc != 0) {
		oplog_abort(txn);
		return -1;
	}
	return oplog_commit(txn, err);
}

static long
count_incidents(struct store *st)
{
	struct model_query q = { .kind = MODEL_INCIDENT, .include_archived = true };
	struct cimic_error err;
	long n = -1;

	model_count(st, &q, &n, &err);
	return n;
}

/* One faulty session per N; returns the number of N whose outcome was wrong. */
static int
run_faults(const char *dir, const char *what, long max_n, bool writes_fault, bool keep,
	   long *total_faults)
{
	int bad = 0;
	long done = 0, tried = 0;
	struct store *st0;
	struct cimic_error err0;

	if (store_open(dir, "pw", 2, &st0, &err0) != 0)
		return 1;
	done = tried = count_incidents(st0);
	store_close(st0);
	for (long n = 1; n <= max_n; n++) {
		struct store *st;
		struct store_check_report rep;
		struct cimic_error err;
		long count;

		if (store_open(dir, "pw", 2, &st, &err) != 0) {
			tap_diag("%s n=%ld: reopen failed: %s", what, n, err.msg);
			bad++;
			continue;
		}
		if (strcmp(what, "malloc") == 0) {
			arm(0, 0, false);
			fail_malloc_at = n;
		} else {
			arm(writes_fault ? n : 0, writes_fault ? 0 : n, keep);
		}
		for (int k = 0; k < 3; k++) {
			tried++;
			if (add_incident(st, (int)tried, &err) == 0)
				done++;
			else if (err.code == 0 || strchr(err.msg, '\n') != NULL)
				bad++;   /* every failure is a clean, one-line error */
		}
		*total_faults += faults_hit;
		fail_malloc_at = 0;
		arm(0, 0, false);
		store_close(st);
		if (store_open(dir, "pw", 2, &st, &err) != 0) {
			tap_diag("%s n=%ld: store does not open after the fault: %s", what, n, err.msg);
			bad++;
			continue;
		}
		if (store_check(st, &rep, &err) != 0) {
			tap_diag("%s n=%ld: check failed: %s", what, n, err.msg);
			bad++;
		}
		count = count_incidents(st);
		if (count < done || count > tried) {
			tap_diag("%s n=%ld: %ld incidents, %ld acknowledged, %ld tried", what, n, count,
				 done, tried);
			bad++;
		}
		/* an unacknowledged commit that did land counts from now on */
		done = count;
		tried = count;
		store_close(st);
	}
	return bad;
}

static void
arm_kind(const char *kind, long n)
{
	fail_malloc_at = 0;
	if (strcmp(kind, "malloc") == 0) {
		arm(0, 0, false);
		fail_malloc_at = n;
	} else {
		arm(strcmp(kind, "write") == 0 ? n : 0, strcmp(kind, "sync") == 0 ? n : 0, false);
	}
}

static void
copy_dir(const char *from, const char *to)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -a '%s' '%s'", to, from, to);
	if (system(cmd) != 0)
		exit(99);
}

/*
 * Bundle import under faults: for every N a copy of HQ imports a bundle
 * of 30 incidents with the Nth write, sync or allocation failing.  The
 * import is one transaction: afterwards the copy holds none of it or all
 * of it, and passes check.  Bundle creation under the same faults ends
 * in a clean error or a bundle that imports.
 */
static int
bundle_faults(const char *kind, long max_n, long *total_faults)
{
	char *hqdir, *udir, *work = test_tmpdir(), path[600], copy[600], out[600];
	struct store *hq = test_store("HQ", NODE_HQ, &hqdir), *u = test_store("U", NODE_FIELD, &udir);
	unsigned char id[CIMIC_ID_BYTES];
	long base;
	int bad = 0;

	sync_enrol(hq, u, "u");
	for (int i = 0; i < 30; i++)
		sync_add(u, MODEL_INCIDENT, "Пошкоджено лінію", id);
	snprintf(path, sizeof path, "%s/u.cmb", work);
	snprintf(copy, sizeof copy, "%s/hq", work);
	snprintf(out, sizeof out, "%s/out.cmb", work);
	sync_bundle(u, hq, path);
	base = count_incidents(hq);
	store_close(hq);
	store_close(u);
	for (long n = 1; n <= max_n; n++) {
		struct exchange_result res;
		struct exchange_out xo;
		struct store_check_report rep;
		struct cimic_error err;
		struct store *st;
		long count;
		int rc;

		copy_dir(hqdir, copy);
		if (store_open(copy, "pw", 2, &st, &err) != 0) {
			bad++;
			continue;
		}
		arm_kind(kind, n);
		rc = exchange_import(st, path, &res, &err);
		if (rc != 0 && (err.code == 0 || strchr(err.msg, '\n') != NULL))
			bad++;
		unlink(out);
		if (exchange_create(st, store_identity(u == NULL ? st : st)->pub.sign_pk, out, &xo, &err)
		    != 0 && err.code == 0)
			bad++;
		*total_faults += faults_hit;
		arm_kind(kind, 0);
		store_close(st);
		if (store_open(copy, "pw", 2, &st, &err) != 0) {
			tap_diag("bundle %s n=%ld: the store does not open: %s", kind, n, err.msg);
			bad++;
			continue;
		}
		if (store_check(st, &rep, &err) != 0) {
			tap_diag("bundle %s n=%ld: check: %s", kind, n, err.msg);
			bad++;
		}
		count = count_incidents(st);
		if (count != base && count != base + 30) {
			tap_diag("bundle %s n=%ld: %ld incidents (partial import)", kind, n, count);
			bad++;
		}
		if (rc == 0 && count != base + 30) {
			tap_diag("bundle %s n=%ld: import reported done but holds %ld", kind, n, count);
			bad++;
		}
		store_close(st);
	}
	test_rmdir(hqdir);
	test_rmdir(udir);
	test_rmdir(work);
	return bad;
}

/* Counts the lines of a file (an export: header rows plus one per record). */
static long
count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int c;

	if (f == NULL)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/*
 * Read faults in the middle of a scan: for every N the Nth read from the
 * database fails once while a unit writes its bundle for HQ and exports
 * its incidents as CSV.  Each either fails with an I/O or data error or
 * produces the whole thing (HQ then holds every incident; the CSV has
 * every row): never a short result reported as done.
 */
static int
read_faults(long max_n, long *total_faults)
{
	char *hqdir, *udir, *work = test_tmpdir(), out[600], hqcopy[600];
	struct store *hq = test_store("HQ", NODE_HQ, &hqdir), *u = test_store("U", NODE_FIELD, &udir);
	unsigned char id[CIMIC_ID_BYTES], hqpk[32];
	int bad = 0, n_incidents = 200;
	long short_ok = 0, failed = 0;

	sync_enrol(hq, u, "u");
	memcpy(hqpk, store_identity(hq)->pub.sign_pk, 32);
	for (int i = 0; i < n_incidents; i++)
		sync_add(u, MODEL_INCIDENT, "Пошкоджено водогін на вулиці Сумській, будинок", id);
	store_close(hq);
	store_close(u);
	snprintf(out, sizeof out, "%s/out", work);
	snprintf(hqcopy, sizeof hqcopy, "%s/hq", work);
	for (long n = 1; n <= max_n; n++) {
		struct formats_export_opts eo = { FORMAT_CSV, MODEL_INCIDENT, false };
		struct exchange_result res;
		struct exchange_out xo;
		struct cimic_error err;
		struct buf csv;
		struct store *st;
		int rc;

		if (store_open(udir, "pw", 2, &st, &err) != 0) {
			bad++;
			continue;
		}
		/* a tiny page cache, so that the scan reads from the file */
		sqlite3_exec(store_db(st), "PRAGMA cache_size=2", NULL, NULL, NULL);
		unlink(out);
		arm(0, 0, false);
		fail_read_at = n;
		rc = exchange_create(st, hqpk, out, &xo, &err);
		if (rc != 0) {
			failed++;
			if (err.code != CIMIC_EIO && err.code != CIMIC_EDATA) {
				tap_diag("read n=%ld: bundle failed with code %d: %s", n, err.code, err.msg);
				bad++;
			}
		} else {
			struct store *h;
			copy_dir(hqdir, hqcopy);
			fail_read_at = 0;
			if (store_open(hqcopy, "pw", 2, &h, &err) != 0 ||
			    exchange_import(h, out, &res, &err) != 0) {
				tap_diag("read n=%ld: the bundle reported done does not import: %s", n,
					 err.msg);
				bad++;
			} else if (count_incidents(h) != n_incidents) {
				tap_diag("read n=%ld: a short bundle reported done (%ld of %d)", n,
					 count_incidents(h), n_incidents);
				short_ok++;
				bad++;
			}
			store_close(h);
		}
		*total_faults += faults_hit;

		arm(0, 0, false);
		sqlite3_exec(store_db(st), "PRAGMA cache_size=2; PRAGMA shrink_memory", NULL, NULL,
			     NULL);
		fail_read_at = n;
		buf_init(&csv);
		rc = formats_export(st, &eo, &csv, &err);
		if (rc != 0 && err.code != CIMIC_EIO && err.code != CIMIC_EDATA) {
			tap_diag("read n=%ld: export failed with code %d: %s", n, err.code, err.msg);
			bad++;
		}
		if (rc == 0) {
			FILE *f = fopen(out, "w");
			if (f != NULL) {
				fwrite(csv.data, 1, csv.len, f);
				fclose(f);
			}
			if (count_lines(out) < n_incidents + 1) {
				tap_diag("read n=%ld: a short export reported done (%ld lines)", n,
					 count_lines(out));
				bad++;
			}
		}
		buf_finish(&csv);
		*total_faults += faults_hit;
		arm(0, 0, false);
		store_close(st);
	}
	if (failed == 0) {
		tap_diag("no read fault ever hit a scan");
		bad++;
	}
	test_rmdir(hqdir);
	test_rmdir(udir);
	test_rmdir(work);
	return bad;
}

int
main(void)
{
	struct store_init_opts o = { "faults", NODE_FIELD, &test_kdf };
	struct cimic_error err;
	struct store *st;
	char *dir;
	long faults = 0;

	if (sodium_init() < 0)
		return 99;
	malloc_install();
	fault_install();
	dir = test_tmpdir();
	if (store_init(dir, "pw", 2, &o, &st, &err) != 0) {
		printf("Bail out! store_init: %s\n", err.msg);
		return 1;
	}
	store_close(st);

	is_int(run_faults(dir, "write", 40, true, false, &faults), 0,
	       "a failed write (the Nth, N = 1..40) loses no acknowledged commit");
	is_int(run_faults(dir, "sync", 20, false, false, &faults), 0,
	       "a failed sync (the Nth, N = 1..20) loses no acknowledged commit");
	is_int(run_faults(dir, "disk full", 30, true, true, &faults), 0,
	       "every write failing from the Nth on (disk full) loses nothing");
	is_int(run_faults(dir, "sync failing", 10, false, true, &faults), 0,
	       "every sync failing from the Nth on loses nothing");
	is_int(run_faults(dir, "malloc", 300, false, false, &faults), 0,
	       "a failed allocation inside SQLite (the Nth, N = 1..300) loses nothing");
	is_int(bundle_faults("write", 40, &faults), 0,
	       "bundle import and create with the Nth write failing: all or nothing, check passes");
	is_int(bundle_faults("sync", 15, &faults), 0,
	       "bundle import and create with the Nth sync failing: all or nothing");
	is_int(bundle_faults("malloc", 150, &faults), 0,
	       "bundle import and create with the Nth SQLite allocation failing: all or nothing");
	is_int(read_faults(60, &faults), 0,
	       "a failed read in the middle of a scan (the Nth, N = 1..60) fails the bundle or"
	       " export: never a short one reported done");
	ok(faults > 50, "faults were really injected (%ld)", faults);
	test_rmdir(dir);
	return done_testing();
}
