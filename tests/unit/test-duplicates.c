/*
 * test-duplicates.c - which pairs dup_find proposes, dismissal, and the
 * merged view (duplicates.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/duplicates.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "support.h"
#include "tap.h"

struct person {
	const char *name, *org, *phone, *email, *settlement;
};

static void
add(struct store *st, const struct person *p, unsigned char id[CIMIC_ID_BYTES])
{
	struct model_change c;
	struct cimic_error err;
	struct oplog_txn *txn;
	const char *fields[] = { "name", "org", "phone", "email", "settlement" };
	const char *values[] = { p->name, p->org, p->phone, p->email, p->settlement };

	model_change_init(&c, MODEL_CONTACT);
	for (size_t i = 0; i < 5; i++)
		if (values[i])
			model_change_parse(&c, fields[i], values[i], 0, &err);
	if (oplog_begin(st, &txn, &err) != 0 || model_create(txn, &c, id, &err) != 0 ||
	    oplog_commit(txn, &err) != 0)
		tap_diag("add: %s", err.msg);
	model_change_finish(&c);
}

/* The pair's entry in l, or NULL. */
static const struct dup_pair *
find_pair(const struct dup_list *l, const unsigned char *a, const unsigned char *b)
{
	for (size_t i = 0; i < l->n; i++)
		if ((!memcmp(l->pairs[i].a, a, CIMIC_ID_BYTES) && !memcmp(l->pairs[i].b, b, CIMIC_ID_BYTES)) ||
		    (!memcmp(l->pairs[i].a, b, CIMIC_ID_BYTES) && !memcmp(l->pairs[i].b, a, CIMIC_ID_BYTES)))
			return &l->pairs[i];
	return NULL;
}

static void
test_pairs(void)
{
	static const struct {
		struct person x, y;
		bool proposed;
		unsigned reasons;   /* expected among the reasons */
		const char *what;
	} cases[] = {
		{ { "Іван Петренко", "Купʼянська МВА", "+380 50 123 4567", NULL, NULL },
		  { "Петренко Іван Васильович", "Куп'янська міська військова адміністрація", "050-123-45-67", NULL, NULL },
		  true, DUP_NAME | DUP_PHONE | DUP_ORG, "name order, patronymic, apostrophe, phone format, abbreviation" },
		{ { "Іван Петренко", "Купʼянська МВА", "+380 50 123 4567", NULL, NULL },
		  { "Іван Петренко", "Ізюмська РДА", "+380 67 765 4321", NULL, NULL },
		  false, 0, "a namesake with another phone and organisation" },
		{ { "Ivan Petrenko", NULL, "(050) 123 45 67", NULL, NULL },
		  { "Іван Петренко", NULL, "+380501234567", NULL, NULL },
		  true, DUP_NAME | DUP_PHONE, "Latin transliteration" },
		{ { "Олена Ткачук", "ГО «Схід»", NULL, "Olena@Example.org", NULL },
		  { "Ткачук О.", NULL, NULL, "olena@example.org", NULL },
		  true, DUP_EMAIL, "the same e-mail in another case" },
		{ { "Олена Ткачук", "Балаклійська ТГ", NULL, NULL, "Балаклія" },
		  { "Ткачук Олена", "Балаклійська територіальна громада", NULL, NULL, "балаклія" },
		  true, DUP_NAME | DUP_ORG | DUP_SETTLEMENT, "name, organisation and settlement, no phone" },
		{ { "Олена Ткачук", NULL, NULL, NULL, NULL },
		  { "Олена Ткачук", NULL, NULL, NULL, NULL },
		  false, 0, "a name alone is not enough" },
		{ { "Петро Коваль", "КП Водоканал", "+380 57 700 1122", NULL, NULL },
		  { "Андрій Мельник", "Лозівська РЕМ", "+380 66 000 1122", NULL, NULL },
		  false, 0, "the same last digits of two different numbers" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char a[CIMIC_ID_BYTES], b[CIMIC_ID_BYTES];
		struct cimic_error err;
		struct dup_list l;
		const struct dup_pair *p;
		char *dir;
		struct store *st = test_store("HQ", NODE_HQ, &dir);

		add(st, &cases[i].x, a);
		add(st, &cases[i].y, b);
		dup_list_init(&l);
		ok(dup_find(st, MODEL_CONTACT, &l, &err) == 0, "dup_find runs (%s)", cases[i].what);
		p = find_pair(&l, a, b);
		ok((p != NULL) == cases[i].proposed, "%s: %s", cases[i].what,
		   cases[i].proposed ? "proposed" : "not proposed");
		if (p && cases[i].proposed)
			ok((p->reasons & cases[i].reasons) == cases[i].reasons, "%s: the reasons", cases[i].what);
		dup_list_finish(&l);
		store_close(st);
		test_rmdir(dir);
	}
}

static void
test_dismiss_and_view(void)
{
	static const struct person x = { "Іван Петренко", "Купʼянська МВА", "+380 50 123 4567", NULL, NULL };
	static const struct person y = { "Петренко Іван", NULL, "0501234567", "p@example.org", NULL };
	unsigned char a[CIMIC_ID_BYTES], b[CIMIC_ID_BYTES];
	struct model_merged_view mv;
	struct model_record rec;
	struct cimic_error err;
	struct oplog_txn *txn;
	struct dup_list l;
	char *dir;
	struct store *st = test_store("HQ", NODE_HQ, &dir);

	add(st, &x, a);
	add(st, &y, b);
	ok(oplog_begin(st, &txn, &err) == 0 && dup_dismiss(txn, MODEL_CONTACT, a, b, true, &err) == 0 &&
	   oplog_commit(txn, &err) == 0, "dismiss");
	dup_list_init(&l);
	dup_find(st, MODEL_CONTACT, &l, &err);
	ok(find_pair(&l, a, b) == NULL, "a dismissed pair is not proposed");
	dup_list_finish(&l);
	ok(oplog_begin(st, &txn, &err) == 0 && dup_dismiss(txn, MODEL_CONTACT, a, a, true, &err) != 0,
	   "a record is not dismissed against itself");
	oplog_abort(txn);
	ok(oplog_begin(st, &txn, &err) == 0 && dup_dismiss(txn, MODEL_CONTACT, b, a, false, &err) == 0 &&
	   oplog_commit(txn, &err) == 0, "undismiss, named the other way round");
	dup_list_init(&l);
	dup_find(st, MODEL_CONTACT, &l, &err);
	ok(find_pair(&l, a, b) != NULL, "proposed again");
	dup_list_finish(&l);

	ok(oplog_begin(st, &txn, &err) == 0 && model_merge_record(txn, MODEL_CONTACT, b, a, &err) == 0 &&
	   oplog_commit(txn, &err) == 0, "merge");
	model_record_init(&rec, MODEL_CONTACT);
	ok(model_get(st, MODEL_CONTACT, a, &rec, &err) == 0 && model_merged_view(st, &rec, &mv, &err) == 0,
	   "the merged view");
	is_int(mv.nfrom, 1, "one record merged in");
	is_str(model_record_get(&rec, "email")->s, "p@example.org", "an empty field takes the loser's value");
	ok(mv.filled[model_record_index(MODEL_CONTACT, "email")], "and says so");
	is_int(mv.nalts, 2, "the loser's other name and phone are alternatives");
	model_merged_view_finish(&mv);
	model_record_finish(&rec);
	ok(oplog_begin(st, &txn, &err) == 0 && model_merge_record(txn, MODEL_CONTACT, b, a, &err) != 0,
	   "a merged record is not merged again");
	oplog_abort(txn);
	ok(oplog_begin(st, &txn, &err) == 0 && model_merge_record(txn, MODEL_CONTACT, a, b, &err) != 0,
	   "nothing merges into a merged record");
	oplog_abort(txn);
	store_close(st);
	test_rmdir(dir);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 99;
	test_pairs();
	test_dismiss_and_view();
	return done_testing();
}
