/*
 * materialise.h - private to src/model/: writing the shown value of a
 * field into the contacts / incidents / links / roster tables.
 */
#ifndef CIMIC_SRC_MATERIALISE_H
#define CIMIC_SRC_MATERIALISE_H

#include <stdint.h>

#include "cimic/oplog.h"
#include "store_private.h"

/* Makes sure the row exists and records the entry's HLC and author on it. */
int materialise_touch(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		      uint64_t hlc, const unsigned char author[32], struct cimic_error *err);

/* Does the materialised row exist? 1 yes (also for tables not materialised here), 0 no, -1 error. */
int materialise_row_exists(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES]);

/*
 * Fast path for a row seen for the first time: when each of the n ops
 * (all of one row) sets a different known field and none is replaced,
 * each is the only op of its field, so it is the shown value and no
 * conflict exists: the row is inserted with one statement.  Returns 1
 * (nothing done) when that does not hold.
 */
int materialise_insert_row(struct store *st, unsigned tbl, const struct oplog_op *ops, size_t n,
			   uint64_t hlc, const unsigned char author[32], struct cimic_error *err);

/*
 * Recomputes heads -> shown value and conflict state of one field and
 * writes them.  `opened_hlc` dates a conflict that opens now.
 */
int materialise_field(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		      unsigned field, struct cimic_error *err);

/*
 * Reads the shown head's op id (and value, and whether the field is in
 * conflict): 1 found, 0 when the field has no op yet, -1 on a read error.
 */
int materialise_shown_op(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
			  unsigned field, unsigned char opid[OPLOG_OPID_BYTES], bool *conflict,
			  struct model_value *value);

/* struct oplog_derived's held: does the op wait for HQ's review? */
bool materialise_held(struct store *st, const struct oplog_entry *e, const struct oplog_op *op);

/* struct oplog_derived's refresh_field: a field some ops left (oplog_unapply_from). */
int materialise_refresh_field(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
			      unsigned field, struct cimic_error *err);

/* struct oplog_derived's apply_row: ops [0, n) of entry e, all of one row. */
int materialise_apply_row(struct store *st, const struct oplog_entry *e, const struct oplog_op *ops,
			  size_t n, bool any_superseded, struct cimic_error *err);

/* ---- the model's per-store state (store_open.c) ---- */

/*
 * Remembers that a record changed in this transaction: before commit its
 * search index is refreshed (contacts, incidents) and it gets the
 * transaction's change seq (pubstate_bump).
 */
int model_mark_dirty(struct store *st, unsigned kind, const unsigned char id[CIMIC_ID_BYTES]);
/* Counts conflicts opened (+1) and closed (-1) in this transaction. */
void model_conflicts_moved(struct store *st, int delta);
/* Net conflicts opened since the transaction began. */
long model_conflicts_net(struct store *st);

/* ---- the change sequence (pubstate.c) ---- */

/* The next change seq: one more than the highest given so far. -1 on a read error. */
int64_t pubstate_next_seq(struct store *st);
/* Gives a record (kind 1-3) change seq `seq`. */
int pubstate_bump(struct store *st, unsigned kind, const unsigned char id[CIMIC_ID_BYTES],
		  int64_t seq, struct cimic_error *err);

#endif
