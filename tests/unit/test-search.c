/* test-search.c - folding and full-text search over a real store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/fold.h"
#include "cimic/gazetteer.h"
#include "cimic/model.h"
#include "cimic/store.h"
#include "cimic/oplog.h"
#include "cimic/search.h"
#include "gazetteer_private.h"
#include "store_private.h"
#include "support.h"
#include "tap.h"

static void
test_fold(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Київ", "київ" },
		{ "ОБ'ЄКТ", "обєкт" },
		{ "об’єкт", "обєкт" },
		{ "обʼєкт", "обєкт" },
		{ "ҐАНОК Ґанок", "ґанок ґанок" },
		{ "ЇЖАК Єва ІРИНА Ўа", "їжак єва ірина ўа" },
		{ "заво\xcc\x81д", "завод" },           /* combining acute (stress) */
		{ "Kharkiv WATER", "kharkiv water" },
		{ "Ёлка ЭХО", "ёлка эхо" },
		{ "ÀÉÎ", "àéî" },
		{ "\xd0\x98\xcc\x86\xd1\x81\xd1\x96\xcc\x88", "йсї" },   /* И + breve, і + diaeresis */
		{ "STRASSE Straße", "strasse strasse" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *f = search_fold(cases[i].in);
		is_str(f, cases[i].out, "fold '%s'", cases[i].in);
		free(f);
	}
	{
		char *f = search_fold("\xff\xfe bad");
		ok(f != NULL && strstr(f, "bad") != NULL, "invalid UTF-8 does not stop folding");
		free(f);
	}
}

/* Search and the gazetteer fold alike: one module (cimic/fold.h) for both. */
static void
test_one_fold(void)
{
	static const char *const names[] = {
		"Слов'янськ", "Слов’янськ", "Словʼянськ", "СЛОВ‘ЯНСЬК", "Слов`янськ", "Слов´янськ",
		"Словʹянськ", "Словʻянськ", "Слов′янськ", "Слов'я\xcc\x81нськ",
		"Гаи\xcc\x86син", "ҐУДЗІВКА", "Ї\xcc\x81жак",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *a = search_fold(names[i]), *b = gazetteer_fold(names[i]), *c = fold_text(names[i]);
		ok(a && b && c && strcmp(a, b) == 0 && strcmp(a, c) == 0,
		   "'%s': search and gazetteer fold to the same '%s'", names[i], a ? a : "(null)");
		free(a);
		free(b);
		free(c);
	}
	{
		char *a = search_fold("Слов'янськ"), *b = search_fold("СЛОВʼЯНСЬК");
		is_str(a, b, "every apostrophe and either case meet");
		free(a);
		free(b);
	}
}

static void
add(struct store *st, enum model_kind kind, const char *title, const char *extra_field,
    const char *extra, unsigned char id[CIMIC_ID_BYTES])
{
	struct oplog_txn *txn;
	struct model_change c;
	struct cimic_error err;

	oplog_begin(st, &txn, &err);
	model_change_init(&c, kind);
	model_change_parse(&c, kind == MODEL_CONTACT ? "name" : "title", title, 0, &err);
	if (extra_field)
		model_change_parse(&c, extra_field, extra, 0, &err);
	if (model_create(txn, &c, id, &err) != 0)
		tap_diag("create: %s", err.msg);
	model_change_finish(&c);
	oplog_commit(txn, &err);
}

struct hits {
	int n;
	unsigned char first[CIMIC_ID_BYTES];
	enum model_kind kinds[16];
};

static int
collect(const struct search_hit *h, void *arg)
{
	struct hits *hs = arg;

	if (hs->n == 0)
		memcpy(hs->first, h->id, CIMIC_ID_BYTES);
	if (hs->n < 16)
		hs->kinds[hs->n] = h->kind;
	hs->n++;
	return 0;
}

static int
count(struct store *st, const char *q, enum model_kind kind, bool archived, struct hits *hs)
{
	struct cimic_error err;

	memset(hs, 0, sizeof *hs);
	if (search_query(st, q, kind, archived, 50, collect, hs, &err) != 0) {
		tap_diag("search '%s': %s", q, err.msg);
		return -1;
	}
	return hs->n;
}

static void
test_query(void)
{
	char *dir;
	struct store *st = test_store("S", NODE_FIELD, &dir);
	unsigned char a[16], b[16], c[16], d[16];
	struct hits hs;
	struct oplog_txn *txn;
	struct cimic_error err;

	add(st, MODEL_INCIDENT, "Пошкоджено об’єкт водопостачання", "settlement", "Ізюм", a);
	add(st, MODEL_INCIDENT, "Water station damaged", "description", "водогін Kupiansk", b);
	add(st, MODEL_CONTACT, "Наталія Шевчук", "org", "Харківводоканал", c);
	add(st, MODEL_INCIDENT, "Водогін, водогін і ще раз водогін", NULL, NULL, d);

	is_int(count(st, "обʼєкт", 0, false, &hs), 1, "U+02BC matches U+2019 in the text");
	is_int(count(st, "ОБ'ЄКТ", 0, false, &hs), 1, "upper case and U+0027 too");
	is_int(count(st, "ізюм", 0, false, &hs), 1, "settlement is searched");
	is_int(count(st, "water", 0, false, &hs), 1, "English");
	is_int(count(st, "харків", 0, false, &hs), 1, "prefix of a word (Харківводоканал)");
	is_int(count(st, "водогін", 0, false, &hs), 2, "two records mention водогін");
	ok(memcmp(hs.first, d, 16) == 0, "the record that says it three times ranks first");
	is_int(count(st, "водогін kupiansk", 0, false, &hs), 1, "words are ANDed");
	is_int(count(st, "наталія", MODEL_INCIDENT, false, &hs), 0, "kind filter: incidents only");
	is_int(count(st, "наталія", MODEL_CONTACT, false, &hs), 1, "kind filter: contacts only");
	ok(count(st, "\"AND OR NOT\" * ( ) : ^", 0, false, &hs) == 0,
	   "FTS5 syntax in a query is treated as text, not an error");
	ok(search_query(st, "   ", 0, false, 50, collect, &hs, &err) != 0 && err.code == CIMIC_EUSAGE,
	   "an empty query is a usage error");

	oplog_begin(st, &txn, &err);
	model_archive(txn, MODEL_INCIDENT, d, true, &err);
	oplog_commit(txn, &err);
	is_int(count(st, "водогін", 0, false, &hs), 1, "archived records leave the results");
	is_int(count(st, "водогін", 0, true, &hs), 2, "unless asked for");

	oplog_begin(st, &txn, &err);
	{
		struct model_change ch;
		model_change_init(&ch, MODEL_INCIDENT);
		model_change_parse(&ch, "title", "Відновлено подачу води", 0, &err);
		model_update(txn, a, &ch, &err);
		model_change_finish(&ch);
	}
	oplog_commit(txn, &err);
	is_int(count(st, "об'єкт", 0, false, &hs), 0, "an edit replaces the indexed text");
	is_int(count(st, "відновлено", 0, false, &hs), 1, "and indexes the new one");
	store_close(st);
	test_rmdir(dir);
}

/*
 * The store keeps the fold version its index and gazetteer keys were
 * made with: when it is older, opening the store folds everything again.
 */
static void
test_fold_version(void)
{
	char *dir, *v, *key = gazetteer_key("Слов'янськ");
	struct store *st = test_store("S", NODE_FIELD, &dir);
	struct cimic_error err;
	struct hits hs;
	unsigned char a[16];
	sqlite3_stmt *s;
	char want[16];

	snprintf(want, sizeof want, "%d", FOLD_VERSION);
	v = store_meta_get(st, "fold.version");
	is_str(v, want, "a new store records the fold version");
	free(v);
	add(st, MODEL_INCIDENT, "Водоканал Словʼянськ", NULL, NULL, a);
	ok(sqlite3_exec(store_db(st),
			"INSERT INTO places(name, name_folded) VALUES('Слов''янськ', 'stale');"
			"DELETE FROM incidents_fts;", NULL, NULL, NULL) == SQLITE_OK,
	   "a place keyed and an index emptied as an older fold left them");
	ok(store_meta_set(st, "fold.version", "0", &err) == 0, "the store says fold 0");
	is_int(count(st, "водоканал", 0, false, &hs), 0, "the stale index finds nothing");
	store_close(st);
	if (!ok(store_open(dir, "pw", 2, &st, &err) == 0, "the store opens again"))
		goto out;
	v = store_meta_get(st, "fold.version");
	is_str(v, want, "opening it recorded today's fold version");
	free(v);
	is_int(count(st, "словянськ водоканал", 0, false, &hs), 1, "the index was made again");
	if (sqlite3_prepare_v2(store_db(st), "SELECT name_folded FROM places", -1, &s, NULL) ==
	    SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		is_str((const char *)sqlite3_column_text(s, 0), key, "the place was keyed again");
	else
		ok(0, "the place is still there");
	sqlite3_finalize(s);
	store_close(st);
out:
	free(key);
	test_rmdir(dir);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 99;
	test_fold();
	test_one_fold();
	test_query();
	test_fold_version();
	return done_testing();
}
