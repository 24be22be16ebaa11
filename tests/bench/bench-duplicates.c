/*
 * bench-duplicates.c - `contact duplicates` at HQ's size.
 *
 * Fills an HQ store through the op log with N contacts (default
 * 100,000): random Ukrainian names (so namesakes abound, each with its
 * own phone and organisation) and P planted pairs (default 2,000): the
 * same person entered again as a second unit would, with the name words
 * in another order or with the patronymic or in Latin letters, another
 * apostrophe, the phone in another format (or missing), the
 * organisation abbreviated or written out, the e-mail in capitals.
 * One contact in ten has no phone, as in real lists, so some namesakes
 * in one organisation and town cannot be told apart: those are the
 * false pairs a person then dismisses.
 * Then times dup_find and prints the share of planted pairs found and
 * how many other pairs it proposed.
 *
 * Usage: bench-duplicates [N [P]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cimic/duplicates.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/store.h"
#include "../unit/support.h"

static const char *const first_uk[] = {
	"Іван", "Петро", "Олександр", "Андрій", "Микола", "Сергій", "Василь", "Юрій", "Олег",
	"Дмитро", "Володимир", "Богдан", "Тарас", "Роман", "Віктор", "Ігор", "Оксана", "Олена",
	"Наталія", "Ірина", "Тетяна", "Марія", "Світлана", "Людмила", "Галина", "Ганна",
	"Юлія", "Катерина", "Вікторія", "Ольга",
};
static const char *const first_lat[] = {
	"Ivan", "Petro", "Oleksandr", "Andrii", "Mykola", "Serhii", "Vasyl", "Yurii", "Oleh",
	"Dmytro", "Volodymyr", "Bohdan", "Taras", "Roman", "Viktor", "Ihor", "Oksana", "Olena",
	"Nataliia", "Iryna", "Tetiana", "Mariia", "Svitlana", "Liudmyla", "Halyna", "Hanna",
	"Yuliia", "Kateryna", "Viktoriia", "Olha",
};
#define NFIRST (sizeof first_uk / sizeof first_uk[0])
static const char *const stem_uk[] = {
	"Петр", "Коваль", "Шевч", "Бонд", "Ткач", "Кравч", "Олійн", "Мельн", "Савч", "Руд",
	"Марч", "Павл", "Гонч", "Лис", "Мороз", "Клим", "Левч", "Гриц", "Дяч", "Фед",
	"Сидор", "Бойч", "Кушн", "Сав", "Яков", "Гуц", "Зінч", "Тимош", "Остап", "Вовк",
};
static const char *const stem_lat[] = {
	"Petr", "Koval", "Shevch", "Bond", "Tkach", "Kravch", "Oliin", "Meln", "Savch", "Rud",
	"March", "Pavl", "Honch", "Lys", "Moroz", "Klym", "Levch", "Hryts", "Diach", "Fed",
	"Sydor", "Boich", "Kushn", "Sav", "Yakov", "Huts", "Zinch", "Tymosh", "Ostap", "Vovk",
};
static const char *const end_uk[] = { "енко", "ук", "ишин", "ар", "ович", "ак" };
static const char *const end_lat[] = { "enko", "uk", "yshyn", "ar", "ovych", "ak" };
#define NSTEM (sizeof stem_uk / sizeof stem_uk[0])
#define NEND (sizeof end_uk / sizeof end_uk[0])
static const char *const towns[] = {
	"Купʼянськ", "Ізюм", "Балаклія", "Чугуїв", "Лозова", "Харків", "Краматорськ",
	"Словʼянськ", "Барвінкове", "Богодухів", "Валки", "Вовчанськ", "Золочів", "Дергачі",
};
static const char *const towns_adj[] = {
	"Купʼянська", "Ізюмська", "Балаклійська", "Чугуївська", "Лозівська", "Харківська",
	"Краматорська", "Словʼянська", "Барвінківська", "Богодухівська", "Валківська",
	"Вовчанська", "Золочівська", "Дергачівська",
};
#define NTOWN (sizeof towns / sizeof towns[0])
static const struct { const char *abbr, *full; } bodies[] = {
	{ "МВА", "міська військова адміністрація" },
	{ "РВА", "районна військова адміністрація" },
	{ "ТГ", "територіальна громада" },
	{ "ЦРЛ", "центральна районна лікарня" },
	{ "РЕМ", "район електричних мереж" },
	{ "КП", "комунальне підприємство" },
};
#define NBODY (sizeof bodies / sizeof bodies[0])

struct person {
	unsigned first, stem, end, town, body, patronymic;
	unsigned phone;          /* 9 digits */
	bool email;
};

static const char *
pick_apostrophe(const char *s, uint64_t *rng, char *buf, size_t n)
{
	const char *p = strstr(s, "ʼ");

	if (p == NULL || test_rand(rng) % 2)
		return s;
	snprintf(buf, n, "%.*s'%s", (int)(p - s), s, p + strlen("ʼ"));
	return buf;
}

static void
name_of(const struct person *x, int variant, char *out, size_t n)
{
	switch (variant) {
	case 0: snprintf(out, n, "%s %s%s", first_uk[x->first], stem_uk[x->stem], end_uk[x->end]); break;
	case 1: snprintf(out, n, "%s%s %s", stem_uk[x->stem], end_uk[x->end], first_uk[x->first]); break;
	case 2:
		snprintf(out, n, "%s%s %s %sович", stem_uk[x->stem], end_uk[x->end], first_uk[x->first],
			 first_uk[x->patronymic]);
		break;
	default:
		snprintf(out, n, "%s %s%s", first_lat[x->first], stem_lat[x->stem], end_lat[x->end]);
		break;
	}
}

static void
phone_of(unsigned d, int variant, char *out, size_t n)
{
	unsigned op = d / 10000000, a = d / 10000 % 1000, b = d / 100 % 100, c = d % 100;

	switch (variant) {
	case 0: snprintf(out, n, "+380 %02u %03u %02u%02u", op, a, b, c); break;
	case 1: snprintf(out, n, "0%02u-%03u-%02u-%02u", op, a, b, c); break;
	case 2: snprintf(out, n, "+380%02u%03u%02u%02u", op, a, b, c); break;
	default: snprintf(out, n, "(0%02u) %03u %02u %02u", op, a, b, c); break;
	}
}

static int
add_contact(struct oplog_txn *txn, const struct person *x, int name_variant, int phone_variant,
	    bool abbreviated, bool upper_email, uint64_t *rng, unsigned char id[CIMIC_ID_BYTES])
{
	struct model_change c;
	struct cimic_error err;
	char name[160], phone[40], org[200], town[64], email[80];
	int rc;

	name_of(x, name_variant, name, sizeof name);
	if (abbreviated)
		snprintf(org, sizeof org, "%s %s", towns_adj[x->town], bodies[x->body].abbr);
	else
		snprintf(org, sizeof org, "%s %s", towns_adj[x->town], bodies[x->body].full);
	snprintf(town, sizeof town, "%s", towns[x->town]);
	model_change_init(&c, MODEL_CONTACT);
	rc = model_change_parse(&c, "name", name, 0, &err);
	if (rc == 0)
		rc = model_change_parse(&c, "org", pick_apostrophe(org, rng, (char[200]){ 0 }, 200), 0, &err);
	if (rc == 0)
		rc = model_change_parse(&c, "settlement", pick_apostrophe(town, rng, (char[64]){ 0 }, 64), 0,
					&err);
	if (rc == 0 && phone_variant >= 0) {
		phone_of(x->phone, phone_variant, phone, sizeof phone);
		rc = model_change_parse(&c, "phone", phone, 0, &err);
	}
	if (rc == 0 && x->email) {
		snprintf(email, sizeof email, "%s%u@example.org", upper_email ? "USER" : "user", x->phone);
		rc = model_change_parse(&c, "email", email, 0, &err);
	}
	if (rc == 0)
		rc = model_create(txn, &c, id, &err);
	if (rc != 0)
		fprintf(stderr, "bench-duplicates: %s\n", err.msg);
	model_change_finish(&c);
	return rc;
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
random_person(struct person *x, uint64_t *rng)
{
	x->first = (unsigned)(test_rand(rng) % NFIRST);
	x->stem = (unsigned)(test_rand(rng) % NSTEM);
	x->end = (unsigned)(test_rand(rng) % NEND);
	x->patronymic = (unsigned)(test_rand(rng) % 16);
	x->town = (unsigned)(test_rand(rng) % NTOWN);
	x->body = (unsigned)(test_rand(rng) % NBODY);
	x->phone = 500000000u + (unsigned)(test_rand(rng) % 499999999u);
	x->email = test_rand(rng) % 4 == 0;
}

static bool
planted(unsigned char (*pairs)[2][CIMIC_ID_BYTES], size_t n, const struct dup_pair *p)
{
	for (size_t i = 0; i < n; i++)
		if ((memcmp(pairs[i][0], p->a, CIMIC_ID_BYTES) == 0 &&
		     memcmp(pairs[i][1], p->b, CIMIC_ID_BYTES) == 0) ||
		    (memcmp(pairs[i][0], p->b, CIMIC_ID_BYTES) == 0 &&
		     memcmp(pairs[i][1], p->a, CIMIC_ID_BYTES) == 0))
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	long total = argc > 1 ? atol(argv[1]) : 100000, npairs = argc > 2 ? atol(argv[2]) : 2000;
	unsigned char (*pairs)[2][CIMIC_ID_BYTES] = calloc((size_t)npairs, sizeof *pairs);
	unsigned char id[CIMIC_ID_BYTES];
	struct oplog_txn *txn;
	struct cimic_error err;
	struct dup_list l;
	struct store *st;
	uint64_t rng = 20261202;
	size_t found = 0, false_pairs = 0, false_no_contact = 0;
	double t0, t1, t2;
	char *dir;

	if (sodium_init() < 0 || pairs == NULL || total < 2 * npairs || (st = test_store("HQ", NODE_HQ, &dir)) == NULL)
		return 1;
	t0 = now_s();
	if (oplog_begin(st, &txn, &err) != 0)
		return 1;
	for (long i = 0; i < npairs; i++) {
		struct person x;
		int v = (int)(test_rand(&rng) % 3) + 1;
		bool phone_lost = test_rand(&rng) % 5 == 0;
		random_person(&x, &rng);
		if (add_contact(txn, &x, 0, 0, true, false, &rng, pairs[i][0]) != 0 ||
		    add_contact(txn, &x, v, phone_lost ? -1 : 1 + (int)(test_rand(&rng) % 3),
				test_rand(&rng) % 2, true, &rng, pairs[i][1]) != 0)
			return 1;
	}
	for (long i = 2 * npairs; i < total; i++) {
		struct person x;
		random_person(&x, &rng);
		int phone = test_rand(&rng) % 10 == 0 ? -1 : (int)(test_rand(&rng) % 4);
		if (add_contact(txn, &x, (int)(test_rand(&rng) % 2), phone,
				test_rand(&rng) % 2, false, &rng, id) != 0)
			return 1;
	}
	if (oplog_commit(txn, &err) != 0) {
		fprintf(stderr, "bench-duplicates: %s\n", err.msg);
		return 1;
	}
	t1 = now_s();
	dup_list_init(&l);
	if (dup_find(st, MODEL_CONTACT, &l, &err) != 0) {
		fprintf(stderr, "bench-duplicates: %s\n", err.msg);
		return 1;
	}
	t2 = now_s();
	for (size_t i = 0; i < l.n; i++) {
		if (planted(pairs, (size_t)npairs, &l.pairs[i]))
			found++;
		else
			false_pairs++;
		if (!planted(pairs, (size_t)npairs, &l.pairs[i]) &&
		    !(l.pairs[i].reasons & (DUP_PHONE | DUP_EMAIL)))
			false_no_contact++;
	}
	printf("contacts: %zu (%ld planted pairs), filled in %.1f s\n", l.records, npairs, t1 - t0);
	printf("duplicates: %.2f s, %zu pairs proposed\n", t2 - t1, l.n);
	printf("planted pairs found: %zu of %ld (%.1f%%)\n", found, npairs, 100.0 * (double)found / (double)npairs);
	printf("false pairs proposed: %zu (%.1f%% of the proposed), %zu of them namesakes in one\n"
	       "  organisation and settlement with no phone or e-mail to tell them apart\n", false_pairs,
	       l.n ? 100.0 * (double)false_pairs / (double)l.n : 0.0, false_no_contact);
	dup_list_finish(&l);
	store_close(st);
	test_rmdir(dir);
	free(pairs);
	return 0;
}
