/*
 * test-oom.c - every out-of-memory branch of cimic's own code, proved.
 *
 * cimic does not abort on a failed allocation: a field laptop that runs
 * out of memory in the middle of an import must say so and keep its
 * store intact, not lose the session.  So each malloc, calloc, realloc
 * and strdup the project's code makes is a branch that must work.  This
 * program is linked with --wrap for those functions (tests/unit/
 * meson.build), so calls from cimic's libraries, and only those (SQLite
 * and libsodium allocate through their own shared objects and are covered
 * by test-faults), go through the wrappers below.  A clean run of the
 * scenario counts its allocations; then, for every N, the scenario runs
 * again on a fresh copy of the store with the Nth allocation failing.
 * Each step either succeeds or fails with an error that has a code and a
 * one-line message; nothing crashes (the sanitizer build watches for
 * leaks and bad accesses), and the store opens and passes check
 * afterwards, holding nothing half-written.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "cimic/search.h"
#include "io.h"
#include "sync-support.h"
#include "tap.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static long allocs, fail_at;   /* fail_at 0: never */
static long hits;

static bool
fail_now(void)
{
	allocs++;
	if (fail_at != 0 && allocs == fail_at) {
		hits++;
		return true;
	}
	return false;
}

void *
__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t m)
{
	return fail_now() ? NULL : __real_calloc(n, m);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

static int bad;

/* A step's outcome: success, or an error with a code and one line. */
static void
judge(long n, const char *step, int rc, const struct cimic_error *err)
{
	if (rc == 0)
		return;
	if (err->code == 0 || err->msg[0] == '\0' || strchr(err->msg, '\n') != NULL) {
		tap_diag("n=%ld %s: failed without a proper error (code %d, '%s')", n, step,
			 err->code, err->msg);
		bad++;
	}
}

static int
count_hit(const struct search_hit *h, void *arg)
{
	(void)h;
	(*(long *)arg)++;
	return 0;
}

static const char csv_in[] =
	"name,org,phone\n"
	"Олена Коваль,Харківводоканал,+380 57 731 4401\n"
	"Petro Marchenko,UNHCR,+380 50 111 2233\n"
	"Ірина Шевчук,Куп'янська МВА,050-123-45-67\n";

/*
 * The scenario: the unit opens its store, writes records, searches,
 * exports and imports, and writes its bundle for HQ; HQ imports it.
 */
static void
scenario(long n, const char *udir, const char *hqdir, const char *bundle)
{
	struct formats_import_opts io = { .format = FORMAT_CSV, .what = MODEL_CONTACT,
					  .now_ms = 1700000000000 };
	struct formats_export_opts eo = { FORMAT_JSON, 0, false };
	struct formats_import_report rep;
	struct exchange_result res;
	struct exchange_out xo;
	struct cimic_error err;
	struct store *u, *hq;
	struct oplog_txn *txn;
	struct model_change c;
	unsigned char id[CIMIC_ID_BYTES];
	struct buf out;
	long found = 0;
	int rc;

	memset(&err, 0, sizeof err);
	if ((rc = store_open(udir, "pw", 2, &u, &err)) != 0) {
		judge(n, "open", rc, &err);
		return;
	}
	rc = oplog_begin(u, &txn, &err);
	if (rc == 0) {
		model_change_init(&c, MODEL_INCIDENT);
		rc = model_change_parse(&c, "title", "Пошкоджено водогін на Сумській", 0, &err);
		if (rc == 0)
			rc = model_change_parse(&c, "location", "37U DQ 12345 67890", 0, &err);
		if (rc == 0)
			rc = model_create(txn, &c, id, &err);
		model_change_finish(&c);
		if (rc == 0)
			rc = oplog_commit(txn, &err);
		else
			oplog_abort(txn);
	}
	judge(n, "incident add", rc, &err);
	rc = search_query(u, "водогін", MODEL_INCIDENT, false, 50, count_hit, &found, &err);
	judge(n, "search", rc, &err);
	rc = formats_import(u, &io, csv_in, sizeof csv_in - 1, &rep, &err);
	judge(n, "import csv", rc, &err);
	formats_import_report_finish(&rep);
	buf_init(&out);
	rc = formats_export(u, &eo, &out, &err);
	judge(n, "export json", rc, &err);
	buf_finish(&out);
	unlink(bundle);
	if (store_open(hqdir, "pw", 2, &hq, &err) != 0) {
		judge(n, "open hq", -1, &err);
		store_close(u);
		return;
	}
	rc = exchange_create(u, store_identity(hq)->pub.sign_pk, bundle, &xo, &err);
	judge(n, "bundle create", rc, &err);
	if (rc == 0) {
		rc = exchange_import(hq, bundle, &res, &err);
		judge(n, "bundle import", rc, &err);
	}
	store_close(hq);
	store_close(u);
}

static void
copy_dir(const char *from, const char *to)
{
	char cmd[1400];

	snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -a '%s' '%s'", to, from, to);
	if (system(cmd) != 0)
		exit(99);
}

/* After a run with a fault: both stores open and pass check. */
static void
verify(long n, const char *dir)
{
	struct store_check_report rep;
	struct cimic_error err;
	struct store *st;

	if (store_open(dir, "pw", 2, &st, &err) != 0) {
		tap_diag("n=%ld: %s does not open: %s", n, dir, err.msg);
		bad++;
		return;
	}
	if (store_check(st, &rep, &err) != 0) {
		tap_diag("n=%ld: check: %s", n, err.msg);
		bad++;
	}
	store_close(st);
}

int
main(void)
{
	char *hqdir, *udir, *work, ucopy[600], hqcopy[600], bundle[600];
	struct store *hq, *u;
	long total, step;

	if (sodium_init() < 0)
		return 99;
	work = test_tmpdir();
	hq = test_store("HQ", NODE_HQ, &hqdir);
	u = test_store("U", NODE_FIELD, &udir);
	sync_enrol(hq, u, "u");
	store_close(hq);
	store_close(u);
	snprintf(ucopy, sizeof ucopy, "%s/u", work);
	snprintf(hqcopy, sizeof hqcopy, "%s/hq", work);
	snprintf(bundle, sizeof bundle, "%s/u.cmb", work);

	copy_dir(udir, ucopy);
	copy_dir(hqdir, hqcopy);
	allocs = 0;
	scenario(0, ucopy, hqcopy, bundle);
	total = allocs;
	is_int(bad, 0, "the scenario runs clean without faults");
	ok(total > 100, "the scenario allocates through cimic's code (%ld allocations)", total);

	/* every N up to 1,500, then a stride so the run stays short */
	step = 1;
	for (long n = 1; n <= total; n += step) {
		copy_dir(udir, ucopy);
		copy_dir(hqdir, hqcopy);
		allocs = 0;
		fail_at = n;
		scenario(n, ucopy, hqcopy, bundle);
		fail_at = 0;
		verify(n, ucopy);
		verify(n, hqcopy);
		if (n >= 1500)
			step = total / 300 + 1;
	}
	is_int(bad, 0, "with the Nth allocation failing, every step fails cleanly or succeeds, and "
		       "both stores open and pass check");
	ok(hits > 100, "allocation faults were really injected (%ld)", hits);
	test_rmdir(hqdir);
	test_rmdir(udir);
	test_rmdir(work);
	return done_testing();
}
