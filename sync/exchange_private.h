/*
 * exchange_private.h - what sync/ and the tests use of exchange.h beyond the public
 * header: internals, not for ui/.
 */
#ifndef CIMIC_SYNC_EXCHANGE_PRIVATE_H
#define CIMIC_SYNC_EXCHANGE_PRIVATE_H

#include "cimic/exchange.h"

/*
 * The import policy above for one entry that arrived over the link
 * instead of in a bundle: decode once, skip an unknown author,
 * quarantine a revoked author past its cutoff, refuse (CIMIC_EPERM) a
 * roster change not by HQ, apply the rest.  The caller checked the peer
 * against the roster and holds the transaction (store_begin, then
 * oplog_apply_flush and store_commit); counts add up in res
 * (entries_new, entries_dup, ops_new, conflicts_opened, quarantined,
 * skipped).
 */
int exchange_apply_entry(struct store *st, const unsigned char *raw, size_t len,
			 struct exchange_result *res, struct cimic_error *err);

/*
 * After the entries of one batch (bundle or link): for every revoked
 * node, the entries on the chain its pinned hash reaches are applied
 * and any applied entry off it is taken back and kept as a fork.
 */
int exchange_settle(struct store *st, struct exchange_result *res, struct cimic_error *err);

/*
 * A digest of this node's version vector for the peer: while it stays
 * equal, the last bundle written for the peer still carries everything
 * the peer may lack, and the same acks.
 */
int exchange_content_key(struct store *st, const unsigned char peer[IDENTITY_PK_BYTES],
			 unsigned char key[PEERSTATE_KEY_BYTES], struct cimic_error *err);

#endif
