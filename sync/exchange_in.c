/*
 * exchange_in.c - importing a bundle: who may send it, which entries
 * apply, all in one transaction (policy in exchange.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/exchange.h"
#include "exchange_private.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/peerstate.h"
#include "cimic/store.h"
#include "bundle_private.h"

/* Search-index refresh interval: keeps the list of touched rows bounded. */
#define FLUSH_EVERY 1024

struct import {
	struct store *st;
	struct exchange_result *res;
	struct oplog_apply_stats stats;
	long n;
	struct cimic_error *err;   /* for the roster walk */
};

static void
short_fp(const unsigned char pk[IDENTITY_PK_BYTES], char *buf, size_t n)
{
	identity_fingerprint(pk, buf, n);
}

/* The signer must be a node this store trusts now. */
static int
check_sender(struct store *st, const unsigned char pk[IDENTITY_PK_BYTES], struct exchange_result *res,
	     struct cimic_error *err)
{
	struct roster_node n;
	char fp[24];

	short_fp(pk, fp, sizeof fp);
	if (memcmp(pk, store_identity(st)->pub.sign_pk, IDENTITY_PK_BYTES) == 0)
		return cimic_error_set(err, CIMIC_EPERM, _("the bundle was made by this node"));
	switch (roster_lookup(st, pk, &n, err)) {
	case -1:
		return -1;
	case 0:
		n.peer = n.roster = false;
		break;
	}
	if (!n.peer && !n.roster)
		return cimic_error_set(err, CIMIC_EPERM,
				       _("signed by an unknown node (%s): add it with 'cimic peer add' first"),
				       fp);
	snprintf(res->sender_name, sizeof res->sender_name, "%s", n.name);
	if (n.revoked)
		return cimic_error_set(err, CIMIC_EPERM,
				       _("signed by %s (%s), which is revoked: entries after seq %llu are not accepted"),
				       n.name, fp, (unsigned long long)n.revoked_after);
	return 0;
}

static bool
touches_roster(const struct oplog_entry *e)
{
	for (uint32_t i = 0; i < e->nops; i++)
		if (e->ops[i].tbl == TBL_NODE)
			return true;
	return false;
}

struct keep {
	struct import *im;
	const char *reason;
};

static int
keep_cb(const struct oplog_entry *e, void *arg, struct cimic_error *err)
{
	struct keep *k = arg;

	k->im->res->quarantined++;
	return peerstate_quarantine(k->im->st, e, k->reason, err);
}

/*
 * Two entries for one (author, seq): the author is frozen before the
 * fork on every node that sees both.  Its applied entries from that seq
 * on are taken back, and both branches are kept (quarantine, reason
 * "fork") for HQ's decision; `peer list` raises the alarm.
 */
static int
fork_of(struct import *im, const struct oplog_entry *e, bool *kept, struct cimic_error *err)
{
	unsigned char held[OPLOG_HASH_BYTES];
	struct keep k = { im, "fork" };
	uint64_t from;
	int rc;

	*kept = false;
	if ((rc = peerstate_fork_from(im->st, e->author, &from, err)) < 0)
		return -1;
	if (rc == 1 && e->seq >= from)
		goto keep;   /* frozen: nothing past the fork applies */
	if ((rc = peerstate_held_at(im->st, e->author, e->seq, held, err)) < 0)
		return -1;
	if (rc == 0 || memcmp(held, e->hash, OPLOG_HASH_BYTES) == 0)
		return 0;
	if (oplog_unapply_from(im->st, e->author, e->seq, keep_cb, &k, err) < 0)
		return -1;
keep:
	*kept = true;
	return keep_cb(e, &k, err);
}

/* Applies, quarantines or skips one decoded entry. */
static int
judge_entry(struct import *im, const struct oplog_entry *e, struct cimic_error *err)
{
	struct roster_node n = { 0 };
	bool self = memcmp(e->author, store_identity(im->st)->pub.sign_pk, IDENTITY_PK_BYTES) == 0;
	unsigned char held[OPLOG_HASH_BYTES];
	struct keep k = { im, "revoked" };
	bool kept;
	char fp[24];
	int rc;

	if (!self) {
		/* a read error must abort the import, not pass for an unknown author */
		int found = roster_lookup(im->st, e->author, &n, err);
		if (found < 0)
			return -1;
		if (found == 0) {
			im->res->skipped++;
			return 0;
		}
	}
	if (touches_roster(e) && !roster_is_hq(im->st, e->author)) {
		short_fp(e->author, fp, sizeof fp);
		return cimic_error_set(err, CIMIC_EPERM,
				       _("an entry by %s changes the roster, which only HQ may do"), fp);
	}
	if (self)
		return oplog_apply_decoded(im->st, e, &im->stats, err);
	if (n.revoked) {
		/*
		 * The pinned chain decides, wherever the entry came from: past
		 * the cutoff nothing; up to it, only the entries the pinned hash
		 * reaches through their prev links (exchange_settle releases
		 * them once the chain is held).
		 */
		if (e->seq > n.revoked_after)
			return keep_cb(e, &k, err);
		if ((rc = peerstate_held_at(im->st, e->author, e->seq, held, err)) < 0)
			return -1;
		if (rc == 1 && memcmp(held, e->hash, OPLOG_HASH_BYTES) == 0)
			return oplog_apply_decoded(im->st, e, &im->stats, err);   /* a repeat */
		k.reason = rc == 1 ? "fork" : "unverified";
		return keep_cb(e, &k, err);
	}
	if (fork_of(im, e, &kept, err) != 0)
		return -1;
	if (kept)
		return 0;
	return oplog_apply_decoded(im->st, e, &im->stats, err);
}

/*
 * One revoked node's pinned chain: walks from the pinned hash down the
 * prev links.  Applied entries off it are taken back (kept as "fork");
 * quarantined entries on it are applied.
 */
static int
settle_node(const struct roster_node *n, void *arg)
{
	struct import *im = arg;
	struct cimic_error *err = im->err;
	unsigned char cur[OPLOG_HASH_BYTES], held[OPLOG_HASH_BYTES], hash[OPLOG_HASH_BYTES];
	uint64_t off = UINT64_MAX, after;
	struct keep k = { im, "fork" };
	int rc;

	if (!n->revoked || memcmp(n->pub.sign_pk, store_identity(im->st)->pub.sign_pk, IDENTITY_PK_BYTES) == 0)
		return 0;
	if ((rc = peerstate_held_after(im->st, n->pub.sign_pk, n->revoked_after, &after, err)) < 0)
		return -1;
	if (rc == 1)
		off = after;
	for (int pass = 0; pass < 2; pass++) {
		unsigned char (*rel)[OPLOG_HASH_BYTES] = NULL;
		size_t nrel = 0;

		memcpy(cur, n->revoked_hash, sizeof cur);
		for (uint64_t seq = n->revoked_after; seq >= 1; seq--) {
			unsigned char *raw;
			size_t len;
			bool q;
			struct oplog_entry e;

			if (pass == 0) {
				/* an applied entry that is not the one the chain names here is off it */
				if ((rc = peerstate_held_at(im->st, n->pub.sign_pk, seq, held, err)) < 0)
					goto fail;
				if (rc == 1 && memcmp(held, cur, sizeof held) != 0 && seq < off)
					off = seq;
			}
			if ((rc = peerstate_entry_raw(im->st, cur, &raw, &len, &q, err)) < 0)
				goto fail;
			if (rc == 0)
				break;   /* a gap: what lies below cannot be checked yet */
			rc = oplog_entry_decode(raw, len, &e, err);
			free(raw);
			if (rc != 0)
				goto fail;
			rc = e.seq == seq && memcmp(e.author, n->pub.sign_pk, IDENTITY_PK_BYTES) == 0;
			memcpy(hash, e.hash, sizeof hash);
			memcpy(cur, e.prev, sizeof cur);
			oplog_entry_finish(&e);
			if (!rc)
				break;
			if (pass == 1 && q) {
				void *grown = realloc(rel, (nrel + 1) * sizeof *rel);
				if (grown == NULL) {
					cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
					goto fail;
				}
				rel = grown;
				memcpy(rel[nrel++], hash, OPLOG_HASH_BYTES);
			}
		}
		if (pass == 0 && off != UINT64_MAX &&
		    oplog_unapply_from(im->st, n->pub.sign_pk, off, keep_cb, &k, err) < 0)
			return -1;
		/* released from the lowest seq up */
		while (pass == 1 && nrel > 0) {
			unsigned char *raw;
			size_t len;
			bool q;
			struct oplog_entry e;

			nrel--;
			if (peerstate_entry_raw(im->st, rel[nrel], &raw, &len, &q, err) != 1 ||
			    oplog_entry_decode(raw, len, &e, err) != 0) {
				free(raw);
				goto fail;
			}
			free(raw);
			rc = peerstate_release(im->st, e.hash, err);
			if (rc == 0)
				rc = oplog_apply_decoded(im->st, &e, &im->stats, err);
			oplog_entry_finish(&e);
			if (rc != 0)
				goto fail;
			if (im->res->quarantined > 0)
				im->res->quarantined--;
		}
		free(rel);
		continue;
fail:
		free(rel);
		return -1;
	}
	return 0;
}

static int
settle(struct import *im, struct cimic_error *err)
{
	im->err = err;
	return roster_each(im->st, settle_node, im, err);
}

int
exchange_settle(struct store *st, struct exchange_result *res, struct cimic_error *err)
{
	struct import im = { .st = st, .res = res };
	int rc = settle(&im, err);

	res->entries_new += im.stats.entries_new;
	res->ops_new += im.stats.ops_new;
	return rc;
}

static int
import_entry(const unsigned char *raw, size_t len, void *arg, struct cimic_error *err)
{
	struct import *im = arg;
	struct oplog_entry e;
	int rc;

	im->n++;
	if (oplog_entry_decode(raw, len, &e, err) != 0)
		return cimic_error_prefix(err, _("entry %ld"), im->n);
	rc = judge_entry(im, &e, err);
	oplog_entry_finish(&e);
	if (rc == 0 && im->n % FLUSH_EVERY == 0)
		rc = oplog_apply_flush(im->st, err);
	return rc;
}

/* After every entry applied: the sender's acks, the time, the file as seen. */
static int
record_exchange(struct store *st, const struct bundle_inner *in, struct exchange_result *res,
		struct cimic_error *err)
{
	for (size_t i = 0; i < in->nacks; i++)
		if (peerstate_ack(st, in->sender, in->acks[i].author, in->acks[i].seq, err) != 0)
			return -1;
	if (res->seen_before)
		return 0;   /* nothing changes on a repeat, not even the time */
	if (peerstate_touch(st, in->sender, true, err) != 0)
		return -1;
	return peerstate_seen_add(st, res->hdr.hash, res->hdr.id, in->sender, res->entries_new, err);
}

static int
apply_all(struct store *st, struct bundle_reader *r, struct exchange_result *res,
	  struct cimic_error *err)
{
	struct import im = { .st = st, .res = res };

	if (store_begin(st, err) != 0)
		return -1;
	if (bundle_reader_entries(r, import_entry, &im, err) != 0 || settle(&im, err) != 0 ||
	    record_exchange(st, bundle_reader_inner(r), res, err) != 0) {
		store_rollback(st);
		return -1;
	}
	res->entries_new = im.stats.entries_new;
	res->entries_dup = im.stats.entries_dup;
	res->ops_new = im.stats.ops_new;
	res->conflicts_opened = im.stats.conflicts_opened;
	return store_commit(st, err);
}

int
exchange_import(struct store *st, const char *path, struct exchange_result *res,
		struct cimic_error *err)
{
	struct bundle_reader *r;
	const struct bundle_inner *in;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (bundle_reader_open(path, store_identity(st), &r, err) != 0)
		return -1;
	res->hdr = *bundle_reader_header(r);
	if (bundle_reader_authenticate(r, err) != 0)
		goto out;
	in = bundle_reader_inner(r);
	memcpy(res->sender, in->sender, IDENTITY_PK_BYTES);
	if (check_sender(st, in->sender, res, err) != 0)
		goto out;
	res->seen_before = peerstate_seen(st, res->hdr.hash);
	rc = apply_all(st, r, res, err);
out:
	bundle_reader_destroy(r);
	return rc;
}

int
exchange_apply_entry(struct store *st, const unsigned char *raw, size_t len,
		     struct exchange_result *res, struct cimic_error *err)
{
	struct import im = { .st = st, .res = res };
	int rc;

	/* Numbered as the res counts so far, so FLUSH_EVERY keeps its rhythm across batches. */
	im.n = res->entries_new + res->entries_dup + res->quarantined + res->skipped;
	rc = import_entry(raw, len, &im, err);
	res->entries_new += im.stats.entries_new;
	res->entries_dup += im.stats.entries_dup;
	res->ops_new += im.stats.ops_new;
	res->conflicts_opened += im.stats.conflicts_opened;
	return rc;
}
