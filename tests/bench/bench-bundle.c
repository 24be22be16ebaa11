/*
 * bench-bundle.c - what a bundle of N ops (default 100,000) costs.
 *
 * In one run: a field unit writes incidents through the op log in one
 * batch until N ops (the op-log batch insert of bench-oplog), writes a
 * bundle of all of it for HQ, and HQ imports it.  Bundle creation and
 * import each run in a child process, so their peak RSS is their own.
 * The same is done for N/10 ops, to show that peak memory does not grow
 * with the bundle.  The bundle's size is compared with `gzip -9` of a
 * JSON Lines dump of the same records, made and measured in the run.
 *
 * Usage: bench-bundle [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../unit/sync-support.h"

static const char *const words[] = {
	"водогін", "пошкоджено", "відключення", "електроенергії", "обстріл", "евакуація",
	"лікарня", "школа", "укриття", "генератор", "котельня", "опалення", "газопровід",
	"дитячий", "садок", "міст", "дорога", "склад", "гуманітарна", "допомога", "вода",
	"зв'язок", "пожежа", "мешканці", "будинок", "поранені", "маломобільні", "пункт",
};
static const char *const towns[] = {
	"Харків", "Ізюм", "Куп'янськ", "Краматорськ", "Слов'янськ", "Херсон", "Миколаїв",
	"Запоріжжя", "Суми", "Чернігів", "Дніпро", "Покровськ", "Оріхів", "Бахмут",
};
static const char *const types[] = {
	"civilian_harm", "infrastructure_damage", "utility_outage", "evacuation", "shelter",
	"medical", "food_water", "uxo",
};
#define NW (sizeof words / sizeof words[0])

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
die(const char *what, const struct cimic_error *err)
{
	fprintf(stderr, "bench-bundle: %s: %s\n", what, err ? err->msg : "failed");
	exit(1);
}

/* One incident like bench-oplog's rows. */
static int
add_incident(struct oplog_txn *txn, uint64_t *rng, int i, struct cimic_error *err)
{
	char title[160], desc[400], loc[40], when[32], sev[4];
	struct model_change c;
	unsigned char id[CIMIC_ID_BYTES];
	uint64_t x = test_rand(rng);
	size_t n = 0;
	int rc;

	snprintf(title, sizeof title, "%s %s %s", words[x % NW], words[(x >> 8) % NW],
		 words[(x >> 16) % NW]);
	desc[0] = '\0';
	for (int k = 0; k < 8; k++) {
		x = test_rand(rng);
		n += (size_t)snprintf(desc + n, sizeof desc - n, "%s ", words[x % NW]);
	}
	snprintf(sev, sizeof sev, "%d", (int)((x >> 16) % 5) + 1);
	snprintf(loc, sizeof loc, "%d.%05d,%d.%05d", 46 + (int)((x >> 20) % 6),
		 (int)((x >> 24) % 100000), 30 + (int)((x >> 40) % 8), (int)((x >> 44) % 100000));
	snprintf(when, sizeof when, "2026-%02d-%02dT%02d:%02d:00Z", 1 + i % 11, 1 + i % 28, i % 24,
		 i % 60);
	model_change_init(&c, MODEL_INCIDENT);
	rc = model_change_parse(&c, "title", title, 0, err) ||
	     model_change_parse(&c, "type", types[x % 8], 0, err) ||
	     model_change_parse(&c, "severity", sev, 0, err) ||
	     model_change_parse(&c, "when", when, 0, err) ||
	     model_change_parse(&c, "location", loc, 0, err) ||
	     model_change_parse(&c, "settlement", towns[(x >> 8) % 14], 0, err) ||
	     model_change_parse(&c, "description", desc, 0, err) || model_create(txn, &c, id, err);
	model_change_finish(&c);
	return rc ? -1 : 0;
}

/* The op-log batch insert: incidents until `ops` ops, in one transaction. */
static double
fill(struct store *st, long ops, long *incidents)
{
	struct oplog_txn *txn;
	struct cimic_error err;
	uint64_t rng = 42;
	double t0 = now_s();

	*incidents = 0;
	if (oplog_begin(st, &txn, &err) != 0)
		die("oplog_begin", &err);
	while ((long)oplog_txn_ops(txn) < ops)
		if (add_incident(txn, &rng, (int)(*incidents)++, &err) != 0)
			die("add", &err);
	if (oplog_commit(txn, &err) != 0)
		die("commit", &err);
	return now_s() - t0;
}

struct child_result {
	double seconds;
	long maxrss_kb;
	long entries;
};

/* Runs create (import=false) or import in a child with its own store handle. */
static struct child_result
in_child(const char *from_dir, const char *to_dir, const char *path, bool import)
{
	struct child_result r = { 0 };
	int fds[2], status;
	struct rusage ru;
	pid_t pid;

	if (pipe(fds) != 0 || (pid = fork()) < 0)
		exit(1);
	if (pid == 0) {
		struct store *a, *b;
		struct cimic_error err;
		struct exchange_result res;
		struct exchange_out out;
		double t0;
		close(fds[0]);
		if (store_open(from_dir, "pw", 2, &a, &err) != 0 || store_open(to_dir, "pw", 2, &b, &err) != 0)
			die("store_open", &err);
		t0 = now_s();
		if (!import && exchange_create(a, store_identity(b)->pub.sign_pk, path, &out, &err) != 0)
			die("exchange_create", &err);
		if (import && exchange_import(b, path, &res, &err) != 0)
			die("exchange_import", &err);
		r.seconds = now_s() - t0;
		r.entries = import ? res.entries_new : out.entries;
		(void)!write(fds[1], &r, sizeof r);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &r, sizeof r) != (ssize_t)sizeof r)
		exit(1);
	close(fds[0]);
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		exit(1);
	r.maxrss_kb = ru.ru_maxrss;
	return r;
}

static int
dump_record(const struct model_record *rec, void *arg)
{
	struct buf b;

	buf_init(&b);
	model_record_json(rec, &b);
	buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, arg);
	buf_finish(&b);
	return 0;
}

/* gzip -9 of the JSON Lines dump of all incidents; returns its size. */
static long
gzip_jsonl(struct store *st, const char *dir, long *raw)
{
	struct model_query q = { .kind = MODEL_INCIDENT, .include_archived = true };
	struct cimic_error err;
	char path[600], cmd[700];
	struct stat sb;
	long gz = -1;
	FILE *f, *p;

	snprintf(path, sizeof path, "%s/dump.jsonl", dir);
	if ((f = fopen(path, "w")) == NULL || model_list(st, &q, dump_record, f, &err) != 0)
		die("dump", NULL);
	fclose(f);
	stat(path, &sb);
	*raw = (long)sb.st_size;
	snprintf(cmd, sizeof cmd, "gzip -9 -c '%s' | wc -c", path);
	if ((p = popen(cmd, "r")) != NULL) {
		if (fscanf(p, "%ld", &gz) != 1)
			gz = -1;
		pclose(p);
	}
	return gz;
}

static void
run(long ops, bool report_gzip)
{
	struct store *a, *b;
	char *adir, *bdir, *tmp = test_tmpdir(), path[600];
	struct child_result cr, ir;
	long incidents, raw = 0, gz = 0;
	struct stat sb;
	double insert;

	a = test_store("bench unit", NODE_FIELD, &adir);
	b = test_store("bench HQ", NODE_HQ, &bdir);
	sync_enrol(b, a, "unit");
	insert = fill(a, ops, &incidents);
	if (report_gzip)
		gz = gzip_jsonl(a, tmp, &raw);
	store_close(a);
	store_close(b);
	snprintf(path, sizeof path, "%s/bundle.cmb", tmp);
	cr = in_child(adir, bdir, path, false);
	stat(path, &sb);
	ir = in_child(adir, bdir, path, true);
	printf("--- %ld ops (%ld incidents, %ld entries)\n", ops, incidents, ir.entries);
	printf("op-log batch insert (unit):  %8.3f s\n", insert);
	printf("bundle create:               %8.3f s  peak RSS %6.1f MiB\n", cr.seconds,
	       cr.maxrss_kb / 1024.0);
	printf("bundle import (HQ):          %8.3f s  peak RSS %6.1f MiB  (%.2fx the batch insert)\n",
	       ir.seconds, ir.maxrss_kb / 1024.0, ir.seconds / insert);
	printf("bundle size:                 %8lld bytes (%.1f bytes/op)\n", (long long)sb.st_size,
	       (double)sb.st_size / (double)ops);
	if (report_gzip && gz > 0)
		printf("JSON Lines dump %ld bytes; gzip -9 %ld bytes; bundle / gzip = %.3f\n", raw, gz,
		       (double)sb.st_size / (double)gz);
	if (report_gzip) {
		printf("RESULT: bundle import of %ld ops vs op-log batch insert | %.2fx (peak RSS %.0f MiB)\n",
		       ops, ir.seconds / insert, ir.maxrss_kb / 1024.0);
		if (gz > 0)
			printf("RESULT: bundle bytes vs gzip -9 of JSON Lines | %.3f\n",
			       (double)sb.st_size / (double)gz);
	}
	test_rmdir(adir);
	test_rmdir(bdir);
	test_rmdir(tmp);
}

int
main(int argc, char **argv)
{
	long ops = argc > 1 ? atol(argv[1]) : 100000;

	if (sodium_init() < 0 || ops <= 0)
		return 1;
	run(ops / 10, false);
	run(ops, true);
	return 0;
}
