/*
 * roster.h - the nodes this store knows: peers it exchanges bundles
 * with, and the roster HQ keeps of enrolled nodes (DESIGN.md section 4).
 *
 * Trust is explicit.  `peer add` on a field unit names the HQ it trusts
 * (local only); `peer add` and `peer revoke` on HQ also write roster
 * ops (table TBL_NODE) into HQ's own signed log, so enrolment and
 * revocation reach every field unit through ordinary bundles.  A roster
 * row is keyed by roster_row(sign_pk) and holds the node's self-signed
 * identity string, its name, and its revocation: the last seq of that
 * node HQ had verified when it learned of the loss (and that entry's
 * hash).  Entries up to the cutoff stay valid; later ones are
 * quarantined, and bundles the node signs are refused.
 *
 * Only entries by a trusted HQ may carry TBL_NODE ops; the exchange code
 * in sync/ enforces that before applying anything.
 */
#ifndef CIMIC_ROSTER_H
#define CIMIC_ROSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "cimic/error.h"
#include "cimic/identity.h"
#include "cimic/oplog.h"

struct store;
struct oplog_txn;

#define ROSTER_NAME_MAX 63

/* Roster op fields (part of the op-log format: never renumber). */
enum roster_field {
	RF_IDENTITY = 1,     /* text: the node's "cimic1:" identity string */
	RF_NAME = 2,         /* text: the name HQ gave it */
	RF_REVOKED = 3,      /* int: 1 revoked */
	RF_CUTOFF = 4,       /* int: last seq HQ had verified */
	RF_CUTOFF_HASH = 5,  /* text: hex hash of that entry ("" when seq 0) */
};

struct roster_node {
	struct node_public pub;
	char name[ROSTER_NAME_MAX + 1];   /* local name, else the unit */
	bool peer;                        /* bundles are exchanged with it */
	bool roster;                      /* named by HQ's roster */
	bool revoked;
	uint64_t revoked_after;           /* valid up to this seq */
	unsigned char revoked_hash[OPLOG_HASH_BYTES];   /* zero when unknown */
	int64_t added_ms, last_in_ms, last_out_ms;      /* 0: never */
};

/* Reads a node by key: 1 found, 0 unknown, -1 a read error (err filled). */
int roster_lookup(struct store *st, const unsigned char sign_pk[IDENTITY_PK_BYTES],
		  struct roster_node *out, struct cimic_error *err);
/* Reads a node by key; false when unknown (or unreadable). */
bool roster_get(struct store *st, const unsigned char sign_pk[IDENTITY_PK_BYTES],
		struct roster_node *out);

/*
 * Finds a node by what a person types: its name, its unit, or its
 * fingerprint / key id (hex, dashes optional, at least 4 digits).
 * CIMIC_ENOINPUT when none, CIMIC_EUSAGE when ambiguous.
 */
int roster_find(struct store *st, const char *what, struct roster_node *out,
		struct cimic_error *err);

/* Calls cb for each node (peers first, then by name); non-zero from cb stops. */
typedef int (*roster_cb)(const struct roster_node *n, void *arg);
int roster_each(struct store *st, roster_cb cb, void *arg, struct cimic_error *err);

/*
 * `peer add`: trusts the node of an identity string under `name`.
 * `hq` marks the HQ a field unit trusts (the identity must say hq).
 * On an HQ store it also enrols the node in the replicated roster.
 * OUT out (optional): the node as stored.
 */
int roster_add(struct oplog_txn *txn, const char *identity, const char *name, bool hq,
	       struct roster_node *out, struct cimic_error *err);

/*
 * `peer revoke`: the node's entries after the last seq held now stay
 * out; bundles it signs are refused.  On HQ the revocation replicates.
 */
int roster_revoke(struct oplog_txn *txn, const unsigned char sign_pk[IDENTITY_PK_BYTES],
		  struct roster_node *out, struct cimic_error *err);

/*
 * `peer revert NAME --after SEQ` (HQ): writes ops restoring, for every
 * field of a record the node changed in its entries after `after`, the
 * value its first change replaced; records it created after that are
 * archived.  OUT fields, records: how many were restored.
 */
int roster_revert(struct oplog_txn *txn, const unsigned char author[32], uint64_t after, long *fields,
		  long *records, struct cimic_error *err);

/* May entries by this key change the roster (this node as HQ, or a trusted HQ)? */
bool roster_is_hq(struct store *st, const unsigned char sign_pk[IDENTITY_PK_BYTES]);

#endif
