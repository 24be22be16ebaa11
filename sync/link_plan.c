/*
 * link_plan.c - what a link session moves, decided from the two hellos.
 *
 * Each hello is its sender's version vector (author -> highest
 * contiguous seq held).  From the peer's, this side sends, per author,
 * the entries in (peer's seq, own seq], authors that may change the
 * roster first (as bundles do), so the peer learns of a newly enrolled
 * unit before meeting its entries.  The peer's hello is also its ack:
 * it is recorded like the vector of a bundle, so the next bundle for
 * that peer does not carry what the link already delivered.
 *
 * Received batches are applied one transaction each through
 * exchange_apply_entry(), the policy bundles use.  Resume needs nothing
 * more: a cut loses at most the batch in flight, and the next hello
 * states exactly what was committed.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/peerstate.h"
#include "cimic/store.h"
#include "link_private.h"
#include "exchange_private.h"

struct vv_list {
	struct oplog_vv_item *items;   /* owned */
	size_t n;
};

/* OUT v->items: caller frees. */
static int
vv_load(struct store *st, struct vv_list *v, struct cimic_error *err)
{
	int rc = oplog_vv_load(st, LINKPROTO_VV_MAX, &v->items, &v->n, err);

	if (rc > 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("too many nodes for one link session (at most %d)"),
				       LINKPROTO_VV_MAX);
	return rc;
}

int
link_hello_put(struct store *st, struct buf *b, struct cimic_error *err)
{
	const struct node_identity *me = store_identity(st);
	struct vv_list v;
	uint64_t roster_version = 0;
	int rc;

	if (vv_load(st, &v, err) != 0) {
		free(v.items);
		return -1;
	}
	/* Roster changes come only from HQ logs: how far we hold them is the roster's version. */
	for (size_t i = 0; i < v.n; i++)
		if (roster_is_hq(st, v.items[i].author) && v.items[i].seq > roster_version)
			roster_version = v.items[i].seq;
	rc = linkproto_put_hello(b, me->pub.role == NODE_HQ, roster_version, v.items, v.n, err);
	free(v.items);
	return rc;
}

/* The seq the hello names for author (0 when absent); items are ascending. */
static uint64_t
hello_seq(const struct linkproto_hello *h, const unsigned char *author)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const unsigned char *a;
		uint64_t seq;
		int cmp;

		linkproto_vv_item(h, mid, &a, &seq);
		cmp = memcmp(author, a, LINKPROTO_AUTHOR_BYTES);
		if (cmp == 0)
			return seq;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static uint64_t
list_seq(const struct vv_list *v, const unsigned char *author)
{
	for (size_t i = 0; i < v->n; i++)
		if (memcmp(v->items[i].author, author, LINKPROTO_AUTHOR_BYTES) == 0)
			return v->items[i].seq;
	return 0;
}

/* Plan items for the authors whose roster_is_hq() equals hq. */
static void
plan_authors(struct link_conn *c, const struct vv_list *mine, const struct linkproto_hello *h, bool hq)
{
	for (size_t i = 0; i < mine->n; i++) {
		const struct oplog_vv_item *it = &mine->items[i];
		uint64_t theirs = hello_seq(h, it->author);

		if (it->seq <= theirs || roster_is_hq(c->st, it->author) != hq)
			continue;
		memcpy(c->plan[c->nplan].author, it->author, LINKPROTO_AUTHOR_BYTES);
		c->plan[c->nplan].after = theirs;
		c->plan[c->nplan].upto = it->seq;
		c->nplan++;
		c->stats.to_send += (long)(it->seq - theirs);
	}
}

/* The peer's vector is its ack, as a bundle's is. */
static int
record_acks(struct link_conn *c, const struct linkproto_hello *h, struct cimic_error *err)
{
	if (store_begin(c->st, err) != 0)
		return -1;
	for (size_t i = 0; i < h->n; i++) {
		const unsigned char *author;
		uint64_t seq;

		linkproto_vv_item(h, i, &author, &seq);
		if (seq > 0 && peerstate_ack(c->st, c->peer.pub.sign_pk, author, seq, err) != 0) {
			store_rollback(c->st);
			return -1;
		}
	}
	if (peerstate_touch(c->st, c->peer.pub.sign_pk, true, err) != 0 ||
	    peerstate_touch(c->st, c->peer.pub.sign_pk, false, err) != 0) {
		store_rollback(c->st);
		return -1;
	}
	return store_commit(c->st, err);
}

int
link_plan_from_hello(struct link_conn *c, const struct linkproto_hello *h, struct cimic_error *err)
{
	struct vv_list mine;
	int rc = -1;

	if (vv_load(c->st, &mine, err) != 0)
		goto out;
	free(c->plan);
	c->nplan = c->plan_at = 0;
	c->stats.to_send = c->stats.to_receive = 0;
	if ((c->plan = calloc(mine.n + 1, sizeof *c->plan)) == NULL) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		goto out;
	}
	plan_authors(c, &mine, h, true);
	plan_authors(c, &mine, h, false);
	for (size_t i = 0; i < h->n; i++) {
		const unsigned char *author;
		uint64_t theirs, ours;

		linkproto_vv_item(h, i, &author, &theirs);
		ours = list_seq(&mine, author);
		if (theirs > ours)
			c->stats.to_receive += (long)(theirs - ours);
	}
	rc = record_acks(c, h, err);
out:
	free(mine.items);
	return rc;
}

/* ---- building batches ---- */

struct filler {
	struct link_conn *c;
	struct link_plan_item *item;
	size_t start;
	long n;
	size_t bytes;
	bool full;
	struct cimic_error *err;
};

static int
fill_entry(const unsigned char *raw, size_t len, uint64_t seq, void *arg)
{
	struct filler *f = arg;

	if (seq > f->item->upto)
		return 1;   /* past what the plan promised: the next session sends it */
	if (f->n > 0 && (f->n >= LINK_BATCH_ENTRIES || f->bytes + len > LINK_BATCH_BYTES)) {
		f->full = true;   /* this entry starts the next batch */
		return 1;
	}
	if (linkproto_add_entry(&f->c->pending, f->start, raw, len, f->err) != 0)
		return -1;
	f->n++;
	f->bytes += len;
	f->item->after = seq;
	return 0;
}

int
link_batch_next(struct link_conn *c, long *n, struct cimic_error *err)
{
	struct filler f = { .c = c, .err = err };

	*n = 0;
	f.start = linkproto_begin_entries(&c->pending, c->batches_out + 1);
	while (c->plan_at < c->nplan && !f.full) {
		struct link_plan_item *it = &c->plan[c->plan_at];

		f.item = it;
		if (it->after < it->upto &&
		    oplog_entries_after(c->st, it->author, it->after, fill_entry, &f, err) < 0) {
			c->pending.len = f.start;
			return -1;
		}
		if (f.full)
			break;
		/* The author's entries up to the plan are all in (or the log ended early). */
		c->plan_at++;
	}
	if (f.n == 0) {
		c->pending.len = f.start;   /* take back the empty header */
		return 0;
	}
	linkproto_end_entries(&c->pending, f.start);
	*n = f.n;
	return 0;
}

/* ---- applying ---- */

int
link_batch_apply(struct link_conn *c, const struct linkproto_entries *e, struct cimic_error *err)
{
	struct exchange_result r;
	const unsigned char *raw;
	size_t pos = 0, len;

	memset(&r, 0, sizeof r);
	if (store_begin(c->st, err) != 0)
		return -1;
	while (linkproto_entry_next(e, &pos, &raw, &len))
		if (exchange_apply_entry(c->st, raw, len, &r, err) != 0)
			goto fail;
	if (exchange_settle(c->st, &r, err) != 0)
		goto fail;
	if (oplog_apply_flush(c->st, err) != 0)
		goto fail;
	if (store_commit(c->st, err) != 0)
		return -1;
	c->stats.received += e->n;
	c->stats.received_new += r.entries_new;
	c->stats.received_dup += r.entries_dup;
	c->stats.quarantined += r.quarantined;
	c->stats.skipped += r.skipped;
	return 0;
fail:
	store_rollback(c->st);
	return -1;
}

/* ---- peers ---- */

struct by_key {
	const unsigned char *link_pk;
	struct roster_node *out;
	bool found;
};

static int
by_key_cb(const struct roster_node *n, void *arg)
{
	struct by_key *k = arg;

	if (!(n->peer || n->roster) || memcmp(n->pub.link_pk, k->link_pk, IDENTITY_PK_BYTES) != 0)
		return 0;
	*k->out = *n;
	k->found = true;
	return 1;
}

bool
link_peer_by_link_key(struct store *st, const unsigned char link_pk[32], struct roster_node *out)
{
	struct by_key k = { link_pk, out, false };
	struct cimic_error err;

	if (link_pk == NULL)
		return false;
	return roster_each(st, by_key_cb, &k, &err) >= 0 && k.found;
}

struct hq_pick {
	struct roster_node *out;
	int count;
};

static int
hq_cb(const struct roster_node *n, void *arg)
{
	struct hq_pick *p = arg;

	if (n->peer && n->pub.role == NODE_HQ && !n->revoked) {
		if (p->count++ == 0)
			*p->out = *n;
	}
	return 0;
}

int
link_pick_peer(struct store *st, const char *name, struct roster_node *out, struct cimic_error *err)
{
	struct hq_pick p = { out, 0 };

	if (name != NULL) {
		if (roster_find(st, name, out, err) != 0)
			return -1;
	} else {
		if (roster_each(st, hq_cb, &p, err) < 0)
			return -1;
		if (p.count == 0)
			return cimic_error_set(err, CIMIC_ENOINPUT,
					       _("no HQ to call: add it with 'cimic peer add --hq', "
						 "or name a peer with --peer"));
		if (p.count > 1)
			return cimic_error_set(err, CIMIC_EUSAGE,
					       _("this node trusts %d HQs: name one with --peer"), p.count);
	}
	if (memcmp(out->pub.sign_pk, store_identity(st)->pub.sign_pk, IDENTITY_PK_BYTES) == 0)
		return cimic_error_set(err, CIMIC_EUSAGE, _("that is this node"));
	if (out->revoked)
		return cimic_error_set(err, CIMIC_EPERM, _("%s is revoked: no link with it"), out->name);
	return 0;
}
