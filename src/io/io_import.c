/*
 * io_import.c - the two passes of an import.
 *
 * Pass one reads every row, prepares it (io_prepare: values
 * checked, key computed) and counts each key; a row that does not
 * prepare is refused with its line and reason.  When rows are refused
 * the import stops there (nothing has been written) unless skip_bad.
 * Pass two reads the rows again inside one op-log transaction and
 * writes them.  A key seen once is written at once; the rows of a key
 * seen several times are merged (a later row's non-blank cells correct
 * an earlier one's) and written once, at the last of them, so the
 * record is compared with the store only in its final form and a
 * re-import of an unchanged file writes no op at all.
 *
 * Memory: one row at a time, plus 24 bytes per distinct key and the
 * merged rows of keys still open; never the file.  A dry run does
 * everything, then rolls the transaction back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "io.h"

#define PROGRESS_EVERY 256

struct io_keyslot {
	unsigned char key[CIMIC_ID_BYTES];
	uint32_t count;        /* rows of this key not yet written */
	uint32_t line;         /* of its first row */
	uint32_t pending : 30; /* 1 + index of the merged row in io_pass.merged, or 0 */
	uint32_t used : 1;     /* (slots are never emptied: lookups probe past them) */
	uint32_t complete : 1; /* one of its rows has a title (name) of its own */
};

struct io_keyset {
	struct io_keyslot *items;  /* open addressing, cap a power of two */
	size_t n, cap;
};

struct io_pass {
	struct store *st;
	const struct formats_import_opts *o;
	struct formats_import_report *rep;
	struct io_ctx ctx;
	struct io_keyset keys[4];           /* per source */
	struct io_row *merged;        /* rows of repeated keys, still open */
	size_t nmerged, capmerged;
	uint32_t free_merged;               /* 1 + first free slot, chained through line */
};

/* ---- keys ---- */

static struct io_keyslot *
io_key_slot(struct io_keyset *ks, const unsigned char key[CIMIC_ID_BYTES])
{
	uint64_t h;
	size_t i;

	memcpy(&h, key, sizeof h);
	for (i = (size_t)h & (ks->cap - 1); ks->items[i].used; i = (i + 1) & (ks->cap - 1))
		if (memcmp(ks->items[i].key, key, CIMIC_ID_BYTES) == 0)
			break;
	return &ks->items[i];
}

static int
io_key_grow(struct io_keyset *ks)
{
	struct io_keyset bigger = { NULL, 0, ks->cap ? ks->cap * 2 : 4096 };

	bigger.items = calloc(bigger.cap, sizeof *bigger.items);
	if (bigger.items == NULL)
		return -1;
	for (size_t i = 0; i < ks->cap; i++)
		if (ks->items[i].used) {
			*io_key_slot(&bigger, ks->items[i].key) = ks->items[i];
			bigger.n++;
		}
	free(ks->items);
	*ks = bigger;
	return 0;
}

/* Counts one row of a key; *again tells whether an earlier row had it. */
static int
io_key_count(struct io_keyset *ks, const struct io_prepared *p, size_t line, bool *again)
{
	struct io_keyslot *k;

	if ((ks->n + 1) * 10 > ks->cap * 7 && io_key_grow(ks) != 0)
		return -1;
	k = io_key_slot(ks, p->key);
	*again = k->used;
	if (!*again) {
		memcpy(k->key, p->key, CIMIC_ID_BYTES);
		k->used = 1;
		k->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
		ks->n++;
	}
	k->complete |= !p->incomplete;
	k->count++;
	return 0;
}

/* ---- the report ---- */

static int
io_refuse(struct formats_import_report *rep, size_t line, const char *why)
{
	struct formats_refusal *grown;
	const char *msg = why;
	char prefix[32];

	rep->refused++;
	if (rep->nrefusals >= FORMATS_MAX_REFUSALS)
		return 0;
	snprintf(prefix, sizeof prefix, "line %zu: ", line);
	if (strncmp(msg, prefix, strlen(prefix)) == 0)
		msg += strlen(prefix);
	grown = realloc(rep->refusals, (rep->nrefusals + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	rep->refusals = grown;
	grown[rep->nrefusals].line = line;
	if ((grown[rep->nrefusals].reason = util_strdup(msg)) == NULL)
		return -1;
	rep->nrefusals++;
	return 0;
}

/* Records no row of which has a title (name): refused at their first row. */
static int
io_refuse_incomplete(struct formats_import_report *rep, const struct io_keyset *ks,
		     enum model_kind kind)
{
	for (size_t i = 0; i < ks->cap; i++)
		if (ks->items[i].used && !ks->items[i].complete &&
		    io_refuse(rep, ks->items[i].line, io_needs(kind)) != 0)
			return -1;
	return 0;
}

static int
io_refusal_cmp(const void *a, const void *b)
{
	const struct formats_refusal *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

void
formats_import_report_finish(struct formats_import_report *rep)
{
	if (rep == NULL)
		return;
	for (size_t i = 0; i < rep->nrefusals; i++)
		free(rep->refusals[i].reason);
	free(rep->refusals);
	rep->refusals = NULL;
	rep->nrefusals = 0;
}

static void
io_progress(struct io_pass *x, const struct io_rowsource *src, enum formats_phase phase, long row)
{
	if (x->o->progress && row % PROGRESS_EVERY == 0)
		x->o->progress(x->o->progress_arg, phase, src->offset(src->self), src->total);
}

/* ---- pass one ---- */

static int
io_check(struct io_pass *x, struct io_rowsource *src, struct io_keyset *ks, struct cimic_error *err)
{
	struct io_row row;
	struct io_prepared p;
	struct cimic_error why;
	bool again;
	long n = 0;
	int got;

	while ((got = src->next(src->self, &row, err)) > 0) {
		int rc;
		io_progress(x, src, FORMATS_CHECKING, n++);
		x->rep->rows++;
		io_prepared_init(&p, src->kind);
		if (io_prepare(&x->ctx, src->kind, &row, &p, &why) != 0)
			rc = why.code == CIMIC_EFAIL ? cimic_error_set(err, why.code, "%s", why.msg)
						     : io_refuse(x->rep, row.line, why.msg);
		else if ((rc = io_key_count(ks, &p, row.line, &again)) == 0)
			x->rep->repeated += again;
		if (rc == 0 && p.default_source)
			x->rep->source_used = true;
		io_prepared_finish(&p);
		io_row_clear(&row);
		if (rc != 0)
			return err->msg[0] ? -1 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	return got;
}

/* ---- pass two ---- */

static int
io_write_row(struct io_pass *x, struct io_writer *w, enum model_kind kind,
	     const struct io_row *row, struct cimic_error *err)
{
	struct io_prepared p;
	struct cimic_error why;
	int rc;

	io_prepared_init(&p, kind);
	if (io_prepare(&x->ctx, kind, row, &p, &why) != 0 ||
	    (p.incomplete && cimic_error_set(&why, CIMIC_EDATA, "%s", io_needs(kind)))) {
		/* a merged row that no longer holds together; single rows were refused before */
		rc = why.code == CIMIC_EFAIL ? cimic_error_set(err, why.code, "%s", why.msg)
					     : io_refuse(x->rep, row->line, why.msg);
		if (rc == 0 && !x->o->skip_bad) {
			cimic_error_set(err, CIMIC_EDATA, "%s", why.msg);
			rc = cimic_error_prefix(err, _("line %zu"), row->line);
		}
	} else {
		x->rep->kept_values += p.kept_values;
		rc = io_write_record(w, &p, row->line, err);
	}
	io_prepared_finish(&p);
	return rc;
}

/* A row of a repeated key joins the others; the last of them writes the record. */
static int
io_merge_row(struct io_pass *x, struct io_writer *w, struct io_keyslot *k, enum model_kind kind,
	     const struct io_row *row, struct cimic_error *err)
{
	struct io_row *m;
	int rc;

	if (k->pending == 0) {
		if (x->free_merged) {
			k->pending = x->free_merged;
			x->free_merged = (uint32_t)x->merged[k->pending - 1].line;
		} else {
			if (x->nmerged == x->capmerged) {
				size_t cap = x->capmerged ? x->capmerged * 2 : 64;
				struct io_row *grown = realloc(x->merged, cap * sizeof *grown);
				if (grown == NULL)
					return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
				x->merged = grown;
				x->capmerged = cap;
			}
			if (x->nmerged >= (1u << 30))
				return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
			k->pending = (uint32_t)++x->nmerged & 0x7fffffffu;
		}
		memset(&x->merged[k->pending - 1], 0, sizeof *m);
	}
	m = &x->merged[k->pending - 1];
	if (io_row_merge(m, row, err) != 0)
		return -1;
	if (--k->count > 0)
		return 0;
	rc = io_write_row(x, w, kind, m, err);
	io_row_clear(m);
	m->line = x->free_merged;   /* the free list */
	x->free_merged = k->pending;
	k->pending = 0;
	return rc;
}

static int
io_write(struct io_pass *x, struct io_writer *w, struct io_rowsource *src,
	 struct io_keyset *ks, struct cimic_error *err)
{
	struct io_row row;
	struct io_prepared p;
	struct cimic_error why;
	long n = 0;
	int got, rc = 0;

	if (src->rewind(src->self, err) != 0)
		return -1;
	while (rc == 0 && (got = src->next(src->self, &row, err)) > 0) {
		struct io_keyslot *k = NULL;
		io_progress(x, src, FORMATS_WRITING, n++);
		io_prepared_init(&p, src->kind);
		if (io_prepare(&x->ctx, src->kind, &row, &p, &why) == 0 && ks->cap > 0)
			k = io_key_slot(ks, p.key);
		else if (why.code == CIMIC_EFAIL)
			rc = cimic_error_set(err, why.code, "%s", why.msg);
		if (k != NULL && !k->complete) {
			k = NULL;   /* refused: no row of it has a title */
		} else if (k != NULL && k->count == 1 && k->pending == 0) {
			k->count = 0;
			x->rep->kept_values += p.kept_values;
			rc = io_write_record(w, &p, row.line, err);
		} else if (k != NULL && k->count > 0) {
			rc = io_merge_row(x, w, k, src->kind, &row, err);
		}
		io_prepared_finish(&p);
		io_row_clear(&row);
	}
	return rc != 0 ? -1 : got;
}

/* ---- the whole import ---- */

static int
io_refused_error(const struct formats_import_report *rep, struct cimic_error *err)
{
	const struct formats_refusal *first = &rep->refusals[0];

	if (rep->nrefusals == 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (rep->refused == 1) {
		cimic_error_set(err, CIMIC_EDATA, "%s", first->reason);
		return cimic_error_prefix(err, _("line %zu"), first->line);
	}
	return cimic_error_set(err, CIMIC_EDATA, P_("line %zu: %s (and %ld more row refused)",
						     "line %zu: %s (and %ld more rows refused)",
						     rep->refused - 1),
			       first->line, first->reason, rep->refused - 1);
}

static int
io_write_all(struct io_pass *x, struct io_rowsource *const *srcs, size_t nsrcs,
	     struct io_rows *links, struct cimic_error *err)
{
	struct oplog_txn *txn;
	struct io_writer w;
	int rc = 0;

	if (oplog_begin(x->st, &txn, err) != 0)
		return -1;
	io_writer_init(&w, txn, &x->ctx, x->rep);
	for (size_t i = 0; i < nsrcs && rc == 0; i++)
		rc = io_write(x, &w, srcs[i], &x->keys[i], err);
	if (rc == 0 && links)
		rc = io_apply_links(txn, links, x->rep, err);
	io_writer_finish(&w);
	if (rc != 0 || x->o->dry_run || oplog_txn_ops(txn) == 0) {
		oplog_abort(txn);   /* nothing new: no empty entry in the log */
		return rc;
	}
	if (x->o->progress)
		x->o->progress(x->o->progress_arg, FORMATS_SAVING, 0, 0);
	return oplog_commit(txn, err);
}

int
io_import(struct store *st, const struct formats_import_opts *o, const char *source,
	  struct io_rowsource *const *srcs, size_t nsrcs, struct io_rows *links,
	  struct formats_import_report *rep, struct cimic_error *err)
{
	struct io_pass x;
	int rc = 0;

	memset(&x, 0, sizeof x);
	x.st = st;
	x.o = o;
	x.rep = rep;
	x.ctx.now_ms = o->now_ms;
	x.ctx.source = source ? source : "";
	snprintf(rep->source, sizeof rep->source, "%s", x.ctx.source);
	rep->source_used = false;
	if (nsrcs > sizeof x.keys / sizeof x.keys[0])
		return cimic_error_set(err, CIMIC_EFAIL, _("too many row sources"));
	for (size_t i = 0; i < nsrcs && rc == 0; i++) {
		rc = io_check(&x, srcs[i], &x.keys[i], err);
		if (rc == 0 && io_refuse_incomplete(rep, &x.keys[i], srcs[i]->kind) != 0)
			rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	if (rep->nrefusals > 1)
		qsort(rep->refusals, rep->nrefusals, sizeof *rep->refusals, io_refusal_cmp);
	if (rc == 0 && rep->refused > 0 && !o->skip_bad)
		rc = io_refused_error(rep, err);
	rep->skipped = rc == 0 ? rep->refused : 0;
	if (rc == 0)
		rc = io_write_all(&x, srcs, nsrcs, links, err);
	for (size_t i = 0; i < sizeof x.keys / sizeof x.keys[0]; i++)
		free(x.keys[i].items);
	for (size_t i = 0; i < x.nmerged; i++)
		io_row_clear(&x.merged[i]);
	free(x.merged);
	return rc;
}
