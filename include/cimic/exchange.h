/*
 * exchange.h - what goes into a bundle for a peer, and what a received
 * bundle may change (DESIGN.md sections 3-5).
 *
 * Sync state is per-author version vectors, which the op log already
 * keeps: every bundle carries the sender's vector (author -> highest
 * contiguous seq held), and that vector is the sender's ack.  A bundle
 * for a peer holds every entry past what the peer acknowledged, so
 * bundles are cumulative: a lost, duplicated or reordered one costs
 * only delay, and once acks flow back bundles shrink to what is new.
 *
 * Import policy, in one SQLite transaction per bundle (a refused bundle
 * changes nothing; a repeated one changes nothing):
 *  - the signer must be a known node that is not revoked (else
 *    CIMIC_EPERM, exit 77);
 *  - each entry is verified and decoded once; entries by unknown
 *    authors are skipped (the next cumulative bundle brings them again
 *    once the roster names the author); entries of a revoked author
 *    past its cutoff, or contradicting the pinned cutoff hash, are
 *    quarantined; an entry that changes the roster but is not by a
 *    trusted HQ refuses the whole bundle (CIMIC_EPERM);
 *  - then the sender's acks are recorded and the file marked seen.
 */
#ifndef CIMIC_EXCHANGE_H
#define CIMIC_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "cimic/bundle.h"
#include "cimic/error.h"
#include "cimic/peerstate.h"
#include "cimic/roster.h"

struct store;

struct exchange_result {
	struct bundle_header hdr;
	unsigned char sender[IDENTITY_PK_BYTES];
	char sender_name[ROSTER_NAME_MAX + 1];
	bool seen_before;             /* this very file was applied before */
	long entries_new, entries_dup, ops_new, conflicts_opened;
	long quarantined, skipped;    /* revoked past cutoff; unknown author */
};

/* Imports one bundle file addressed to this node. */
int exchange_import(struct store *st, const char *path, struct exchange_result *res,
		    struct cimic_error *err);

struct exchange_out {
	struct bundle_header hdr;
	long entries;
	unsigned char key[PEERSTATE_KEY_BYTES];   /* digest of what it carries */
};

/* Writes a bundle for the peer at path: every entry it has not acknowledged. */
int exchange_create(struct store *st, const unsigned char peer[IDENTITY_PK_BYTES], const char *path,
		    struct exchange_out *out, struct cimic_error *err);

/* ---- inspecting (the recipient's view, nothing applied) ---- */

struct exchange_author {
	unsigned char author[IDENTITY_PK_BYTES];
	char name[ROSTER_NAME_MAX + 1];    /* "" when unknown here */
	long entries, ops;
	uint64_t seq_min, seq_max;
};

struct exchange_inspection {
	struct bundle_header hdr;
	struct bundle_inner inner;          /* inner.acks not kept (NULL) */
	char sender_name[ROSTER_NAME_MAX + 1];
	bool sender_known, sender_revoked;
	size_t nauthors;
	struct exchange_author *authors;    /* owned: exchange_inspection_finish */
	long entries, ops;
};

int exchange_inspect(struct store *st, const char *path, struct exchange_inspection *out,
		     struct cimic_error *err);
void exchange_inspection_finish(struct exchange_inspection *in);

/* ---- entries from a live peer (the network link, sync/link*.c) ---- */

#endif
