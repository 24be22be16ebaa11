/*
 * store_open.c - a store with its derived tables attached.
 *
 * The store (src/store/) is the database alone.  Opening one for use
 * attaches what the model derives from the op log: the materialised
 * contacts, incidents, links and roster (written as each entry is
 * applied) and the search index (brought up to date before each commit,
 * for the rows touched).  Every caller outside src/ opens stores here, so
 * no store is ever written without its tables.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/search.h"
#include "search_private.h"
#include "materialise.h"
#include "oplog_private.h"
#include "store_private.h"

struct model_dirty_row {
	unsigned char kind;
	unsigned char id[CIMIC_ID_BYTES];
};

/* The model's state for one open store (owned by the store's ext slot). */
struct model_state {
	struct model_dirty_row *dirty;   /* records changed: search index, change seq */
	size_t ndirty, dirtycap;
	long conflicts_net;              /* since BEGIN */
};

static int model_before_commit(struct store *st, void *ctx, struct cimic_error *err);
static void model_reset(struct store *st, void *ctx);
static void model_destroy(void *ctx);

static const struct store_ext_kind model_ext = { model_before_commit, model_reset, model_destroy };

static long
model_net(struct store *st)
{
	return model_conflicts_net(st);
}

static const struct oplog_derived model_derived = {
	materialise_apply_row,
	materialise_shown_op,
	model_net,
	materialise_held,
	materialise_refresh_field,
};

static struct model_state *
model_state_of(struct store *st)
{
	return store_ext_get(st, &model_ext);
}

int
model_mark_dirty(struct store *st, unsigned kind, const unsigned char id[CIMIC_ID_BYTES])
{
	struct model_state *m = model_state_of(st);

	if (m->ndirty > 0) {
		struct model_dirty_row *last = &m->dirty[m->ndirty - 1];
		if (last->kind == kind && memcmp(last->id, id, CIMIC_ID_BYTES) == 0)
			return 0;
	}
	void *grown = util_grow(m->dirty, &m->dirtycap, m->ndirty + 1, sizeof *m->dirty);

	if (grown == NULL)
		return -1;
	m->dirty = grown;
	m->dirty[m->ndirty].kind = (unsigned char)kind;
	memcpy(m->dirty[m->ndirty].id, id, CIMIC_ID_BYTES);
	m->ndirty++;
	return 0;
}

void
model_conflicts_moved(struct store *st, int delta)
{
	model_state_of(st)->conflicts_net += delta;
}

long
model_conflicts_net(struct store *st)
{
	return model_state_of(st)->conflicts_net;
}

static int
dirty_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct model_dirty_row));
}

/*
 * Every record touched since the last flush: its search index (contacts
 * and incidents) and its change seq, one seq for the whole flush.
 */
static int
model_before_commit(struct store *st, void *ctx, struct cimic_error *err)
{
	struct model_state *m = ctx;
	size_t n = m->ndirty;
	int64_t seq;

	if (n == 0)
		return 0;
	if ((seq = pubstate_next_seq(st)) < 0)
		return store_sqlite_error(st, _("cannot read the change sequence"), err);
	if (n > 1)
		qsort(m->dirty, n, sizeof *m->dirty, dirty_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct model_dirty_row *d = &m->dirty[i];
		if (i > 0 && dirty_cmp(d, &m->dirty[i - 1]) == 0)
			continue;
		if (d->kind <= MODEL_INCIDENT && search_index_row(st, d->kind, d->id, err) != 0)
			return -1;
		if (pubstate_bump(st, d->kind, d->id, seq, err) != 0)
			return -1;
	}
	m->ndirty = 0;
	return 0;
}

static void
model_reset(struct store *st, void *ctx)
{
	struct model_state *m = ctx;

	m->ndirty = 0;
	m->conflicts_net = 0;
}

static void
model_destroy(void *ctx)
{
	struct model_state *m = ctx;

	if (m != NULL)
		free(m->dirty);
	free(m);
}

/* Attaches the model's tables to a store opened by store_db_open/create. */
static int
model_attach(struct store *st, struct cimic_error *err)
{
	struct model_state *m = calloc(1, sizeof *m);

	if (m == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (store_ext_add(st, &model_ext, m, err) != 0)
		return -1;
	if (oplog_attach(st, &model_derived, err) != 0)
		return -1;
	return search_upgrade(st, err);
}

int
store_init(const char *dir, const char *pass, size_t passlen, const struct store_init_opts *o,
	   struct store **out, struct cimic_error *err)
{
	if (store_db_create(dir, pass, passlen, o, out, err) != 0)
		return -1;
	if (model_attach(*out, err) != 0) {
		store_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int
store_open(const char *dir, const char *pass, size_t passlen, struct store **out,
	   struct cimic_error *err)
{
	if (store_db_open(dir, pass, passlen, out, err) != 0)
		return -1;
	if (model_attach(*out, err) != 0) {
		store_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}
