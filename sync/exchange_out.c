/*
 * exchange_out.c - writing the bundle for a peer: every entry past what
 * it acknowledged, with this node's version vector as its ack.
 *
 * Authors that may change the roster go first, so a receiver learns of
 * a newly enrolled unit before it meets that unit's entries.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/exchange.h"
#include "exchange_private.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/store.h"
#include "bundle_private.h"

struct vv {
	struct oplog_vv_item *items;   /* owned */
	size_t n;
};

static int
vv_load(struct store *st, struct vv *v, struct cimic_error *err)
{
	int rc = oplog_vv_load(st, BUNDLE_MAX_ACKS, &v->items, &v->n, err);

	if (rc > 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("too many nodes for one bundle"));
	return rc;
}

int
exchange_content_key(struct store *st, const unsigned char peer[IDENTITY_PK_BYTES],
		     unsigned char key[PEERSTATE_KEY_BYTES], struct cimic_error *err)
{
	crypto_generichash_state h;
	struct vv v;

	/*
	 * Only this node's vector: while it is unchanged, a bundle already
	 * written for the peer still holds everything the peer may lack
	 * (fresh acks from the peer would only make a new one smaller), and
	 * it states the same acks.
	 */
	if (vv_load(st, &v, err) != 0) {
		free(v.items);
		return -1;
	}
	crypto_generichash_init(&h, NULL, 0, PEERSTATE_KEY_BYTES);
	crypto_generichash_update(&h, peer, IDENTITY_PK_BYTES);
	for (size_t i = 0; i < v.n; i++) {
		unsigned char le[8];
		for (int k = 0; k < 8; k++)
			le[k] = (unsigned char)(v.items[i].seq >> (8 * k));
		crypto_generichash_update(&h, v.items[i].author, 32);
		crypto_generichash_update(&h, le, sizeof le);
	}
	crypto_generichash_final(&h, key, PEERSTATE_KEY_BYTES);
	free(v.items);
	return 0;
}

struct adder {
	struct bundle_writer *w;
	struct cimic_error *err;
	long entries;
};

static int
add_entry(const unsigned char *raw, size_t len, uint64_t seq, void *arg)
{
	struct adder *a = arg;

	(void)seq;
	a->entries++;
	return bundle_writer_add(a->w, raw, len, a->err) != 0 ? -1 : 0;
}

/* Entries of the authors for which roster_is_hq() equals `hq`. */
static int
add_authors(struct store *st, const unsigned char peer[32], const struct vv *v, bool hq,
	    struct adder *a, struct cimic_error *err)
{
	for (size_t i = 0; i < v->n; i++) {
		const unsigned char *author = v->items[i].author;
		if (roster_is_hq(st, author) != hq)
			continue;
		if (oplog_entries_after(st, author, peerstate_acked(st, peer, author), add_entry, a,
					err) != 0)
			return -1;
	}
	return 0;
}

static int
recipient_of(struct store *st, const unsigned char peer[IDENTITY_PK_BYTES],
	     struct bundle_recipient *to, struct cimic_error *err)
{
	struct roster_node n;

	switch (roster_lookup(st, peer, &n, err)) {
	case -1:
		return -1;   /* a read error is not "no such peer" */
	case 0:
		return cimic_error_set(err, CIMIC_ENOINPUT, _("no such peer"));
	}
	if (n.revoked)
		return cimic_error_set(err, CIMIC_EPERM,
				       _("%s is revoked: nothing is sent to it any more"), n.name);
	memcpy(to->sign_pk, n.pub.sign_pk, IDENTITY_PK_BYTES);
	memcpy(to->box_pk, n.pub.box_pk, IDENTITY_PK_BYTES);
	return 0;
}

static int
write_bundle(struct store *st, const unsigned char peer[32], const char *path,
	     const struct bundle_recipient *to, const struct vv *v, struct exchange_out *out,
	     struct cimic_error *err)
{
	struct adder a = { .err = err };

	if (bundle_writer_create(path, store_identity(st), to, 1, oplog_hlc_now(st), v->items, v->n,
				 &a.w, err) != 0)
		return -1;
	if (add_authors(st, peer, v, true, &a, err) != 0 ||
	    add_authors(st, peer, v, false, &a, err) != 0) {
		bundle_writer_abort(a.w);
		return -1;
	}
	out->entries = a.entries;
	return bundle_writer_finish(a.w, &out->hdr, err);
}

int
exchange_create(struct store *st, const unsigned char peer[IDENTITY_PK_BYTES], const char *path,
		struct exchange_out *out, struct cimic_error *err)
{
	struct bundle_recipient to;
	struct vv v = { 0 };
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (recipient_of(st, peer, &to, err) != 0 || vv_load(st, &v, err) != 0 ||
	    exchange_content_key(st, peer, out->key, err) != 0)
		goto out;
	if (write_bundle(st, peer, path, &to, &v, out, err) != 0)
		goto out;
	/* only the time is recorded: entries count as delivered when an ack says so */
	if (store_begin(st, err) != 0)
		goto out;
	if (peerstate_touch(st, peer, false, err) != 0) {
		store_rollback(st);
		goto out;
	}
	rc = store_commit(st, err);
out:
	free(v.items);
	return rc;
}
