/*
 * bench-cryptvfs.c - the same workload (inserts, indexed lookups, FTS
 * queries, updates) on stock SQLite and on the cimic-crypt VFS, with
 * SQLite's default cache (2000 KiB), a small cache of 500 pages and a
 * cache that holds the working set; then the time of the Argon2id
 * calibration.  Both sides use the settings cimic's connections use
 * (WAL with normal locking, temp_store=MEMORY, mmap off, secure_delete,
 * synchronous=FULL), so the ratio is the cost of the encryption (pages,
 * WAL frame authentication and the seal) alone.  Best of $BENCH_RUNS
 * runs (3) per configuration.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "cryptvfs.h"
#include "cimic/vault.h"
#include "vault_private.h"

#define ROWS 20000
#define LOOKUPS 20000
#define FTS_QUERIES 2000
#define UPDATES 5000
#define RUNS 3

enum { PHASE_INSERT, PHASE_LOOKUP, PHASE_FTS, PHASE_UPDATE, PHASES };
static const char *const phase_names[PHASES] = { "insert", "lookup", "fts", "update" };

static const char *const words[] = {
	"water", "power", "heating", "shelter", "evacuation", "hospital", "school", "bridge",
	"вода", "світло", "опалення", "укриття", "евакуація", "лікарня", "школа", "міст",
	"generator", "convoy", "uxo", "pharmacy", "генератор", "конвой", "аптека", "дрони",
};
#define NWORDS (sizeof words / sizeof words[0])

static uint64_t rng;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
must(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static void
text(char *out, size_t n, int nwords)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < nwords && used + 24 < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s", i ? " " : "",
					 words[next() % NWORDS]);
}

static void
phase_insert(sqlite3 *db)
{
	sqlite3_stmt *a, *b;
	char title[128], body[512];

	must(sqlite3_exec(db, "CREATE TABLE inc(id INTEGER PRIMARY KEY, title TEXT, body TEXT,"
			  " sev INTEGER, settlement TEXT);"
			  "CREATE INDEX inc_settlement ON inc(settlement, sev);"
			  "CREATE VIRTUAL TABLE inc_fts USING fts5(title, body);",
			  NULL, NULL, NULL), db, "schema");
	sqlite3_prepare_v2(db, "INSERT INTO inc VALUES(?, ?, ?, ?, ?)", -1, &a, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO inc_fts(rowid, title, body) VALUES(?, ?, ?)", -1, &b,
			   NULL);
	for (int i = 1; i <= ROWS; i++) {
		if (i % 500 == 1)
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		text(title, sizeof title, 4);
		text(body, sizeof body, 40);
		sqlite3_bind_int(a, 1, i);
		sqlite3_bind_text(a, 2, title, -1, SQLITE_STATIC);
		sqlite3_bind_text(a, 3, body, -1, SQLITE_STATIC);
		sqlite3_bind_int(a, 4, (int)(next() % 5) + 1);
		sqlite3_bind_int(b, 1, i);
		sqlite3_bind_text(b, 2, title, -1, SQLITE_STATIC);
		sqlite3_bind_text(b, 3, body, -1, SQLITE_STATIC);
		char settlement[32];
		snprintf(settlement, sizeof settlement, "settlement-%03d", (int)(next() % 700));
		sqlite3_bind_text(a, 5, settlement, -1, SQLITE_TRANSIENT);
		must(sqlite3_step(a), db, "insert");
		must(sqlite3_step(b), db, "insert fts");
		sqlite3_reset(a);
		sqlite3_reset(b);
		if (i % 500 == 0)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	sqlite3_finalize(a);
	sqlite3_finalize(b);
}

static void
phase_lookup(sqlite3 *db)
{
	sqlite3_stmt *st;
	char settlement[32];

	sqlite3_prepare_v2(db, "SELECT count(*), max(sev) FROM inc WHERE settlement = ?", -1, &st,
			   NULL);
	for (int i = 0; i < LOOKUPS; i++) {
		snprintf(settlement, sizeof settlement, "settlement-%03d", (int)(next() % 700));
		sqlite3_bind_text(st, 1, settlement, -1, SQLITE_TRANSIENT);
		must(sqlite3_step(st), db, "lookup");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "SELECT title, body FROM inc WHERE id = ?", -1, &st, NULL);
	for (int i = 0; i < LOOKUPS; i++) {
		sqlite3_bind_int(st, 1, (int)(next() % ROWS) + 1);
		must(sqlite3_step(st), db, "lookup id");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

static void
phase_fts(sqlite3 *db)
{
	sqlite3_stmt *st;
	char query[64];

	sqlite3_prepare_v2(db, "SELECT count(*) FROM inc_fts WHERE inc_fts MATCH ?", -1, &st, NULL);
	for (int i = 0; i < FTS_QUERIES; i++) {
		snprintf(query, sizeof query, "%s AND %s", words[next() % NWORDS],
			 words[next() % NWORDS]);
		sqlite3_bind_text(st, 1, query, -1, SQLITE_TRANSIENT);
		must(sqlite3_step(st), db, "fts");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

static void
phase_update(sqlite3 *db)
{
	sqlite3_stmt *st;
	char body[512];

	sqlite3_prepare_v2(db, "UPDATE inc SET sev = ?, body = ? WHERE id = ?", -1, &st, NULL);
	for (int i = 1; i <= UPDATES; i++) {
		if (i % 100 == 1)
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		text(body, sizeof body, 40);
		sqlite3_bind_int(st, 1, (int)(next() % 5) + 1);
		sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, (int)(next() % ROWS) + 1);
		must(sqlite3_step(st), db, "update");
		sqlite3_reset(st);
		if (i % 100 == 0)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	sqlite3_finalize(st);
}

static sqlite3 *
open_plain(const char *path)
{
	sqlite3 *db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "unix") != 0)
		exit(1);
	must(sqlite3_exec(db, "PRAGMA locking_mode=NORMAL; PRAGMA temp_store=MEMORY;"
			  "PRAGMA mmap_size=0; PRAGMA secure_delete=ON; PRAGMA journal_mode=WAL;"
			  "PRAGMA synchronous=FULL", NULL, NULL, NULL), db, "plain pragmas");
	return db;
}

static sqlite3 *
open_crypt(const char *path, const unsigned char *key)
{
	struct cimic_error err;
	sqlite3 *db;

	if (cryptvfs_open(path, key, 1, &db, &err) != 0) {
		fprintf(stderr, "bench: %s\n", err.msg);
		exit(1);
	}
	return db;
}

/* One run: fresh files, the four phases timed; times[] gets seconds per phase. */
static int runs = RUNS;

/* cache: SQLite's cache_size value (negative: KiB, positive: pages). */
static void
run_once(const char *dir, bool encrypted, int cache_kib, const unsigned char *key,
	 double times[PHASES])
{
	static void (*const phases[PHASES])(sqlite3 *) = {
		phase_insert, phase_lookup, phase_fts, phase_update,
	};
	char path[256], sql[64];
	sqlite3 *db;

	snprintf(path, sizeof path, "%s/bench.db", dir);
	unlink(path);
	db = encrypted ? open_crypt(path, key) : open_plain(path);
	snprintf(sql, sizeof sql, "PRAGMA cache_size=%d", cache_kib);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	rng = 0x9e3779b97f4a7c15ull;
	for (int p = 0; p < PHASES; p++) {
		double t0 = now();
		phases[p](db);
		times[p] = now() - t0;
	}
	sqlite3_close(db);
	unlink(path);
}

static double
best_total(const char *dir, bool encrypted, int cache_kib, const unsigned char *key,
	   double best[PHASES])
{
	double times[PHASES], total = 0;

	for (int p = 0; p < PHASES; p++)
		best[p] = 1e9;
	for (int r = 0; r < runs; r++) {
		run_once(dir, encrypted, cache_kib, key, times);
		for (int p = 0; p < PHASES; p++)
			best[p] = times[p] < best[p] ? times[p] : best[p];
	}
	for (int p = 0; p < PHASES; p++)
		total += best[p];
	return total;
}

static void
compare(const char *dir, const char *label, int cache_kib, const unsigned char *key)
{
	double plain[PHASES], crypt[PHASES];
	double tp = best_total(dir, false, cache_kib, NULL, plain);
	double tc = best_total(dir, true, cache_kib, key, crypt);

	if (cache_kib < 0)
		printf("%s (cache %d KiB):\n", label, -cache_kib);
	else
		printf("%s (cache %d pages):\n", label, cache_kib);
	for (int p = 0; p < PHASES; p++)
		printf("  %-7s plain %7.3f s  encrypted %7.3f s  ratio %.2fx\n", phase_names[p],
		       plain[p], crypt[p], crypt[p] / plain[p]);
	printf("  %-7s plain %7.3f s  encrypted %7.3f s  ratio %.2fx\n", "total", tp, tc, tc / tp);
	printf("RESULT: encrypted store vs plain SQLite, %s | %.2fx\n", label, tc / tp);
}

int
main(void)
{
	char dir[] = "/tmp/cimic-bench-XXXXXX";
	unsigned char key[CRYPTVFS_KEYBYTES];
	struct vault_kdf kdf;
	struct cimic_error err;
	double t0;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	randombytes_buf(key, sizeof key);
	printf("workload: %d inserts (+FTS), %d indexed lookups x2, %d FTS queries, %d updates\n",
	       ROWS, LOOKUPS, FTS_QUERIES, UPDATES);
	if (getenv("BENCH_RUNS") != NULL && atoi(getenv("BENCH_RUNS")) > 0)
		runs = atoi(getenv("BENCH_RUNS"));
	compare(dir, "SQLite default cache", -2000, key);
	compare(dir, "500-page cache", 500, key);
	compare(dir, "working set cached", -65536, key);
	t0 = now();
	if (vault_calibrate(1000, &kdf, &err) != 0) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 1;
	}
	printf("argon2id calibration (target 1000 ms): %.2f s total, chose ops %llu mem %llu MiB\n",
	       now() - t0, (unsigned long long)kdf.ops, (unsigned long long)(kdf.mem >> 20));
	{
		unsigned char out[32], salt[16] = { 0 };
		t0 = now();
		if (crypto_pwhash(out, sizeof out, "p", 1, salt, kdf.ops, (size_t)kdf.mem,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
			return 1;
		printf("one unlock with those parameters: %.2f s\n", now() - t0);
		printf("RESULT: unlock (Argon2id, %llu MiB) | %.2f s\n",
		       (unsigned long long)(kdf.mem >> 20), now() - t0);
	}
	rmdir(dir);
	return 0;
}
