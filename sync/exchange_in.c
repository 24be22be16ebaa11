/*
 * exchange_in.c - importing a bundle: who may send it, which entries
 * apply, all in one transaction (policy in exchange.h).
 */
#include <stdio.h>
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

static bool
zero_hash(const unsigned char *h)
{
	for (int i = 0; i < OPLOG_HASH_BYTES; i++)
		if (h[i] != 0)
			return false;
	return true;
}

/* Applies, quarantines or skips one decoded entry. */
static int
judge_entry(struct import *im, const struct oplog_entry *e, struct cimic_error *err)
{
	struct roster_node n = { 0 };
	bool self = memcmp(e->author, store_identity(im->st)->pub.sign_pk, IDENTITY_PK_BYTES) == 0;
	char fp[24];

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
	if (!self && n.revoked) {
		if (e->seq > n.revoked_after)
			goto quarantine;
		if (e->seq == n.revoked_after && !zero_hash(n.revoked_hash) &&
		    memcmp(e->hash, n.revoked_hash, OPLOG_HASH_BYTES) != 0)
			goto quarantine;   /* a fork of the pinned chain */
	}
	return oplog_apply_decoded(im->st, e, &im->stats, err);
quarantine:
	im->res->quarantined++;
	return peerstate_quarantine(im->st, e, e->seq > n.revoked_after ? "revoked" : "fork", err);
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
	if (bundle_reader_entries(r, import_entry, &im, err) != 0 ||
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
