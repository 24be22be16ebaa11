/*
 * test-cryptvfs.c - the encrypting VFS: no plaintext on disk, wrong
 * keys refused without touching a hot WAL, tampering named by page,
 * and SIGKILL at random points never loses an acknowledged commit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "cryptvfs.h"
#include "tap.h"

#define PAGE 4096
#define CRASH_ITERATIONS 200
/* Debian's libsqlite3 has no generate_series: a recursive CTE giving rows `value` 1..N. */
#define SERIES(n) "(WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s " \
		  "WHERE value < " #n ") SELECT value FROM s)"
#define SERIES_N "(WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s " \
		 "WHERE value < %d) SELECT value FROM s)"

/* Every canary is stored lowercase so FTS5 terms equal the row text byte for byte. */
static const char *const canaries[] = {
	"quartzfalcon7731", "zebrawindmill4410", "ochremonsoon9925", "velvetanchor3307",
	"канаркажовта4419", "соняшникрадар8812", "полинхмара5531", "їжачокґанок2264",
	"interruptedkite6620", "перерванийлист7071",
};
enum { CANARY_ROWS = 0, CANARY_UPDATED = 2, CANARY_DELETED = 4, CANARY_INTERRUPTED = 8 };

static unsigned char key_good[CRYPTVFS_KEYBYTES];
static unsigned char key_bad[CRYPTVFS_KEYBYTES];
static char scratch_tmp[256];   /* TMPDIR for this process: must stay empty */

/* ---- helpers ---- */

static uint32_t
cryptvfs_get_be32_test(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
run(sqlite3 *db, const char *sql)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		tap_diag("sql failed (%s): %s", sqlite3_errmsg(db), sql);
	return rc;
}

static long long
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static bool
query_text_is(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt *st;
	bool same = false;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		same = strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
	sqlite3_finalize(st);
	return same;
}

static char *
make_dir(void)
{
	char tmpl[] = "/tmp/cimic-cryptvfs-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d != NULL ? strdup(d) : NULL;
}

static void
remove_dir(const char *dir)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Reads a whole file. OUT: caller frees. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf = NULL;
	int fd = open(path, O_RDONLY);

	*len = 0;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1)) != NULL &&
	    read(fd, buf, (size_t)st.st_size) == st.st_size)
		*len = (size_t)st.st_size;
	close(fd);
	return buf;
}

static bool
spit(const char *path, const unsigned char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	bool good = fd >= 0 && write(fd, buf, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return good;
}

static bool
contains(const unsigned char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; m <= n && i <= n - m; i++)
		if (hay[i] == (unsigned char)needle[0] && memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

/* Counts canaries (whole, or their first half: FTS5 prefix-compresses terms) in the files. */
static int
scan_dir_for_canaries(const char *dir, int *files_out)
{
	char path[512], half[64];
	struct dirent *e;
	DIR *d = opendir(dir);
	int hits = 0;

	*files_out = 0;
	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t len;
		unsigned char *buf;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if ((buf = slurp(path, &len)) == NULL)
			continue;
		(*files_out)++;
		for (size_t c = 0; c < sizeof canaries / sizeof canaries[0]; c++) {
			snprintf(half, sizeof half, "%.*s", (int)strlen(canaries[c]) / 2, canaries[c]);
			if (contains(buf, len, canaries[c]) || contains(buf, len, half)) {
				tap_diag("canary %s found in %s", canaries[c], path);
				hits++;
			}
		}
		free(buf);
	}
	if (d != NULL)
		closedir(d);
	return hits;
}

static int
count_entries(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return n;
}

/*
 * Canaries in regular files of `dir` that are not in `before` (names
 * listed at start).  SQLite's own temporary files are unlinked as soon
 * as they are opened, so the refusal in the shim is what really keeps
 * them off the disk; this catches anything else that lands in /tmp.
 */
static int
scan_new_files(const char *dir, const char *before)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);
	int hits = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		struct stat st;
		size_t len;
		unsigned char *buf;

		snprintf(path, sizeof path, "\n%s\n", e->d_name);
		if (strstr(before, path) != NULL)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 26) ||
		    (buf = slurp(path, &len)) == NULL)
			continue;
		for (size_t c = 0; c < sizeof canaries / sizeof canaries[0]; c++)
			hits += contains(buf, len, canaries[c]);
		free(buf);
	}
	if (d != NULL)
		closedir(d);
	return hits;
}

/* "\nname\n" for every entry. OUT: caller frees. */
static char *
list_names(const char *dir)
{
	size_t cap = 4096, used = 1;
	char *out = malloc(cap);
	struct dirent *e;
	DIR *d = opendir(dir);

	strcpy(out, "\n");
	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name) + 1;
		if (used + n + 1 > cap)
			out = realloc(out, cap = 2 * (used + n + 1));
		memcpy(out + used, e->d_name, n - 1);
		used += n;
		out[used - 1] = '\n';
		out[used] = '\0';
	}
	if (d != NULL)
		closedir(d);
	return out;
}

/* A snapshot of every file in a directory, to prove a failed open changed nothing. */
struct snapshot {
	int n;
	char name[16][64];
	unsigned char *data[16];
	size_t len[16];
};

static void
snapshot_take(const char *dir, struct snapshot *s)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	memset(s, 0, sizeof *s);
	while (d != NULL && (e = readdir(d)) != NULL && s->n < 16) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(s->name[s->n], sizeof s->name[0], "%s", e->d_name);
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		s->data[s->n] = slurp(path, &s->len[s->n]);
		s->n++;
	}
	if (d != NULL)
		closedir(d);
}

static bool
snapshot_same(const struct snapshot *a, const struct snapshot *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++) {
		int j = 0;
		while (j < b->n && strcmp(a->name[i], b->name[j]) != 0)
			j++;
		if (j == b->n || a->len[i] != b->len[j] ||
		    memcmp(a->data[i], b->data[j], a->len[i]) != 0)
			return false;
	}
	return true;
}

static void
snapshot_free(struct snapshot *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->data[i]);
}

static sqlite3 *
open_store(const char *path, const unsigned char *key, int create)
{
	struct cimic_error err;
	sqlite3 *db = NULL;

	if (cryptvfs_open(path, key, create, &db, &err) != 0)
		tap_diag("open %s: %d %s", path, err.code, err.msg);
	return db;
}

/*
 * Runs `body` in a child that reports readiness on a pipe and waits;
 * the parent then kills it with SIGKILL mid-transaction.
 */
static bool
kill_mid_transaction(const char *path, const char *const *sql, size_t n)
{
	int fds[2], status;
	char ready = 0;
	pid_t pid;

	if (pipe(fds) != 0)
		return false;
	pid = fork();
	if (pid == 0) {
		sqlite3 *db = open_store(path, key_good, 0);
		close(fds[0]);
		for (size_t i = 0; db != NULL && i < n; i++)
			if (run(db, sql[i]) != SQLITE_OK)
				_exit(3);
		if (write(fds[1], "r", 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (read(fds[0], &ready, 1) != 1)
		ready = 0;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fds[0]);
	return ready == 'r' && WIFSIGNALED(status);
}

/* ---- no plaintext on disk ---- */

static void
fill_store(sqlite3 *db)
{
	char sql[512];

	run(db, "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT);"
		"CREATE INDEX note_body ON note(body);"
		"CREATE VIRTUAL TABLE note_fts USING fts5(body);");
	run(db, "BEGIN");
	for (int i = 0; i < 600; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO note(body) VALUES('%s row %d padding %0200d');"
			 "INSERT INTO note_fts(body) VALUES('%s row %d');",
			 canaries[CANARY_ROWS + i % 2 + (i % 3 == 0 ? CANARY_DELETED : 0)], i, i,
			 canaries[CANARY_ROWS + i % 2 + (i % 3 == 0 ? CANARY_DELETED : 0)], i);
		run(db, sql);
	}
	run(db, "COMMIT");
}

static void
churn_store(sqlite3 *db)
{
	char sql[512];

	snprintf(sql, sizeof sql, "UPDATE note SET body='%s ' || id WHERE id %% 5 = 0;"
		 "UPDATE note SET body='%s ' || id WHERE id %% 7 = 0;",
		 canaries[CANARY_UPDATED], canaries[CANARY_UPDATED + 1]);
	run(db, sql);
	snprintf(sql, sizeof sql, "DELETE FROM note WHERE body LIKE '%s%%' OR body LIKE '%s%%';"
		 "DELETE FROM note_fts WHERE note_fts MATCH '%s OR %s';",
		 canaries[CANARY_DELETED], canaries[CANARY_DELETED + 1],
		 canaries[CANARY_DELETED], canaries[CANARY_DELETED + 1]);
	run(db, sql);
	run(db, "VACUUM");
	run(db, "INSERT INTO note_fts(note_fts) VALUES('optimize')");
}

static void
test_no_plaintext(void)
{
	char *tmp_before = list_names("/tmp"), *vartmp_before = list_names("/var/tmp");
	char *dir = make_dir(), path[512], sql[2][512];
	const char *interrupted[3];
	int files = 0;
	sqlite3 *db;

	snprintf(path, sizeof path, "%s/cimic.db", dir);
	db = open_store(path, key_good, 1);
	ok(db != NULL, "create encrypted store");
	fill_store(db);
	churn_store(db);
	is_int(query_int(db, "SELECT count(*) FROM note_fts WHERE note_fts MATCH 'quartzfalcon7731'"),
	       200, "FTS finds the Latin canary through the VFS");
	is_int(query_int(db, "SELECT count(*) FROM note_fts WHERE note_fts MATCH 'канаркажовта4419'"),
	       0, "deleted Cyrillic canary gone from FTS");
	is_int(query_int(db, "SELECT count(*) FROM note WHERE body LIKE 'velvetanchor3307%'"),
	       85, "updated rows carry the update canary");
	ok(sqlite3_exec(db, "PRAGMA temp_store=FILE; PRAGMA cache_size=4; VACUUM", NULL, NULL,
			NULL) != SQLITE_OK, "VACUUM through a temporary file on disk is refused");
	run(db, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536");
	ok(query_text_is(db, "PRAGMA integrity_check", "ok"), "store intact after the refusal");
	sqlite3_close(db);

	snprintf(sql[0], sizeof sql[0], "PRAGMA cache_size=8; BEGIN; INSERT INTO note(body) "
		 "SELECT '%s ' || value || printf('%%0500d', 0) FROM " SERIES(400) ";",
		 canaries[CANARY_INTERRUPTED]);
	snprintf(sql[1], sizeof sql[1], "INSERT INTO note_fts(body) SELECT '%s ' || value "
		 "FROM " SERIES(400) ";", canaries[CANARY_INTERRUPTED + 1]);
	interrupted[0] = sql[0];
	interrupted[1] = sql[1];
	interrupted[2] = "SELECT 1";
	ok(kill_mid_transaction(path, interrupted, 3), "child killed mid-transaction");
	is_int(scan_dir_for_canaries(dir, &files), 0, "no canary in any file after the kill");
	ok(files >= 2, "scanned the database and its hot WAL (%d files)", files);

	db = open_store(path, key_good, 0);
	is_int(query_int(db, "SELECT count(*) FROM note WHERE body LIKE 'interruptedkite%'"), 0,
	       "interrupted transaction rolled back");
	ok(query_text_is(db, "PRAGMA integrity_check", "ok"), "integrity ok after recovery");
	sqlite3_close(db);
	is_int(scan_dir_for_canaries(dir, &files), 0, "no canary in any file after reopen");
	is_int(count_entries(scratch_tmp), 0, "nothing written to the temporary directory");
	is_int(scan_new_files("/tmp", tmp_before) + scan_new_files("/var/tmp", vartmp_before), 0,
	       "no new file in /tmp or /var/tmp holds a canary");
	free(tmp_before);
	free(vartmp_before);
	remove_dir(dir);
	free(dir);
}

/* ---- wrong key ---- */

static void
test_wrong_key(void)
{
	static const char *const hot[] = {
		"CREATE TABLE IF NOT EXISTS t(x)", "INSERT INTO t VALUES(1)", "INSERT INTO t VALUES(2)",
		"PRAGMA cache_size=4",
		"BEGIN; INSERT INTO t SELECT randomblob(3000) FROM " SERIES(50),
	};
	char *dir = make_dir(), path[512], plain[512], empty[512];
	struct snapshot before, after;
	struct cimic_error err;
	sqlite3 *db = NULL;

	snprintf(path, sizeof path, "%s/cimic.db", dir);
	db = open_store(path, key_good, 1);
	sqlite3_close(db);
	ok(kill_mid_transaction(path, hot, sizeof hot / sizeof hot[0]), "hot WAL left by a kill");
	snapshot_take(dir, &before);
	ok(before.n == 4, "database, WAL, its seal and -shm on disk (%d files)", before.n);
	ok(cryptvfs_open(path, key_bad, 0, &db, &err) == -1 && db == NULL, "wrong key refused");
	is_int(err.code, CIMIC_EPERM, "wrong key is CIMIC_EPERM");
	is_str(err.msg, "wrong passphrase or not a cimic store", "clear message");
	ok(cryptvfs_open(path, key_bad, 1, &db, &err) == -1 && err.code == CIMIC_EPERM,
	   "wrong key refused with create set too");
	snapshot_take(dir, &after);
	ok(snapshot_same(&before, &after), "every file byte-identical after wrong keys");
	snapshot_free(&after);
	snapshot_free(&before);

	db = open_store(path, key_good, 0);
	is_int(query_int(db, "SELECT count(*) FROM t"), 2, "right key recovers committed rows");
	sqlite3_close(db);

	snprintf(plain, sizeof plain, "%s/plain.db", dir);
	sqlite3_open(plain, &db);
	run(db, "CREATE TABLE x(y); INSERT INTO x VALUES('hello')");
	sqlite3_close(db);
	db = NULL;
	ok(cryptvfs_open(plain, key_good, 0, &db, &err) == -1 && err.code == CIMIC_EPERM,
	   "a plain SQLite file is not a cimic store");
	snprintf(empty, sizeof empty, "%s/empty.db", dir);
	spit(empty, (const unsigned char *)"", 0);
	ok(cryptvfs_open(empty, key_good, 0, &db, &err) == -1 && err.code == CIMIC_EPERM,
	   "an empty file is not opened without create");
	snprintf(empty, sizeof empty, "%s/missing.db", dir);
	ok(cryptvfs_open(empty, key_good, 0, &db, &err) == -1 && err.code == CIMIC_ENOINPUT,
	   "a missing store is CIMIC_ENOINPUT");
	remove_dir(dir);
	free(dir);
}

/* ---- tampering ---- */

/* Where in a page the flipped byte lands: ciphertext, nonce, tag. */
static const int tamper_offsets[] = { 100, 2222, 4056 + 7, 4096 - 1 };

static bool
page_named(const char *msg, long pgno)
{
	char want[32];

	snprintf(want, sizeof want, "page %ld ", pgno);
	return strstr(msg, want) != NULL;
}

static void
tamper_one(const char *copy, const unsigned char *orig, size_t len, long pgno, int at)
{
	unsigned char *buf = malloc(len);
	struct cimic_error err = { 0 };
	sqlite3 *db = NULL;
	int rc;

	memcpy(buf, orig, len);
	buf[(pgno - 1) * PAGE + at] ^= 0x20;
	spit(copy, buf, len);
	free(buf);
	rc = cryptvfs_open(copy, key_good, 0, &db, &err);
	if (rc == 0) {
		rc = cryptvfs_verify_all(db, NULL, &err);
		sqlite3_close(db);
	}
	ok(rc == -1 && err.code == CIMIC_EDATA && page_named(err.msg, pgno),
	   "page %ld byte %d flipped: refused naming the page (%s)", pgno, at, err.msg);
}

static void
tamper_header(const char *copy, const unsigned char *orig, size_t len)
{
	unsigned char *buf = malloc(len);
	struct cimic_error err;
	int refused = 0;
	sqlite3 *db;

	for (int at = 0; at < 24; at++) {
		memcpy(buf, orig, len);
		buf[at] ^= 0x01;
		spit(copy, buf, len);
		db = NULL;
		if (cryptvfs_open(copy, key_good, 0, &db, &err) == -1 &&
		    (err.code == CIMIC_EPERM || err.code == CIMIC_EDATA))
			refused++;
		sqlite3_close(db);
	}
	free(buf);
	is_int(refused, 24, "every flipped byte of the plaintext page-1 header is refused");
}

static void
tamper_wal(const char *dir, sqlite3 *live, const char *path)
{
	char copy[512], wal[512], copywal[512];
	struct cimic_error err = { 0 };
	unsigned char *db_bytes, *wal_bytes;
	size_t dblen, wallen;
	long pages = 0;
	sqlite3 *db = NULL;

	run(live, "PRAGMA wal_autocheckpoint=0; PRAGMA wal_checkpoint(TRUNCATE)");
	run(live, "INSERT INTO a(b) VALUES('first commit')");
	run(live, "INSERT INTO a(b) VALUES('second commit')");
	ok(cryptvfs_verify_all(live, &pages, &err) == 0, "verify_all passes with a live WAL");
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(copy, sizeof copy, "%s/walcopy.db", dir);
	snprintf(copywal, sizeof copywal, "%s-wal", copy);
	db_bytes = slurp(path, &dblen);
	wal_bytes = slurp(wal, &wallen);
	ok(wallen > 32 + 2 * (PAGE + 24), "WAL holds two commits (%zu bytes)", wallen);
	spit(copy, db_bytes, dblen);
	{
		char seal[512], copyseal[512];
		size_t seallen;
		unsigned char *seal_bytes;

		snprintf(seal, sizeof seal, "%s-seal", path);
		snprintf(copyseal, sizeof copyseal, "%s-seal", copy);
		seal_bytes = slurp(seal, &seallen);
		spit(copyseal, seal_bytes, seallen);
		free(seal_bytes);
	}
	wal_bytes[32 + 24 + 500] ^= 0x04;   /* page image of the first frame */
	spit(copywal, wal_bytes, wallen);
	ok(cryptvfs_open(copy, key_good, 0, &db, &err) == -1 && err.code == CIMIC_EDATA &&
	   strstr(err.msg, "write-ahead log") != NULL,
	   "tampered WAL frame before a good commit is refused (%s)", err.msg);
	free(db_bytes);
	free(wal_bytes);
}

static void
test_tamper(void)
{
	char *dir = make_dir(), path[512], copy[512], copywal[512];
	unsigned char *orig;
	size_t len;
	long pages = 0;
	struct cimic_error err;
	sqlite3 *db;

	snprintf(path, sizeof path, "%s/cimic.db", dir);
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	snprintf(copywal, sizeof copywal, "%s-wal", copy);
	db = open_store(path, key_good, 1);
	run(db, "CREATE TABLE a(id INTEGER PRIMARY KEY, b TEXT); CREATE INDEX a_b ON a(b);"
		"CREATE VIRTUAL TABLE f USING fts5(b);"
		"INSERT INTO a(b) SELECT printf('row %d %0300d', value, value) "
		"FROM " SERIES(200) ";"
		"INSERT INTO f(b) SELECT b FROM a");
	ok(cryptvfs_verify_all(db, &pages, &err) == 0, "verify_all passes on a good store");
	sqlite3_close(db);
	orig = slurp(path, &len);
	ok(len / PAGE >= 20 && pages >= 20, "%zu pages, %ld checked with the WAL", len / PAGE, pages);
	for (long p = 1; p <= (long)(len / PAGE); p++) {
		unlink(copywal);
		tamper_one(copy, orig, len, p, tamper_offsets[p % 4]);
	}
	unlink(copywal);
	tamper_header(copy, orig, len);
	free(orig);

	db = open_store(path, key_good, 0);
	tamper_wal(dir, db, path);
	sqlite3_close(db);
	remove_dir(dir);
	free(dir);
}

/* ---- the WAL kept by a killed process: change, drop, replace, reorder ---- */

#define WAL_FRAME (PAGE + 24)
#define WAL_KEPT_ROWS 7

struct kept_wal {
	char copy[512], wal[512], seal[512], shm[512];
	unsigned char *db, *log, *seal_bytes;
	size_t dblen, loglen, seallen;
};

/* Writes the copy: the database and seal as kept, `log` as its WAL (NULL: no seal either). */
static void
kept_put(const struct kept_wal *k, const unsigned char *log, size_t len, bool seal)
{
	unlink(k->shm);
	unlink(k->seal);
	spit(k->copy, k->db, k->dblen);
	spit(k->wal, log, len);
	if (seal)
		spit(k->seal, k->seal_bytes, k->seallen);
}

/* Opens the copy, reads every row and verifies it: 0, or the error code. */
static int
kept_open(const struct kept_wal *k, struct cimic_error *err, long long *rows)
{
	sqlite3 *db = NULL;
	int rc = cryptvfs_open(k->copy, key_good, 0, &db, err);

	*rows = -1;
	if (rc == 0) {
		*rows = query_int(db, "SELECT count(*) FROM w");
		rc = cryptvfs_verify_all(db, NULL, err);
		sqlite3_close(db);
	}
	return rc == 0 ? 0 : err->code;
}

static void
kept_expect_tamper(const struct kept_wal *k, unsigned char *log, size_t len, const char *what,
		   const char *want)
{
	struct cimic_error err = { 0 };
	long long rows;
	int code;

	kept_put(k, log, len, true);
	code = kept_open(k, &err, &rows);
	ok(code == CIMIC_EDATA && strstr(err.msg, want) != NULL,
	   "%s: refused as tampering (%d: %s)", what, code, code ? err.msg : "opened");
}

static void
test_wal_attacks(void)
{
	static const char *const commits[] = {
		"PRAGMA wal_autocheckpoint=0",
		"INSERT INTO w VALUES(2, randomblob(300))", "INSERT INTO w VALUES(3, randomblob(300))",
		"INSERT INTO w VALUES(4, randomblob(300))", "INSERT INTO w VALUES(5, randomblob(300))",
		"INSERT INTO w VALUES(6, randomblob(300))", "INSERT INTO w VALUES(7, randomblob(300))",
	};
	char *dir = make_dir(), path[512], name[512];
	struct cimic_error err = { 0 };
	struct kept_wal k;
	unsigned char *log;
	size_t frames;
	long long rows;
	sqlite3 *db;

	snprintf(path, sizeof path, "%s/cimic.db", dir);
	db = open_store(path, key_good, 1);
	run(db, "CREATE TABLE w(n INTEGER PRIMARY KEY, pad BLOB);"
		"INSERT INTO w VALUES(1, randomblob(300))");
	sqlite3_close(db);
	ok(kill_mid_transaction(path, commits, sizeof commits / sizeof commits[0]),
	   "six commits, then the process is killed: the WAL stays");
	snprintf(k.copy, sizeof k.copy, "%s/copy.db", dir);
	snprintf(k.wal, sizeof k.wal, "%s-wal", k.copy);
	snprintf(k.seal, sizeof k.seal, "%s-seal", k.copy);
	snprintf(k.shm, sizeof k.shm, "%s-shm", k.copy);
	k.db = slurp(path, &k.dblen);
	snprintf(name, sizeof name, "%s-wal", path);
	k.log = slurp(name, &k.loglen);
	snprintf(name, sizeof name, "%s-seal", path);
	k.seal_bytes = slurp(name, &k.seallen);
	frames = (k.loglen - 32) / WAL_FRAME;
	ok(frames >= 6 && k.seallen == 64, "the kept WAL has %zu frames and a seal", frames);
	log = malloc(k.loglen + WAL_FRAME);

	kept_put(&k, k.log, k.loglen, true);
	is_int(kept_open(&k, &err, &rows), 0, "the kept WAL as it is opens and verifies");
	is_int(rows, WAL_KEPT_ROWS, "with every committed row");

	/* flips: the masked checksum of frame 1, a page byte of frame 2 */
	memcpy(log, k.log, k.loglen);
	log[32 + 16] ^= 0x01;
	kept_expect_tamper(&k, log, k.loglen, "checksum bit of frame 1 flipped", "frame 1 ");
	memcpy(log, k.log, k.loglen);
	log[32 + WAL_FRAME + 24 + 100] ^= 0x04;
	kept_expect_tamper(&k, log, k.loglen, "page byte of frame 2 flipped", "frame 2 ");
	memcpy(log, k.log, k.loglen);
	log[32 + (frames - 1) * WAL_FRAME + 24 + 7] ^= 0x10;
	kept_expect_tamper(&k, log, k.loglen, "page byte of the last commit flipped",
			   "write-ahead log");
	memcpy(log, k.log, k.loglen);
	log[32 + (frames - 1) * WAL_FRAME + 4] ^= 0x01;
	kept_expect_tamper(&k, log, k.loglen, "commit size of the last frame changed",
			   "write-ahead log");

	/* truncation by one frame, and a frame cut out of the middle */
	kept_expect_tamper(&k, k.log, k.loglen - WAL_FRAME, "WAL truncated by one frame",
			   "lost committed transactions");
	memcpy(log, k.log, 32 + WAL_FRAME);
	memcpy(log + 32 + WAL_FRAME, k.log + 32 + 2 * WAL_FRAME, k.loglen - 32 - 2 * WAL_FRAME);
	kept_expect_tamper(&k, log, k.loglen - WAL_FRAME, "frame 2 cut out", "write-ahead log");
	kept_expect_tamper(&k, k.log, 32, "every frame dropped", "lost committed transactions");

	/* replaced by the database's own copy of the page (page 2, the table) */
	memcpy(log, k.log, k.loglen);
	ok(cryptvfs_get_be32_test(k.log + 32 + WAL_FRAME) == 2 && k.dblen >= 2 * PAGE,
	   "frame 2 holds page 2, which the database has too");
	memcpy(log + 32 + WAL_FRAME + 24, k.db + PAGE, PAGE);
	kept_expect_tamper(&k, log, k.loglen, "frame 2 replaced with the database copy",
			   "frame 2 ");
	memcpy(log, k.log, k.loglen);
	memcpy(log + 32 + (frames - 1) * WAL_FRAME + 24, k.db + PAGE, PAGE);
	kept_expect_tamper(&k, log, k.loglen, "last commit replaced with the database copy",
			   "write-ahead log");
	memcpy(log, k.log, k.loglen);
	memcpy(log + 32 + (frames - 1) * WAL_FRAME + 24, k.log + 32 + WAL_FRAME + 24, PAGE);
	kept_expect_tamper(&k, log, k.loglen, "last commit replaced with an older frame's page",
			   "write-ahead log");

	/* reorder two frames */
	memcpy(log, k.log, k.loglen);
	memcpy(log + 32 + WAL_FRAME, k.log + 32 + 2 * WAL_FRAME, WAL_FRAME);
	memcpy(log + 32 + 2 * WAL_FRAME, k.log + 32 + WAL_FRAME, WAL_FRAME);
	kept_expect_tamper(&k, log, k.loglen, "frames 2 and 3 swapped", "frame 2 ");

	/* the seal itself */
	kept_put(&k, k.log, k.loglen, false);
	ok(kept_open(&k, &err, &rows) == CIMIC_EDATA && strstr(err.msg, "seal") != NULL,
	   "the seal deleted: refused (%s)", err.msg);
	k.seal_bytes[20] ^= 0x01;
	kept_expect_tamper(&k, k.log, k.loglen, "the seal changed", "seal");
	k.seal_bytes[20] ^= 0x01;

	/* a torn tail after the last commit is dropped, nothing else */
	memcpy(log, k.log, k.loglen);
	randombytes_buf(log + k.loglen, WAL_FRAME);
	kept_put(&k, log, k.loglen + WAL_FRAME, true);
	is_int(kept_open(&k, &err, &rows), 0, "a torn frame after the last commit is dropped");
	is_int(rows, WAL_KEPT_ROWS, "and every committed row is there");
	kept_put(&k, k.log, k.loglen, true);
	is_int(kept_open(&k, &err, &rows), 0, "the untouched copy still opens");

	free(log);
	free(k.db);
	free(k.log);
	free(k.seal_bytes);
	remove_dir(dir);
	free(dir);
}

/* ---- several processes on one store ---- */

/* The child of test_shared: `n` commits of canary rows, then waits for the parent's byte. */
static void
shared_child(const char *path, int ready, int go, int n)
{
	sqlite3 *db = open_store(path, key_good, 0);
	char sql[256], c;

	if (db == NULL)
		_exit(2);
	if (write(ready, "r", 1) != 1)
		_exit(4);
	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO s(who, body) VALUES('child', '%s %s %d')",
			 canaries[0], canaries[4], i);
		if (run(db, sql) != SQLITE_OK || query_int(db, "SELECT count(*) FROM s") < 0)
			_exit(3);
	}
	if (write(ready, "d", 1) != 1 || read(go, &c, 1) != 1)
		_exit(4);
	if (c == 'h') {   /* hold the write lock until the parent's next byte */
		if (run(db, "BEGIN IMMEDIATE; INSERT INTO s(who) VALUES('holder')") != SQLITE_OK ||
		    write(ready, "h", 1) != 1 || read(go, &c, 1) != 1)
			_exit(5);
		run(db, "COMMIT");
	}
	sqlite3_close(db);
	_exit(0);
}

static void
test_shared(void)
{
	char *dir = make_dir(), path[512], shm[512], sql[256], c = 0;
	int ready[2], go[2], status, files = 0, bad = 0;
	struct cimic_error err = { 0 };
	mode_t old_mask = umask(022);   /* the VFS must not rely on the caller's umask */
	struct stat st;
	sqlite3 *db;
	pid_t pid;

	snprintf(path, sizeof path, "%s/cimic.db", dir);
	snprintf(shm, sizeof shm, "%s-shm", path);
	db = open_store(path, key_good, 1);
	run(db, "CREATE TABLE s(id INTEGER PRIMARY KEY, who TEXT, body TEXT)");
	if (pipe(ready) != 0 || pipe(go) != 0)
		return;
	if ((pid = fork()) == 0) {
		close(ready[0]);
		close(go[1]);
		shared_child(path, ready[1], go[0], 300);
	}
	close(ready[1]);
	close(go[0]);
	ok(read(ready[0], &c, 1) == 1 && c == 'r', "a second process opened the same store");
	for (int i = 0; i < 300; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO s(who, body) VALUES('parent', '%s %s %d')",
			 canaries[1], canaries[5], i);
		bad += run(db, sql) != SQLITE_OK;
	}
	ok(read(ready[0], &c, 1) == 1 && c == 'd', "the other process committed 300 times");
	is_int(bad, 0, "300 commits here at the same time, none failed");
	is_int(query_int(db, "SELECT count(*) FROM s"), 600, "each process sees all 600 rows");
	ok(stat(shm, &st) == 0, "the -shm wal-index is on disk while the store is shared");
	is_int(st.st_mode & 0777, 0600, "-shm mode is 0600 under umask 022");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the database is 0600 too");
	is_int(scan_dir_for_canaries(dir, &files), 0, "no canary in the database, -wal or -shm");
	ok(files == 4, "scanned the database, its WAL, its seal and its -shm (%d files)", files);

	ok(write(go[1], "h", 1) == 1 && read(ready[0], &c, 1) == 1 && c == 'h',
	   "the other process holds the write lock");
	sqlite3_busy_timeout(db, 200);
	int rc = sqlite3_exec(db, "INSERT INTO s(who) VALUES('waiter')", NULL, NULL, NULL);
	ok((rc & 0xff) == SQLITE_BUSY, "a write waits, then gives up with SQLITE_BUSY (%d)", rc);
	cryptvfs_error(db, sqlite3_extended_errcode(db), &err);
	is_int(err.code, CIMIC_ETEMPFAIL, "reported as a temporary failure (75): %s", err.msg);
	is_int(query_int(db, "SELECT count(*) FROM s"), 600, "reads go on while another process writes");
	sqlite3_busy_timeout(db, cryptvfs_busy_timeout_ms());
	ok(write(go[1], "c", 1) == 1 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	   WEXITSTATUS(status) == 0, "the other process committed and closed cleanly");
	ok(run(db, "INSERT INTO s(who) VALUES('after')") == SQLITE_OK &&
	   query_int(db, "SELECT count(*) FROM s") == 602, "the store is writable again");
	ok(query_text_is(db, "PRAGMA integrity_check", "ok"), "integrity ok");
	sqlite3_close(db);
	close(ready[0]);
	close(go[1]);
	umask(old_mask);
	remove_dir(dir);
	free(dir);
}

/* ---- crash safety ---- */

/* The child: one small transaction after another, each acknowledged on `fd` after COMMIT. */
static void
crash_child(const char *path, int fd)
{
	sqlite3 *db = open_store(path, key_good, 0);
	char sql[256];
	long long n;

	if (db == NULL)
		_exit(2);
	run(db, "PRAGMA wal_autocheckpoint=16; PRAGMA cache_size=12");
	n = query_int(db, "SELECT coalesce(max(n), 0) FROM t");
	for (;;) {
		n++;
		/* Every 8th transaction is big enough to spill uncommitted pages into the WAL. */
		snprintf(sql, sizeof sql, "BEGIN; INSERT INTO t VALUES(%lld, randomblob(%d));"
			 "INSERT INTO t_log SELECT %lld, randomblob(1500) FROM " SERIES_N ";"
			 "COMMIT", n, 100 + (int)(n % 7) * 300, n, n % 8 == 0 ? 40 : 1);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "child: %s (%d)\n", sqlite3_errmsg(db), sqlite3_extended_errcode(db));
			_exit(3);
		}
		if (write(fd, &n, sizeof n) != sizeof n)
			_exit(4);
	}
}

static long long
crash_once(const char *path, unsigned seed)
{
	long long ack = 0, got;
	int fds[2], status;
	unsigned want = seed % 6;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		close(fds[0]);
		crash_child(path, fds[1]);
	}
	close(fds[1]);
	for (unsigned i = 0; i < want && read(fds[0], &got, sizeof got) == sizeof got; i++)
		ack = got;
	/* Land the kill anywhere inside the next transactions, not only between them. */
	struct timespec delay = { 0, (long)(seed % 3000) * 1000 };
	nanosleep(&delay, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	while (read(fds[0], &got, sizeof got) == sizeof got)
		ack = got;
	close(fds[0]);
	if (!WIFSIGNALED(status))
		tap_diag("child status %d", status);
	return WIFSIGNALED(status) ? ack : -1;
}

/* `iterations` kills; 0: $CIMIC_CRASH_ITERATIONS, else CRASH_ITERATIONS. */
static void
test_crash(int iterations)
{
	char *dir = make_dir(), path[512];
	int bad_integrity = 0, bad_verify = 0, lost = 0, failed = 0;
	const char *env = getenv("CIMIC_CRASH_ITERATIONS");

	if (iterations <= 0)
		iterations = env != NULL ? atoi(env) : CRASH_ITERATIONS;
	struct cimic_error err;
	sqlite3 *db;

	snprintf(path, sizeof path, "%s/cimic.db", dir);
	db = open_store(path, key_good, 1);
	run(db, "CREATE TABLE t(n INTEGER PRIMARY KEY, pad BLOB); CREATE TABLE t_log(n, pad)");
	sqlite3_close(db);
	for (int i = 0; i < iterations; i++) {
		long long ack = crash_once(path, randombytes_uniform(1u << 30));
		if (ack < 0 || (db = open_store(path, key_good, 0)) == NULL) {
			failed++;
			continue;
		}
		bad_integrity += !query_text_is(db, "PRAGMA integrity_check", "ok");
		bad_verify += cryptvfs_verify_all(db, NULL, &err) != 0;
		long long max = query_int(db, "SELECT coalesce(max(n), 0) FROM t");
		long long count = query_int(db, "SELECT count(*) FROM t");
		long long logs = query_int(db, "SELECT count(DISTINCT n) FROM t_log");
		if (max < ack || count != max || logs != max) {
			tap_diag("iteration %d: acked %lld, max %lld, count %lld, log %lld",
				 i, ack, max, count, logs);
			lost++;
		}
		sqlite3_close(db);
	}
	is_int(failed, 0, "%d SIGKILLs, every child killed and every reopen fine", iterations);
	is_int(bad_integrity, 0, "integrity_check ok after every kill");
	is_int(bad_verify, 0, "verify_all ok after every kill");
	is_int(lost, 0, "no acknowledged commit lost, no partial transaction visible");
	ok(iterations > 0, "ran %d kill iterations", iterations);
	remove_dir(dir);
	free(dir);
}

static void
log_sqlite(void *arg, int code, const char *msg)
{
	if (getenv("CIMIC_TEST_SQLITE_LOG") != NULL)
		fprintf(stderr, "[%d] sqlite %d: %s\n", (int)getpid(), code, msg);
}

/* No argument: every test.  One number N: only the crash test, with N kills. */
int
main(int argc, char **argv)
{
	char *tmp;
	int kills = argc > 1 ? atoi(argv[1]) : 0;

	sqlite3_config(SQLITE_CONFIG_LOG, log_sqlite, NULL);

	if (sodium_init() < 0)
		return 1;
	randombytes_buf(key_good, sizeof key_good);
	randombytes_buf(key_bad, sizeof key_bad);
	/* SQLite would put temporary files here: the test proves nothing arrives. */
	tmp = make_dir();
	snprintf(scratch_tmp, sizeof scratch_tmp, "%s", tmp);
	setenv("SQLITE_TMPDIR", scratch_tmp, 1);
	setenv("TMPDIR", scratch_tmp, 1);
	free(tmp);

	if (kills > 0) {
		test_crash(kills);
		rmdir(scratch_tmp);
		return done_testing();
	}
	test_no_plaintext();
	test_wrong_key();
	test_tamper();
	test_wal_attacks();
	test_shared();
	test_crash(0);
	rmdir(scratch_tmp);
	return done_testing();
}
