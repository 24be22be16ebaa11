/*
 * bench-oplog.c - what the op log costs.
 *
 * Adds N incidents (default 100,000) in one batch through the op log
 * (signed entries, ops, heads, materialised table, search index) and
 * compares the time with plain INSERTs of the same rows into a bare
 * table of a plain SQLite file, measured in the same run.  Then times
 * full-text queries over the set and reports the median.
 *
 * Usage: bench-oplog [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/search.h"
#include "cimic/store.h"
#include "../unit/support.h"
#include "store_private.h"

static const char *const words[] = {
	"водогін", "пошкоджено", "відключення", "електроенергії", "обстріл", "евакуація",
	"лікарня", "школа", "укриття", "генератор", "котельня", "опалення", "газопровід",
	"дитячий", "садок", "міст", "дорога", "склад", "гуманітарна", "допомога", "вода",
	"зв'язок", "пожежа", "мешканці", "будинок", "поранені", "маломобільні", "пункт",
	"незламності", "ремонт", "бригада", "аварійна",
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
#define NVOCAB 6000

/*
 * Real reports mix a few very common words with a long tail of names,
 * streets and places.  The vocabulary is the common words above plus
 * generated Ukrainian-looking words, drawn with a Zipf-like law.
 */
static char vocab[NVOCAB][32];

static void
make_vocab(void)
{
	static const char *const syl[] = {
		"ко", "ва", "ли", "ше", "ні", "да", "ро", "мі", "ти", "бо", "гу", "че", "за", "пі",
		"хо", "ле", "ря", "сі", "ну", "ка", "де", "во", "жи", "ма",
	};
	uint64_t rng = 99;

	for (int i = 0; i < NVOCAB; i++) {
		if ((size_t)i < NW) {
			snprintf(vocab[i], sizeof vocab[i], "%s", words[i]);
			continue;
		}
		vocab[i][0] = '\0';
		for (int k = 0, n = 2 + (int)(test_rand(&rng) % 3); k < n; k++)
			strcat(vocab[i], syl[test_rand(&rng) % 24]);
		strcat(vocab[i], i % 3 ? "ськ" : "ич");
	}
}

/* Index drawn with probability ~ 1/(i+1). */
static int
zipf(uint64_t *rng)
{
	double u = (double)(test_rand(rng) >> 11) / 9007199254740992.0;
	int i = (int)(exp(u * log((double)NVOCAB + 1.0))) - 1;
	return i < 0 ? 0 : i >= NVOCAB ? NVOCAB - 1 : i;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct row {
	char title[160], desc[400], loc[40], when[32], sev[4];
	const char *type, *town;
};

static void
make_row(struct row *r, uint64_t *rng, int i)
{
	uint64_t x = test_rand(rng);
	size_t n = 0;

	snprintf(r->title, sizeof r->title, "%s %s %s", vocab[zipf(rng)], vocab[zipf(rng)],
		 vocab[zipf(rng)]);
	r->desc[0] = '\0';
	for (int k = 0; k < 10; k++)
		n += (size_t)snprintf(r->desc + n, sizeof r->desc - n, "%s ", vocab[zipf(rng)]);
	r->type = types[x % 8];
	r->town = towns[(x >> 8) % 14];
	snprintf(r->sev, sizeof r->sev, "%d", (int)((x >> 16) % 5) + 1);
	snprintf(r->loc, sizeof r->loc, "%d.%05d,%d.%05d", 46 + (int)((x >> 20) % 6),
		 (int)((x >> 24) % 100000), 30 + (int)((x >> 40) % 8), (int)((x >> 44) % 100000));
	snprintf(r->when, sizeof r->when, "2026-%02d-%02dT%02d:%02d:00Z", 1 + i % 11, 1 + i % 28,
		 i % 24, i % 60);
}

static double
bench_bare(const char *dir, int n)
{
	char path[600];
	sqlite3 *db;
	sqlite3_stmt *s;
	uint64_t rng = 42;
	struct row r;
	double t0;

	snprintf(path, sizeof path, "%s/bare.db", dir);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE incidents(id BLOB, title, type, severity, status, occurred,"
			 " location, settlement, description)", NULL, NULL, NULL);
	t0 = now_s();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO incidents VALUES(?,?,?,?,?,?,?,?,?)", -1, &s, NULL);
	for (int i = 0; i < n; i++) {
		unsigned char id[16];
		make_row(&r, &rng, i);
		randombytes_buf(id, sizeof id);
		sqlite3_bind_blob(s, 1, id, 16, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, r.title, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, r.type, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, atoi(r.sev));
		sqlite3_bind_text(s, 5, "reported", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, r.when, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, r.loc, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 8, r.town, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 9, r.desc, -1, SQLITE_STATIC);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	t0 = now_s() - t0;
	sqlite3_close(db);
	return t0;
}

static double
bench_oplog(struct store *st, int n)
{
	struct oplog_txn *txn;
	struct cimic_error err;
	uint64_t rng = 42;
	struct row r;
	double t0 = now_s();

	if (oplog_begin(st, &txn, &err) != 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		struct model_change c;
		unsigned char id[CIMIC_ID_BYTES];
		make_row(&r, &rng, i);
		model_change_init(&c, MODEL_INCIDENT);
		if (model_change_parse(&c, "title", r.title, 0, &err) ||
		    model_change_parse(&c, "type", r.type, 0, &err) ||
		    model_change_parse(&c, "severity", r.sev, 0, &err) ||
		    model_change_parse(&c, "when", r.when, 0, &err) ||
		    model_change_parse(&c, "location", r.loc, 0, &err) ||
		    model_change_parse(&c, "settlement", r.town, 0, &err) ||
		    model_change_parse(&c, "description", r.desc, 0, &err) ||
		    model_create(txn, &c, id, &err)) {
			model_change_finish(&c);
			oplog_abort(txn);
			goto fail;
		}
		model_change_finish(&c);
	}
	if (oplog_commit(txn, &err) != 0)
		goto fail;
	return now_s() - t0;
fail:
	fprintf(stderr, "bench-oplog: %s\n", err.msg);
	exit(1);
}

static int
count_hit(const struct search_hit *h, void *arg)
{
	(void)h;
	(*(int *)arg)++;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void
bench_search(struct store *st)
{
	enum { Q = 200 };
	double t[Q];
	uint64_t rng = 7;
	struct cimic_error err;
	long hits = 0;

	for (int i = 0; i < Q; i++) {
		char q[128];
		uint64_t x = test_rand(&rng);
		int h = 0;
		double t0;
		/* a word and a town, or the first letters of a word, as people type */
		if (i % 2)
			snprintf(q, sizeof q, "%s %s", vocab[x % NVOCAB], towns[(x >> 16) % 14]);
		else
			snprintf(q, sizeof q, "%.8s", vocab[x % NVOCAB]);
		t0 = now_s();
		search_query(st, q, 0, false, 50, count_hit, &h, &err);
		t[i] = now_s() - t0;
		hits += h;
	}
	qsort(t, Q, sizeof t[0], cmp_double);
	printf("fts query (top 50, %d queries): median %.2f ms, p90 %.2f ms, max %.2f ms, %ld hits\n",
	       Q, t[Q / 2] * 1e3, t[Q * 9 / 10] * 1e3, t[Q - 1] * 1e3, hits);
	printf("RESULT: full-text query, median of %d | %.2f ms\n", Q, t[Q / 2] * 1e3);
}

/*
 * The forms a person means (section "search" of cimic(1)): a word inside
 * a compound, a romanised town, a case form, a phone number by digits.
 */
static void
bench_search_meant(struct store *st)
{
	static const char *const kinds[] = { "водоканал", "kharkiv", "водогону", "0577314401", "kupiansk",
					     "опаленню" };
	enum { Q = 120 };
	double t[Q];
	struct cimic_error err;
	long hits = 0;

	for (int i = 0; i < Q; i++) {
		int h = 0;
		double t0 = now_s();
		search_query(st, kinds[i % 6], 0, false, 50, count_hit, &h, &err);
		t[i] = now_s() - t0;
		hits += h;
	}
	qsort(t, Q, sizeof t[0], cmp_double);
	printf("fts query, forms meant (compound, romanised, stem, phone; %d queries): median %.2f ms, "
	       "p90 %.2f ms, max %.2f ms, %ld hits\n", Q, t[Q / 2] * 1e3, t[Q * 9 / 10] * 1e3, t[Q - 1] * 1e3,
	       hits);
	printf("RESULT: full-text query for the forms meant, median of %d | %.2f ms\n", Q, t[Q / 2] * 1e3);
}

/* Bytes of the incidents' full-text index (its segments and doc sizes), per record. */
static void
bench_index_size(struct store *st, int n)
{
	sqlite3_stmt *s;
	double bytes = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT (SELECT sum(length(block)) FROM incidents_fts_data) +"
				       " (SELECT coalesce(sum(length(sz)), 0) FROM incidents_fts_docsize) +"
				       " (SELECT sum(length(c0) + coalesce(length(c1), 0)) FROM incidents_fts_content)",
			       -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		bytes = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	printf("RESULT: full-text index (words, derived tokens, their text) per incident | %.0f bytes\n",
	       bytes / n);
}

/* The worst case: the most common words, matching a large part of the set. */
static void
bench_search_common(struct store *st)
{
	struct cimic_error err;

	for (int i = 0; i < 3; i++) {
		int h = 0;
		double t0 = now_s();
		search_query(st, vocab[i], 0, false, 50, count_hit, &h, &err);
		printf("fts query for the %d%s most common word '%s': %.2f ms\n", i + 1,
		       i == 0 ? "st" : i == 1 ? "nd" : "rd", vocab[i], (now_s() - t0) * 1e3);
	}
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100000;
	char *dir;
	struct store *st;
	double bare, op;
	long entries, ops;
	struct cimic_error err;

	if (sodium_init() < 0 || n <= 0)
		return 1;
	make_vocab();
	st = test_store("bench", NODE_FIELD, &dir);
	bare = bench_bare(dir, n);
	op = bench_oplog(st, n);
	oplog_stats(st, &entries, &ops, &err);
	printf("incidents: %d\n", n);
	printf("bare INSERT, plain SQLite file:         %8.3f s  (%.0f rows/s)\n", bare, n / bare);
	printf("through the op log, encrypted store:    %8.3f s  (%.0f rows/s; %ld entries, %ld ops)\n",
	       op, n / op, entries, ops);
	printf("ratio op log / bare INSERT:             %8.2fx\n", op / bare);
	printf("RESULT: %d incidents through the op log vs bare INSERTs | %.2fx (%.0f rows/s)\n", n,
	       op / bare, n / op);
	bench_search(st);
	bench_search_meant(st);
	bench_search_common(st);
	bench_index_size(st, n);
	store_close(st);
	test_rmdir(dir);
	return 0;
}
