/*
 * peerstate.h - what this store remembers about exchanges with peers.
 *
 * Not replicated, never part of what replicas compare:
 *  - acks: for each peer, the version vector (author -> contiguous seq)
 *    its bundles stated.  It only grows (the maximum of all statements),
 *    so a delayed old bundle cannot make us forget an ack; a bundle for
 *    the peer carries every entry past it;
 *  - bundles seen: content hashes of bundle files already applied, so a
 *    mailbox run skips them;
 *  - quarantine: entries of a revoked node past its cutoff, stored and
 *    never applied;
 *  - outbox: the last bundle file written for each peer and a digest of
 *    what it held, so an unchanged mailbox run writes nothing.
 */
#ifndef CIMIC_PEERSTATE_H
#define CIMIC_PEERSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cimic/error.h"
#include "cimic/oplog.h"

struct store;

#define PEERSTATE_KEY_BYTES 32

/* Raises the peer's ack for author to seq (never lowers it). */
int peerstate_ack(struct store *st, const unsigned char peer[32], const unsigned char author[32],
		  uint64_t seq, struct cimic_error *err);
/* The peer's ack for author (0 when none). */
uint64_t peerstate_acked(struct store *st, const unsigned char peer[32], const unsigned char author[32]);
/* Calls cb for each (author, seq) the peer acknowledged. */
int peerstate_acks_each(struct store *st, const unsigned char peer[32], oplog_vv_cb cb, void *arg,
			struct cimic_error *err);

/* Records when a bundle last came in from (in=true) or went out to the peer. */
int peerstate_touch(struct store *st, const unsigned char peer[32], bool in, struct cimic_error *err);

bool peerstate_seen(struct store *st, const unsigned char file_hash[32]);
int peerstate_seen_add(struct store *st, const unsigned char file_hash[32],
		       const unsigned char bundle_id[16], const unsigned char sender[32],
		       long entries_new, struct cimic_error *err);

/* Keeps an entry out of the tables for a human decision. */
int peerstate_quarantine(struct store *st, const struct oplog_entry *e, const char *reason,
			 struct cimic_error *err);
/*
 * The lowest seq of the author held as a fork (the author is frozen
 * before it): 1 and *seq, 0 when none, -1 on a read error.
 */
int peerstate_fork_from(struct store *st, const unsigned char author[32], uint64_t *seq,
			struct cimic_error *err);
/* The applied entry of (author, seq): 1 and its hash, 0 when none held, -1 on a read error. */
int peerstate_held_at(struct store *st, const unsigned char author[32], uint64_t seq,
		      unsigned char hash[OPLOG_HASH_BYTES], struct cimic_error *err);
/* The lowest seq above `after` of an applied entry of the author: 1 found, 0 none, -1 error. */
int peerstate_held_after(struct store *st, const unsigned char author[32], uint64_t after,
			 uint64_t *seq, struct cimic_error *err);
/*
 * The raw bytes of the entry with this hash, applied or quarantined:
 * 1 found (*raw malloc'd, *quarantined says where), 0 none, -1 error.
 */
int peerstate_entry_raw(struct store *st, const unsigned char hash[OPLOG_HASH_BYTES],
			unsigned char **raw, size_t *len, bool *quarantined, struct cimic_error *err);
/* Takes an entry out of quarantine (it is about to be applied). */
int peerstate_release(struct store *st, const unsigned char hash[OPLOG_HASH_BYTES],
		      struct cimic_error *err);
/* Entries of one author kept in quarantine. */
long peerstate_quarantined_of(struct store *st, const unsigned char author[32]);
/* Has a fork of the author's log been seen (two entries for one seq, or one held as a fork)? */
bool peerstate_fork_seen(struct store *st, const unsigned char author[32]);

/* Last bundle written for a peer. OUT *file: caller frees (NULL when none). */
int peerstate_outbox_get(struct store *st, const unsigned char peer[32], char **file,
			 unsigned char key[PEERSTATE_KEY_BYTES], bool *has_key);
int peerstate_outbox_set(struct store *st, const unsigned char peer[32], const char *file,
			 const unsigned char key[PEERSTATE_KEY_BYTES], struct cimic_error *err);

#endif
