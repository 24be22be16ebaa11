/*
 * test-convergence.c - property: an HQ and three field units that edit
 * the same records concurrently and exchange bundles in random orders,
 * with bundles duplicated, delayed and lost, hold identical data after
 * one final full exchange.  Roles are mixed: any node archives, merges
 * and resolves any record, so some of those changes wait for HQ's review
 * (DESIGN.md section 4) and HQ accepts some of them; the review lists
 * must be identical too.  Hundreds of seeds (CONVERGENCE_SEEDS, default
 * 200); each seed builds fresh stores and drives the library directly.
 */
#include <stdlib.h>
#include <string.h>

#include "sync-support.h"
#include "tap.h"

#define UNITS 3
#define NODES (UNITS + 1)   /* node 0 is HQ */
#define MAXROWS 64
#define MAXPENDING 64

struct world {
	struct store *st[NODES];
	char *dir[NODES];
	char *usb;
	unsigned char rows[MAXROWS][CIMIC_ID_BYTES];
	enum model_kind kind[MAXROWS];
	int nrows;
	char *pending[MAXPENDING];   /* delayed bundle files, owned */
	int pending_to[MAXPENDING];
	int npending;
	int files;
	uint64_t rng;
	int import_errors;
};

static unsigned
pick(struct world *w, unsigned n)
{
	return (unsigned)(test_rand(&w->rng) % n);
}

static bool
holds(struct store *st, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES])
{
	struct model_record rec;
	struct cimic_error err;
	int rc;

	model_record_init(&rec, kind);
	rc = model_get(st, kind, id, &rec, &err);
	model_record_finish(&rec);
	return rc == 0;
}

static void
op_add(struct world *w, struct store *st)
{
	enum model_kind k = pick(w, 2) ? MODEL_CONTACT : MODEL_INCIDENT;
	char text[40];

	if (w->nrows >= MAXROWS)
		return;
	snprintf(text, sizeof text, "запис %u", pick(w, 100000));
	if (sync_add(st, k, text, w->rows[w->nrows]) == 0)
		w->kind[w->nrows++] = k;
}

static void
op_edit(struct world *w, struct store *st)
{
	int r = (int)pick(w, (unsigned)w->nrows);
	char text[40];

	if (!holds(st, w->kind[r], w->rows[r]))
		return;
	snprintf(text, sizeof text, "%u", pick(w, 5) + 1);
	if (w->kind[r] == MODEL_CONTACT)
		sync_edit(st, MODEL_CONTACT, w->rows[r], pick(w, 2) ? "phone" : "notes", text);
	else
		sync_edit(st, MODEL_INCIDENT, w->rows[r], pick(w, 2) ? "severity" : "description", text);
}

/* Archive, link, merge or resolve: the rarer operations. */
static void
op_other(struct world *w, struct store *st, bool hq)
{
	int a = (int)pick(w, (unsigned)w->nrows), b = (int)pick(w, (unsigned)w->nrows);
	struct oplog_txn *txn;
	struct cimic_error err;
	int rc = -1;

	if (!holds(st, w->kind[a], w->rows[a]) || !holds(st, w->kind[b], w->rows[b]) ||
	    oplog_begin(st, &txn, &err) != 0)
		return;
	switch (pick(w, 3)) {
	case 0:
		rc = model_archive(txn, w->kind[a], w->rows[a], pick(w, 2), &err);
		break;
	case 1:
		if (w->kind[a] == MODEL_INCIDENT && w->kind[b] == MODEL_CONTACT)
			rc = model_link(txn, w->rows[a], w->rows[b], true, &err);
		break;
	default:
		if (w->kind[a] == MODEL_CONTACT && w->kind[b] == MODEL_CONTACT && a != b)
			rc = pick(w, 3) ? model_merge_record(txn, MODEL_CONTACT, w->rows[a], w->rows[b], &err)
					: model_unmerge_record(txn, MODEL_CONTACT, w->rows[a], &err);
		break;
	}
	if (rc == 0)
		oplog_commit(txn, &err);
	else
		oplog_abort(txn);
}

/* HQ accepts the first change waiting for its review. */
static int
accept_first(const struct oplog_waiting *wt, void *arg)
{
	struct store *st = arg;
	struct oplog_txn *txn;
	struct cimic_error err;
	struct oplog_waiting copy = *wt;

	if (wt->v.type == MV_TEXT && (copy.v.s = strdup(wt->v.s)) == NULL)
		return 1;
	if (oplog_begin(st, &txn, &err) == 0) {
		if (oplog_resolve(txn, copy.tbl, copy.row, copy.field, &copy.v, &err) == 0)
			oplog_commit(txn, &err);
		else
			oplog_abort(txn);
	}
	model_value_finish(&copy.v);
	return 1;   /* one per call */
}

static int
resolve_first(const struct oplog_conflict *c, void *arg)
{
	struct store *st = arg;
	struct oplog_head *h;
	struct oplog_txn *txn;
	struct cimic_error err;
	size_t n;

	if (oplog_heads(st, c->tbl, c->row, c->field, &h, &n, &err) != 0 || n == 0)
		return 1;
	if (oplog_begin(st, &txn, &err) == 0) {
		if (oplog_resolve(txn, c->tbl, c->row, c->field, &h[n - 1].v, &err) == 0)
			oplog_commit(txn, &err);
		else
			oplog_abort(txn);
	}
	oplog_heads_free(h, n);
	return 1;   /* one per call */
}

static void
work(struct world *w)
{
	int node = (int)pick(w, NODES);
	struct store *st = w->st[node];
	unsigned r = pick(w, 10);
	struct cimic_error err;

	if (w->nrows == 0 || r < 3)
		op_add(w, st);
	else if (r < 8)
		op_edit(w, st);
	else if (r < 9)
		op_other(w, st, node == 0);
	else if (node == 0 && pick(w, 2))
		oplog_waiting_each(st, accept_first, st, &err);
	else
		oplog_conflicts(st, resolve_first, st, &err);
}

static void
deliver(struct world *w, const char *path, int to)
{
	struct exchange_result res;

	if (sync_import(w->st[to], path, &res) != 0)
		w->import_errors++;
}

/* One bundle from `from` to `to`, with a random fate. */
static void
carry(struct world *w, int from, int to)
{
	char path[600];

	snprintf(path, sizeof path, "%s/b%d", w->usb, w->files++);
	if (sync_bundle(w->st[from], w->st[to], path) != 0) {
		w->import_errors++;
		return;
	}
	switch (pick(w, 6)) {
	case 0:    /* lost */
		break;
	case 1:    /* duplicated */
		deliver(w, path, to);
		deliver(w, path, to);
		break;
	case 2:    /* delayed */
		if (w->npending < MAXPENDING) {
			w->pending[w->npending] = strdup(path);
			w->pending_to[w->npending++] = to;
			break;
		}
		/* fall through */
	default:
		deliver(w, path, to);
	}
}

static void
deliver_pending(struct world *w, bool all)
{
	for (int i = 0; i < w->npending;) {
		if (!all && pick(w, 2)) {
			i++;
			continue;
		}
		deliver(w, w->pending[i], w->pending_to[i]);
		free(w->pending[i]);
		w->pending[i] = w->pending[--w->npending];
		w->pending_to[i] = w->pending_to[w->npending];
	}
}

static void
world_init(struct world *w, uint64_t seed)
{
	char unit[16];

	memset(w, 0, sizeof *w);
	w->rng = seed * 0x9e3779b97f4a7c15ull + 1;
	w->usb = test_tmpdir();
	w->st[0] = test_store("HQ", NODE_HQ, &w->dir[0]);
	for (int i = 1; i < NODES; i++) {
		snprintf(unit, sizeof unit, "u%d", i);
		w->st[i] = test_store(unit, NODE_FIELD, &w->dir[i]);
		sync_enrol(w->st[0], w->st[i], unit);
	}
}

static void
world_finish(struct world *w)
{
	for (int i = 0; i < NODES; i++) {
		store_close(w->st[i]);
		test_rmdir(w->dir[i]);
	}
	for (int i = 0; i < w->npending; i++)
		free(w->pending[i]);
	test_rmdir(w->usb);
}

static void
data_digest(struct store *st, unsigned char out[32])
{
	crypto_generichash_state h;
	sqlite3 *db = store_db(st);

	crypto_generichash_init(&h, NULL, 0, 32);
	digest_query(db, "SELECT * FROM contacts ORDER BY id", &h);
	digest_query(db, "SELECT * FROM incidents ORDER BY id", &h);
	digest_query(db, "SELECT * FROM links ORDER BY id", &h);
	digest_query(db, "SELECT row, field, tbl FROM conflicts ORDER BY row, field", &h);
	digest_query(db, "SELECT id, head FROM ops WHERE head >= 2 ORDER BY id", &h);
	crypto_generichash_final(&h, out, 32);
}

/* Returns true when every replica ends equal. */
static long total_rows, total_conflicts, total_entries;

static bool
run_seed(uint64_t seed, int *errors)
{
	struct world w;
	unsigned char d[NODES][32];
	bool same = true;

	world_init(&w, seed);
	for (int round = 0; round < 10; round++) {
		for (unsigned k = pick(&w, 4) + 1; k > 0; k--)
			work(&w);
		for (unsigned k = pick(&w, 4); k > 0; k--) {
			int u = (int)pick(&w, UNITS) + 1;
			if (pick(&w, 2))
				carry(&w, u, 0);
			else
				carry(&w, 0, u);
		}
		if (pick(&w, 3) == 0)
			deliver_pending(&w, false);
	}
	deliver_pending(&w, true);
	for (int u = 1; u < NODES; u++) {
		char path[600];
		snprintf(path, sizeof path, "%s/final-in-%d", w.usb, u);
		if (sync_bundle(w.st[u], w.st[0], path) == 0)
			deliver(&w, path, 0);
	}
	for (int u = 1; u < NODES; u++) {
		char path[600];
		snprintf(path, sizeof path, "%s/final-out-%d", w.usb, u);
		if (sync_bundle(w.st[0], w.st[u], path) == 0)
			deliver(&w, path, u);
	}
	for (int i = 0; i < NODES; i++)
		data_digest(w.st[i], d[i]);
	for (int i = 1; i < NODES; i++)
		same = same && memcmp(d[0], d[i], 32) == 0;
	*errors += w.import_errors;
	total_rows += w.nrows;
	total_conflicts += oplog_conflict_count(w.st[0]);
	{
		long e = 0, o = 0;
		struct cimic_error err;
		oplog_stats(w.st[0], &e, &o, &err);
		total_entries += e;
	}
	world_finish(&w);
	return same;
}

int
main(void)
{
	const char *env = getenv("CONVERGENCE_SEEDS");
	int seeds = env ? atoi(env) : 200, failed = 0, errors = 0;

	if (sodium_init() < 0)
		return 99;
	for (int s = 1; s <= seeds; s++) {
		if (!run_seed((uint64_t)s, &errors)) {
			failed++;
			tap_diag("seed %d: replicas differ", s);
		}
	}
	ok(failed == 0, "%d seeds: HQ and %d units (mixed roles, review lists included) converge after random, faulty exchange (%d differ)",
	   seeds, UNITS, failed);
	is_int(errors, 0, "no bundle was refused along the way");
	tap_diag("%ld records, %ld entries, %ld conflicts left open at the end, over all seeds",
		 total_rows, total_entries, total_conflicts);
	return done_testing();
}
