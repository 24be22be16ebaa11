/*
 * bench-publish.c - what `cimic publish` costs (run by publish.sh, which
 * starts a throw-away PostgreSQL with PostGIS and gives its address).
 *
 *   bench-publish CONNINFO [N [CHANGES]]     (defaults 100000 and 1000)
 *
 * Fills a new HQ store with N incidents through the model API (1000 to a
 * transaction: Cyrillic titles, types, severities, places, points), then
 * times three runs into the database: the first (everything), one after
 * CHANGES incidents were edited, and one with nothing changed.  Prints
 * the figures and RESULT lines for run-all.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/publish.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "../unit/support.h"

static const char *const titles[] = {
	"Обстріл житлового кварталу", "Пошкоджено водогін", "Відключення електроенергії",
	"Евакуація маломобільних жителів", "Без опалення в багатоповерхівках",
	"Нерозірваний боєприпас на полі", "Потреба у питній воді", "Пункт обігріву потребує дров",
};
static const char *const places[] = { "Херсон", "Харків", "Суми", "Ізюм", "Краматорськ", "Дніпро" };

static int
add_one(struct oplog_txn *txn, long i, int64_t now, unsigned char id[CIMIC_ID_BYTES],
	struct cimic_error *err)
{
	const struct code_list *types = &codes_incident_type;
	struct model_change c;
	char title[160], sev[4], when[32], loc[48], desc[200];
	int rc;

	snprintf(title, sizeof title, "%s №%ld", titles[i % 8], i);
	snprintf(sev, sizeof sev, "%ld", 1 + i % 5);
	snprintf(desc, sizeof desc, "Мешканці повідомили: %s, потрібна перевірка на місці (%ld).",
		 titles[(i + 3) % 8], i);
	timefmt_dtg(now - (i % 525600) * 60000, when, sizeof when);
	snprintf(loc, sizeof loc, "%.4f,%.4f", 46.0 + (double)(i % 600) / 100.0,
		 30.0 + (double)(i % 800) / 100.0);
	model_change_init(&c, MODEL_INCIDENT);
	rc = model_change_parse(&c, "title", title, now, err) ||
	     model_change_parse(&c, "severity", sev, now, err) ||
	     model_change_parse(&c, "type", types->items[i % types->count].code, now, err) ||
	     model_change_parse(&c, "when", when, now, err) ||
	     model_change_parse(&c, "location", loc, now, err) ||
	     model_change_parse(&c, "settlement", places[i % 6], now, err) ||
	     model_change_parse(&c, "description", desc, now, err) ||
	     model_create(txn, &c, id, err);
	model_change_finish(&c);
	return rc ? -1 : 0;
}

static int
fill(struct store *st, long n, unsigned char (*ids)[CIMIC_ID_BYTES], struct cimic_error *err)
{
	int64_t now = timefmt_now_ms();
	struct oplog_txn *txn;

	for (long i = 0; i < n; i += 1000) {
		if (oplog_begin(st, &txn, err) != 0)
			return -1;
		for (long k = i; k < i + 1000 && k < n; k++)
			if (add_one(txn, k, now, ids[k], err) != 0) {
				oplog_abort(txn);
				return -1;
			}
		if (oplog_commit(txn, err) != 0)
			return -1;
	}
	return 0;
}

/* Edits `changes` incidents spread over the set: new status and severity. */
static int
edit(struct store *st, long n, long changes, unsigned char (*ids)[CIMIC_ID_BYTES],
     struct cimic_error *err)
{
	struct oplog_txn *txn;
	int64_t now = timefmt_now_ms();

	if (oplog_begin(st, &txn, err) != 0)
		return -1;
	for (long k = 0; k < changes; k++) {
		struct model_change c;
		int rc;
		model_change_init(&c, MODEL_INCIDENT);
		rc = model_change_parse(&c, "status", "verified", now, err) ||
		     model_change_parse(&c, "injured", "3", now, err) ||
		     model_update(txn, ids[(k * (n / changes)) % n], &c, err);
		model_change_finish(&c);
		if (rc) {
			oplog_abort(txn);
			return -1;
		}
	}
	return oplog_commit(txn, err);
}

static int
run(struct store *st, const char *conninfo, const char *label, long expect,
    struct cimic_error *err)
{
	struct publish_stats s;
	double t0 = (double)timefmt_now_ms() / 1000.0, dt;

	if (publish_run(st, conninfo, &s, err) != 0)
		return -1;
	dt = (double)timefmt_now_ms() / 1000.0 - t0;
	printf("%-44s %8.2f s  %7ld incidents sent, %7ld written", label, dt,
	       s.sent[PUB_INCIDENTS], s.written[PUB_INCIDENTS]);
	if (s.sent[PUB_INCIDENTS] > 0 && dt > 0)
		printf("  (%.0f rows/s)", (double)s.sent[PUB_INCIDENTS] / dt);
	printf("\n");
	if (s.sent[PUB_INCIDENTS] != expect || s.written[PUB_INCIDENTS] != expect) {
		fprintf(stderr, "bench-publish: %s: expected %ld incidents sent and written\n", label,
			expect);
		return cimic_error_set(err, CIMIC_EFAIL, "unexpected counts");
	}
	if (expect > 0)
		printf("RESULT: publish %s | %.2f s (%.0f rows/s)\n", label, dt, (double)expect / dt);
	else
		printf("RESULT: publish %s | %.2f s\n", label, dt);
	return 0;
}

int
main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 100000, changes = argc > 3 ? atol(argv[3]) : 1000;
	unsigned char (*ids)[CIMIC_ID_BYTES];
	struct cimic_error err;
	char *dir, label[80];
	struct store *st;
	int64_t t0;

	if (argc < 2 || n <= 0 || changes <= 0 || changes > n || sodium_init() < 0) {
		fprintf(stderr, "usage: bench-publish CONNINFO [N [CHANGES]]\n");
		return 64;
	}
	if ((ids = calloc((size_t)n, sizeof *ids)) == NULL)
		return 1;
	st = test_store("Bench HQ", NODE_HQ, &dir);
	t0 = timefmt_now_ms();
	if (fill(st, n, ids, &err) != 0)
		goto fail;
	printf("store filled with %ld incidents in %.1f s\n", n,
	       (double)(timefmt_now_ms() - t0) / 1000.0);
	snprintf(label, sizeof label, "first run, %ld incidents", n);
	if (run(st, argv[1], label, n, &err) != 0)
		goto fail;
	t0 = timefmt_now_ms();
	if (edit(st, n, changes, ids, &err) != 0)
		goto fail;
	printf("%ld incidents edited in %.1f s\n", changes, (double)(timefmt_now_ms() - t0) / 1000.0);
	snprintf(label, sizeof label, "after %ld changes (of %ld)", changes, n);
	if (run(st, argv[1], label, changes, &err) != 0 ||
	    run(st, argv[1], "with nothing changed", 0, &err) != 0)
		goto fail;
	store_close(st);
	test_rmdir(dir);
	free(ids);
	return 0;
fail:
	fprintf(stderr, "bench-publish: %s\n", err.msg);
	store_close(st);
	test_rmdir(dir);
	free(ids);
	return 1;
}
