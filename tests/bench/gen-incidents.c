/*
 * gen-incidents.c - fills a new store with N incidents through the
 * model API (the same path as `cimic incident add`), for the TUI
 * start-up benchmark (tui-startup.sh).
 *
 *   gen-incidents DIR N PASSPHRASE
 *
 * The store gets the fast test KDF (ops 1, 8 KiB): the benchmark
 * measures what happens after the key derivation.  Incidents are
 * written 1000 to a transaction, with Cyrillic titles, types, severities,
 * places and times spread over a year.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"

static const char *const titles[] = {
	"Обстріл житлового кварталу", "Пошкоджено водогін", "Відключення електроенергії",
	"Евакуація маломобільних жителів", "Без опалення в багатоповерхівках",
	"Нерозірваний боєприпас на полі", "Потреба у питній воді", "Пункт обігріву потребує дров",
};
static const char *const places[] = { "Херсон", "Харків", "Суми", "Ізюм", "Краматорськ", "Дніпро" };

static int
add_one(struct oplog_txn *txn, long i, int64_t now, struct cimic_error *err)
{
	const struct code_list *types = &codes_incident_type;
	struct model_change c;
	unsigned char id[CIMIC_ID_BYTES];
	char title[160], sev[4], when[32], loc[48];
	int rc;

	snprintf(title, sizeof title, "%s №%ld", titles[i % 8], i);
	snprintf(sev, sizeof sev, "%ld", 1 + i % 5);
	timefmt_dtg(now - (i % 525600) * 60000, when, sizeof when);
	snprintf(loc, sizeof loc, "%.4f,%.4f", 46.0 + (double)(i % 600) / 100.0, 30.0 + (double)(i % 800) / 100.0);
	model_change_init(&c, MODEL_INCIDENT);
	rc = model_change_parse(&c, "title", title, now, err) || model_change_parse(&c, "severity", sev, now, err) ||
	     model_change_parse(&c, "type", types->items[i % types->count].code, now, err) ||
	     model_change_parse(&c, "when", when, now, err) || model_change_parse(&c, "location", loc, now, err) ||
	     model_change_parse(&c, "settlement", places[i % 6], now, err) ||
	     model_create(txn, &c, id, err);
	model_change_finish(&c);
	return rc ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct vault_kdf kdf = { 1, 8192 };
	struct store_init_opts o = { "Bench unit", NODE_FIELD, &kdf };
	struct store *st;
	struct oplog_txn *txn;
	struct cimic_error err;
	long n = argc > 2 ? atol(argv[2]) : 100000;
	int64_t now = timefmt_now_ms(), t0 = now;

	if (argc != 4 || sodium_init() < 0) {
		fprintf(stderr, "usage: gen-incidents DIR N PASSPHRASE\n");
		return 64;
	}
	if (store_init(argv[1], argv[3], strlen(argv[3]), &o, &st, &err) != 0)
		goto fail;
	for (long i = 0; i < n; i += 1000) {
		if (oplog_begin(st, &txn, &err) != 0)
			goto fail;
		for (long k = i; k < i + 1000 && k < n; k++)
			if (add_one(txn, k, now, &err) != 0) {
				oplog_abort(txn);
				goto fail;
			}
		if (oplog_commit(txn, &err) != 0)
			goto fail;
	}
	store_close(st);
	printf("# %ld incidents written in %.1f s\n", n, (double)(timefmt_now_ms() - t0) / 1000.0);
	return 0;
fail:
	fprintf(stderr, "gen-incidents: %s\n", err.msg);
	return 1;
}
