/*
 * pubstate.h - what this store has published, and where (publish/).
 *
 * The store keeps a change sequence (schema v3): every write to a
 * record, to its open conflicts or to a node's unit, role, name or
 * revocation gives that row the next value of one store-wide sequence.
 * Writers are serialised, so the sequence follows the local commit
 * order, whatever the HLCs of the ops say (a bundle that arrives late
 * carries old HLCs, yet its rows get new seqs).
 *
 * A publishing target (one PostgreSQL database, named by the id its
 * cimic schema holds) has a watermark: the seq up to which that
 * database holds this store's picture.  A run reads, in one read
 * transaction, the current seq and the rows changed after the
 * watermark (model_list with changed_after / changed_upto), writes them
 * to the database, and moves the watermark only after the database has
 * committed them, so a failed run sends the same rows again next time.
 */
#ifndef CIMIC_PUBSTATE_H
#define CIMIC_PUBSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cimic/error.h"
#include "cimic/identity.h"

struct store;

#define PUBSTATE_TARGET_MAX 63
#define PUBSTATE_LABEL_MAX 255

struct pubstate_target {
	char target[PUBSTATE_TARGET_MAX + 1];  /* the database's id (a UUID) */
	char label[PUBSTATE_LABEL_MAX + 1];    /* where it was reached: user@host:port/db, no password */
	int64_t seq;                           /* the database holds every change up to this seq */
	int64_t published_ms;                  /* when that run committed */
	long rows;                             /* rows that run sent */
};

/*
 * Opens a read transaction (one snapshot for the whole run) and gives
 * the current change seq: everything committed so far has seq <= *now.
 * End it with pubstate_read_end().
 */
int pubstate_read_begin(struct store *st, int64_t *now, struct cimic_error *err);
void pubstate_read_end(struct store *st);

/* A target's state: 1 found, 0 never published there, -1 error. */
int pubstate_get(struct store *st, const char *target, struct pubstate_target *out,
		 struct cimic_error *err);
/* Records a committed run (its own store transaction). */
int pubstate_set(struct store *st, const struct pubstate_target *t, struct cimic_error *err);

/* Every target, most recently published first; non-zero from cb stops and is returned. */
typedef int (*pubstate_cb)(const struct pubstate_target *t, void *arg);
int pubstate_each(struct store *st, pubstate_cb cb, void *arg, struct cimic_error *err);

/* Signing keys of the nodes changed in (after, upto]; non-zero from cb stops. */
typedef int (*pubstate_node_cb)(const unsigned char sign_pk[IDENTITY_PK_BYTES], void *arg);
int pubstate_changed_nodes(struct store *st, int64_t after, int64_t upto, pubstate_node_cb cb,
			   void *arg, struct cimic_error *err);

#endif
