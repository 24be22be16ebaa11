/* test-report.c - the SITREP in text and Markdown. */
#include <stdlib.h>
#include <string.h>

#include "cimic/gazetteer.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/report.h"
#include "cimic/timefmt.h"
#include "support.h"
#include "tap.h"

static void
add(struct oplog_txn *txn, enum model_kind kind, const char *const *kv, unsigned char *id)
{
	struct model_change c;
	struct cimic_error err;

	model_change_init(&c, kind);
	for (; kv[0]; kv += 2)
		if (model_change_parse(&c, kv[0], kv[1], timefmt_now_ms(), &err) != 0) {
			fprintf(stderr, "# %s\n", err.msg);
			exit(99);
		}
	if (model_create(txn, &c, id, &err) != 0)
		exit(99);
	model_change_finish(&c);
}

static void
seed(struct store *st)
{
	static const char *const i1[] = { "title", "Water station hit", "type", "infrastructure_damage",
					  "severity", "5", "settlement", "Краматорськ", "killed", "1",
					  "injured", "4", "displaced", "30", "followup", "2020-01-01T00:00:00Z",
					  NULL };
	static const char *const i2[] = { "title", "Shelter overcrowded", "type", "shelter", "severity",
					  "2", "settlement", "Краматорськ", "affected", "200", NULL };
	static const char *const i3[] = { "title", "Closed case", "type", "uxo", "severity", "5",
					  "status", "closed", NULL };
	static const char *const c1[] = { "name", "Олена Коваль", "org", "Краматорська МВА", "category",
					  "military_administration", NULL };
	unsigned char inc[CIMIC_ID_BYTES], con[CIMIC_ID_BYTES], other[CIMIC_ID_BYTES];
	struct cimic_error err;
	struct oplog_txn *txn;

	if (oplog_begin(st, &txn, &err) != 0)
		exit(99);
	add(txn, MODEL_INCIDENT, i1, inc);
	add(txn, MODEL_INCIDENT, i2, other);
	add(txn, MODEL_INCIDENT, i3, other);
	add(txn, MODEL_CONTACT, c1, con);
	if (model_link(txn, inc, con, true, &err) != 0 || oplog_commit(txn, &err) != 0)
		exit(99);
}

static char *
sitrep(struct store *st, enum report_format format, int64_t since)
{
	struct report_opts o = { since, timefmt_now_ms() + 1000, format };
	struct cimic_error err;
	struct buf out;
	char *s;

	buf_init(&out);
	if (report_sitrep(st, &o, &out, &err) != 0) {
		tap_diag("report: %s", err.msg);
		buf_finish(&out);
		return util_strdup("");
	}
	s = util_strdup(buf_cstr(&out));
	buf_finish(&out);
	return s;
}

struct expect {
	const char *text;
	bool markdown;
};

static const struct expect expects[] = {
	{ "SITREP ", false }, { "Unit: Test Coy", false }, { "Period: ", false },
	{ "1. New and updated incidents", false }, { "3 new incidents, 0 updated", false },
	{ "infrastructure damage: 1", false }, { "Donetska / Краматорськ: 2", false },
	{ "Killed: 1", false }, { "Injured: 4", false }, { "Displaced: 30", false },
	{ "Affected: 200", false }, { "[5] Water station hit — Краматорськ", false },
	{ "Олена Коваль — Краматорська МВА", false }, { "overdue", false },
	{ "6. Conflicts pending\n   - none", false },
	{ "# SITREP ", true }, { "- **Unit:** Test Coy", true }, { "## 1. New and updated incidents", true },
	{ "- **Killed:** 1", true }, { "- shelter: 1", true },
	/* two of the three incidents left the casualties unset: said, never counted as 0 */
	{ "Killed: 1 (not reported for 2 incidents)", false },
	{ "Affected: 200 (not reported for 2 incidents)", false },
	{ "- **Injured:** 4 (not reported for 2 incidents)", true },
};

int
main(void)
{
	const char *shared = tap_shared_data();
	struct gazetteer_import_stats gs;
	struct cimic_error err;
	char *dir, *text, *md, *quiet, path[4096];
	struct store *st;
	size_t len;
	FILE *f;
	char *data = malloc(4 << 20);

	if (shared == NULL) {
		printf("1..0 # SKIP CIMIC_SHARED_DATA is not set\n");
		return 77;
	}
	if (sodium_init() < 0)
		return 99;
	st = test_store("Test Coy", NODE_FIELD, &dir);
	snprintf(path, sizeof path, "%s/places/geonames-postal-UA.txt", shared);
	f = fopen(path, "rb");
	len = f ? fread(data, 1, 4 << 20, f) : 0;
	if (f)
		fclose(f);
	ok(gazetteer_import(st, data, len, &gs, &err) == 0, "gazetteer for oblast names");
	seed(st);
	text = sitrep(st, REPORT_TEXT, timefmt_now_ms() - 3600 * 1000);
	md = sitrep(st, REPORT_MARKDOWN, timefmt_now_ms() - 3600 * 1000);
	for (size_t i = 0; i < sizeof expects / sizeof expects[0]; i++)
		if (!ok(strstr(expects[i].markdown ? md : text, expects[i].text) != NULL, "%s has '%.*s'",
			expects[i].markdown ? "markdown" : "text",
			(int)strcspn(expects[i].text, "\n"), expects[i].text))
			tap_diag("%s", expects[i].markdown ? md : text);
	ok(strstr(text, "Closed case") == NULL, "closed incidents are not listed as open");
	quiet = sitrep(st, REPORT_TEXT, timefmt_now_ms() + 60000);
	ok(strstr(quiet, "NO CHANGE") != NULL, "an empty period says NO CHANGE");
	ok(strstr(quiet, "Water station hit") != NULL, "open high-severity incidents listed anyway");
	free(text);
	free(md);
	free(quiet);
	free(data);
	store_close(st);
	test_rmdir(dir);
	return done_testing();
}
