/*
 * exchange_inspect.c - `bundle inspect` for the recipient: who sent a
 * bundle and what it holds, per author, without applying anything.
 * Runs the same three passes as an import, so what it shows is what an
 * import would read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/exchange.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/store.h"
#include "bundle_private.h"

struct tally {
	struct store *st;
	struct exchange_inspection *out;
	size_t cap;
};

static struct exchange_author *
author_slot(struct tally *t, const unsigned char author[IDENTITY_PK_BYTES])
{
	struct exchange_inspection *o = t->out;
	struct exchange_author *a;
	struct roster_node n;

	for (size_t i = 0; i < o->nauthors; i++)
		if (memcmp(o->authors[i].author, author, IDENTITY_PK_BYTES) == 0)
			return &o->authors[i];
	if (o->nauthors == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		if (cap > BUNDLE_MAX_RECORDS || (a = realloc(o->authors, cap * sizeof *a)) == NULL)
			return NULL;
		o->authors = a;
		t->cap = cap;
	}
	a = &o->authors[o->nauthors++];
	memset(a, 0, sizeof *a);
	memcpy(a->author, author, IDENTITY_PK_BYTES);
	a->seq_min = UINT64_MAX;
	if (memcmp(author, store_identity(t->st)->pub.sign_pk, IDENTITY_PK_BYTES) == 0)
		snprintf(a->name, sizeof a->name, "%s", store_identity(t->st)->pub.unit);
	else if (roster_get(t->st, author, &n))
		snprintf(a->name, sizeof a->name, "%s", n.name);
	return a;
}

static int
count_entry(const unsigned char *raw, size_t len, void *arg, struct cimic_error *err)
{
	struct tally *t = arg;
	struct exchange_author *a;
	struct oplog_entry e;

	if (oplog_entry_decode(raw, len, &e, err) != 0)
		return cimic_error_prefix(err, _("entry %ld"), t->out->entries + 1);
	if ((a = author_slot(t, e.author)) == NULL) {
		oplog_entry_finish(&e);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	a->entries++;
	a->ops += e.nops;
	a->seq_min = e.seq < a->seq_min ? e.seq : a->seq_min;
	a->seq_max = e.seq > a->seq_max ? e.seq : a->seq_max;
	t->out->entries++;
	t->out->ops += e.nops;
	oplog_entry_finish(&e);
	return 0;
}

int
exchange_inspect(struct store *st, const char *path, struct exchange_inspection *out,
		 struct cimic_error *err)
{
	struct tally t = { .st = st, .out = out };
	struct bundle_reader *r;
	struct roster_node n;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (bundle_reader_open(path, store_identity(st), &r, err) != 0)
		return -1;
	out->hdr = *bundle_reader_header(r);
	if (bundle_reader_authenticate(r, err) != 0)
		goto done;
	out->inner = *bundle_reader_inner(r);
	out->inner.acks = NULL;
	if (roster_get(st, out->inner.sender, &n)) {
		out->sender_known = true;
		out->sender_revoked = n.revoked;
		snprintf(out->sender_name, sizeof out->sender_name, "%s", n.name);
	}
	rc = bundle_reader_entries(r, count_entry, &t, err);
done:
	bundle_reader_destroy(r);
	if (rc != 0)
		exchange_inspection_finish(out);
	return rc;
}

void
exchange_inspection_finish(struct exchange_inspection *in)
{
	free(in->authors);
	in->authors = NULL;
	in->nauthors = 0;
}
