/*
 * test-oplog.c - the op log: entry format, local writes, and the merge
 * rule.  The property test has several nodes edit the same records
 * concurrently while exchanging entries now and then, then delivers
 * the union of all entries to fresh replicas in random orders with
 * duplicates: every replica must end with identical tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/model.h"
#include "cimic/roster.h"
#include "cimic/oplog.h"
#include "oplog_private.h"
#include "support.h"
#include "tap.h"

#define NODES 4
#define MAXROWS 64

struct world {
	struct store *node[NODES];
	char *dir[NODES];
	unsigned char rows[MAXROWS][CIMIC_ID_BYTES];
	enum model_kind kinds[MAXROWS];
	int nrows;
	uint64_t rng;
};

/* ---- entries as raw bytes ---- */

struct rawlist {
	unsigned char **raw;
	size_t *len;
	size_t n, cap;
};

static int
collect_raw(const unsigned char *raw, size_t len, uint64_t seq, void *arg)
{
	struct rawlist *l = arg;

	(void)seq;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->raw = realloc(l->raw, l->cap * sizeof *l->raw);
		l->len = realloc(l->len, l->cap * sizeof *l->len);
	}
	l->raw[l->n] = malloc(len);
	memcpy(l->raw[l->n], raw, len);
	l->len[l->n++] = len;
	return 0;
}

static void
rawlist_free(struct rawlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->raw[i]);
	free(l->raw);
	free(l->len);
	memset(l, 0, sizeof *l);
}

/* Every entry `from` holds that `to` lacks (all of them when to is NULL). */
static void
entries_missing(struct store *from, struct store *to, struct rawlist *out)
{
	struct oplog_vv_item *vv;
	struct cimic_error err;
	size_t n;

	if (oplog_vv_load(from, SIZE_MAX, &vv, &n, &err) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		uint64_t have = 0;

		if (to != NULL)
			oplog_vv_get(to, vv[i].author, &have, NULL, &err);
		oplog_entries_after(from, vv[i].author, have, collect_raw, out, &err);
	}
	free(vv);
}

static int
apply_list(struct store *st, struct rawlist *l, size_t *order, size_t n)
{
	struct cimic_error err;

	if (store_begin(st, &err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t k = order ? order[i] : i;
		if (oplog_apply_entry(st, l->raw[k], l->len[k], NULL, &err) != 0) {
			tap_diag("apply: %s", err.msg);
			store_rollback(st);
			return -1;
		}
	}
	return store_commit(st, &err);
}

static void
sync_pair(struct store *a, struct store *b)
{
	struct rawlist l = { 0 };

	entries_missing(a, b, &l);
	apply_list(b, &l, NULL, l.n);
	rawlist_free(&l);
}

/* ---- random edits ---- */

static const char *const words[] = {
	"вода", "світло", "Харків", "об'єкт", "school", "shelter", "генератор", "Ізюм",
};

static void
random_edit(struct world *w, int node)
{
	struct store *st = w->node[node];
	struct oplog_txn *txn;
	struct cimic_error err;
	uint64_t r = test_rand(&w->rng);
	char val[64];

	if (oplog_begin(st, &txn, &err) != 0)
		return;
	if (w->nrows < 4 || (r % 10 == 0 && w->nrows < MAXROWS)) {
		struct model_change c;
		enum model_kind kind = r & 16 ? MODEL_CONTACT : MODEL_INCIDENT;
		model_change_init(&c, kind);
		snprintf(val, sizeof val, "%s %d", words[r % 8], w->nrows);
		model_change_parse(&c, kind == MODEL_CONTACT ? "name" : "title", val, 0, &err);
		if (model_create(txn, &c, w->rows[w->nrows], &err) == 0)
			w->kinds[w->nrows++] = kind;
		model_change_finish(&c);
	} else {
		int row = (int)((r >> 8) % (uint64_t)w->nrows);
		enum model_kind kind = w->kinds[row];
		struct model_change c;
		const char *field = kind == MODEL_CONTACT ? (r & 32 ? "name" : "phone")
							  : (r & 32 ? "title" : "severity");
		model_change_init(&c, kind);
		if (strcmp(field, "severity") == 0)
			snprintf(val, sizeof val, "%d", (int)(r >> 20) % 5 + 1);
		else
			snprintf(val, sizeof val, "%s", words[(r >> 20) % 8]);
		model_change_parse(&c, field, val, 0, &err);
		if ((r >> 40) % 7 == 0) {
			/* a human resolving whatever conflict the field has */
			const struct model_field *f = model_field_by_name(kind, field);
			oplog_resolve(txn, kind, w->rows[row], f->id,
				      &c.v[model_record_index(kind, field)], &err);
		} else if ((r >> 40) % 11 == 0) {
			model_archive(txn, kind, w->rows[row], (r >> 50) & 1, &err);
		} else {
			/* the row may not have reached this node yet: then the edit fails */
			model_update(txn, w->rows[row], &c, &err);
		}
		model_change_finish(&c);
	}
	oplog_commit(txn, &err);
}

/* A field store trusts hq as its HQ (peer add --hq): the authority rule needs to know it. */
static void
pin_hq(struct store *field, struct store *hq)
{
	char id[IDENTITY_STRING_MAX];
	struct oplog_txn *txn;
	struct cimic_error err;

	if (identity_string(store_identity(hq), id, sizeof id, &err) != 0 ||
	    oplog_begin(field, &txn, &err) != 0 || roster_add(txn, id, "hq", true, NULL, &err) != 0 ||
	    oplog_commit(txn, &err) != 0) {
		fprintf(stderr, "# pin_hq: %s\n", err.msg);
		exit(99);
	}
}

static void
shuffle(size_t *a, size_t n, uint64_t *rng)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(test_rand(rng) % i), t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* One seed: returns true when every replica converged. */
static bool
run_seed(uint64_t seed, long *conflicts_seen)
{
	struct world w = { 0 };
	struct rawlist all = { 0 };
	unsigned char ref[32], d[32];
	bool same = true;

	w.rng = seed * 0x9e3779b97f4a7c15ull + 1;
	for (int i = 0; i < NODES; i++)
		w.node[i] = test_store(i == 0 ? "HQ" : "field", i == 0 ? NODE_HQ : NODE_FIELD, &w.dir[i]);
	for (int i = 1; i < NODES; i++)
		pin_hq(w.node[i], w.node[0]);
	for (int step = 0; step < 60; step++) {
		uint64_t r = test_rand(&w.rng);
		random_edit(&w, (int)(r % NODES));
		if ((r >> 16) % 4 == 0)
			sync_pair(w.node[(r >> 20) % NODES], w.node[(r >> 24) % NODES]);
	}
	/* the union of everything, delivered to fresh replicas in random orders */
	for (int i = 0; i < NODES; i++) {
		struct rawlist mine = { 0 };
		entries_missing(w.node[i], NULL, &mine);
		for (size_t k = 0; k < mine.n; k++)
			collect_raw(mine.raw[k], mine.len[k], 0, &all);
		rawlist_free(&mine);
	}
	for (int rep = 0; rep < 3; rep++) {
		char *dir;
		struct store *fresh = test_store("observer", NODE_FIELD, &dir);
		pin_hq(fresh, w.node[0]);
		size_t n = all.n + all.n / 3, *order = malloc(n * sizeof *order);
		for (size_t i = 0; i < n; i++)
			order[i] = i < all.n ? i : (size_t)(test_rand(&w.rng) % all.n);
		shuffle(order, n, &w.rng);
		if (apply_list(fresh, &all, order, n) != 0)
			same = false;
		test_digest(fresh, rep == 0 ? ref : d);
		if (rep > 0 && memcmp(ref, d, 32) != 0)
			same = false;
		if (rep == 0)
			*conflicts_seen += oplog_conflict_count(fresh);
		free(order);
		store_close(fresh);
		test_rmdir(dir);
	}
	/* and the nodes themselves, after a full exchange */
	for (int i = 0; i < NODES; i++)
		for (int j = 0; j < NODES; j++)
			if (i != j)
				sync_pair(w.node[i], w.node[j]);
	for (int i = 0; i < NODES; i++) {
		test_digest(w.node[i], d);
		if (memcmp(ref, d, 32) != 0)
			same = false;
		store_close(w.node[i]);
		test_rmdir(w.dir[i]);
	}
	rawlist_free(&all);
	return same;
}

static void
test_convergence(void)
{
	long conflicts = 0;
	int bad = 0, seeds = 40;

	for (int s = 1; s <= seeds; s++)
		if (!run_seed((uint64_t)s, &conflicts)) {
			bad++;
			tap_diag("seed %d diverged", s);
		}
	ok(bad == 0, "%d seeds: every replica identical whatever the order and duplicates", seeds);
	ok(conflicts > 0, "the random edits opened conflicts (%ld in all), so merging was exercised",
	   conflicts);
}

/* A concurrent edit opens a conflict; a resolution closes it everywhere. */
static void
test_conflict_and_resolve(void)
{
	char *da, *db;
	struct store *a = test_store("A", NODE_HQ, &da), *b = test_store("B", NODE_FIELD, &db);
	struct oplog_txn *txn;
	struct cimic_error err;
	struct model_change c;
	unsigned char id[CIMIC_ID_BYTES];
	struct oplog_head *heads;
	size_t n;
	struct model_value v = { MV_TEXT, 0, (char *)"агреговано" };

	pin_hq(b, a);

	oplog_begin(a, &txn, &err);
	model_change_init(&c, MODEL_CONTACT);
	model_change_parse(&c, "name", "Іван", 0, &err);
	model_create(txn, &c, id, &err);
	model_change_finish(&c);
	oplog_commit(txn, &err);
	sync_pair(a, b);

	oplog_begin(a, &txn, &err);
	model_change_init(&c, MODEL_CONTACT);
	model_change_parse(&c, "phone", "+380 111", 0, &err);
	model_update(txn, id, &c, &err);
	model_change_finish(&c);
	oplog_commit(txn, &err);
	oplog_begin(b, &txn, &err);
	model_change_init(&c, MODEL_CONTACT);
	model_change_parse(&c, "phone", "+380 222", 0, &err);
	model_update(txn, id, &c, &err);
	model_change_finish(&c);
	oplog_commit(txn, &err);
	sync_pair(a, b);
	sync_pair(b, a);
	is_int(oplog_conflict_count(a), 1, "concurrent edits: one conflict at A");
	is_int(oplog_conflict_count(b), 1, "and one at B");
	ok(oplog_heads(a, MODEL_CONTACT, id, CF_PHONE, &heads, &n, &err) == 0 && n == 2,
	   "two heads with both values");
	if (n == 2)
		ok(heads[0].shown && !heads[1].shown && memcmp(heads[0].author, heads[1].author, 32) != 0,
		   "shown head first, authors differ");
	oplog_heads_free(heads, n);

	/* a normal edit at B replaces only what B showed: still a conflict */
	oplog_begin(b, &txn, &err);
	model_change_init(&c, MODEL_CONTACT);
	model_change_parse(&c, "phone", "+380 333", 0, &err);
	model_update(txn, id, &c, &err);
	model_change_finish(&c);
	oplog_commit(txn, &err);
	is_int(oplog_conflict_count(b), 1, "a plain edit does not hide the concurrent value");

	oplog_begin(a, &txn, &err);
	v.s = (char *)"+380 999";
	ok(oplog_resolve(txn, MODEL_CONTACT, id, CF_PHONE, &v, &err) == 0, "resolve");
	oplog_commit(txn, &err);
	sync_pair(a, b);
	sync_pair(b, a);
	is_int(oplog_conflict_count(b), 1, "B's later edit was concurrent with A's resolution");
	/* B is a field unit and the record is A's: its resolution waits for HQ */
	oplog_begin(b, &txn, &err);
	oplog_resolve(txn, MODEL_CONTACT, id, CF_PHONE, &v, &err);
	oplog_commit(txn, &err);
	sync_pair(b, a);
	is_int(oplog_conflict_count(a), 1, "a field unit's resolution of HQ's record waits for HQ");
	oplog_begin(a, &txn, &err);
	oplog_resolve(txn, MODEL_CONTACT, id, CF_PHONE, &v, &err);
	oplog_commit(txn, &err);
	sync_pair(a, b);
	is_int(oplog_conflict_count(a), 0, "resolution closes the conflict at A");
	is_int(oplog_conflict_count(b), 0, "and at B");
	store_close(a);
	store_close(b);
	test_rmdir(da);
	test_rmdir(db);
}

/* Tampered, truncated or extended entries are refused. */
static void
test_entry_tamper(void)
{
	char *d;
	struct store *st = test_store("T", NODE_FIELD, &d);
	struct rawlist l = { 0 };
	struct oplog_txn *txn;
	struct oplog_entry e;
	struct cimic_error err;
	struct model_change c;
	unsigned char id[CIMIC_ID_BYTES];
	int refused = 0, flips = 0;

	oplog_begin(st, &txn, &err);
	model_change_init(&c, MODEL_INCIDENT);
	model_change_parse(&c, "title", "Пошкоджено трубопровід", 0, &err);
	model_change_parse(&c, "severity", "3", 0, &err);
	model_create(txn, &c, id, &err);
	model_change_finish(&c);
	oplog_commit(txn, &err);
	entries_missing(st, NULL, &l);
	ok(l.n == 1, "one entry written");
	ok(oplog_entry_decode(l.raw[0], l.len[0], &e, &err) == 0 && e.nops == 5,
	   "entry decodes with 5 ops (title, type, severity, status, when)");
	oplog_entry_finish(&e);
	for (size_t i = 0; i < l.len[0] * 8; i++) {
		l.raw[0][i / 8] ^= (unsigned char)(1u << (i % 8));
		flips++;
		if (oplog_entry_decode(l.raw[0], l.len[0], &e, &err) != 0 && err.code == CIMIC_EDATA)
			refused++;
		else
			oplog_entry_finish(&e);
		l.raw[0][i / 8] ^= (unsigned char)(1u << (i % 8));
	}
	is_int(refused, flips, "every single-bit flip of an entry is refused (%d)", flips);
	refused = 0;
	for (size_t n = 0; n < l.len[0]; n++)
		if (oplog_entry_decode(l.raw[0], n, &e, &err) != 0)
			refused++;
	is_int(refused, (long long)l.len[0], "every truncation is refused");
	store_close(st);
	test_rmdir(d);
	rawlist_free(&l);
}

/* Regression: a flush with nothing touched passed NULL to qsort (UBSan). */
static void
test_flush_nothing(void)
{
	struct cimic_error err;
	char *dir;
	struct store *st = test_store("empty", NODE_FIELD, &dir);

	ok(store_begin(st, &err) == 0 && oplog_apply_flush(st, &err) == 0 && store_commit(st, &err) == 0,
	   "flushing with nothing touched is a no-op");
	store_close(st);
	test_rmdir(dir);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 99;
	test_flush_nothing();
	test_entry_tamper();
	test_conflict_and_resolve();
	test_convergence();
	return done_testing();
}
