/*
 * oplog_private.h - what the op log asks of the tables derived from it.
 *
 * The log stores entries, ops, preds and head flags; it knows nothing of
 * contacts, incidents, the roster or the search index.  Those are derived
 * tables, kept by src/model/, which attaches them to each open store
 * (model_attach) through struct oplog_derived.  The log calls them while it
 * applies an entry, in the same transaction, so tables and log never differ.
 */
#ifndef CIMIC_SRC_OPLOG_PRIVATE_H
#define CIMIC_SRC_OPLOG_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cimic/oplog.h"

struct oplog_derived {
	/*
	 * ops [0, n) of entry e, all of one row, are stored with their head
	 * flags; `any_superseded`: some op of e is already replaced by a held op.
	 */
	int (*apply_row)(struct store *st, const struct oplog_entry *e, const struct oplog_op *ops,
			 size_t n, bool any_superseded, struct cimic_error *err);
	/*
	 * The shown head of a field (op id, value, whether in conflict):
	 * 1 found, 0 when the field has no op yet, -1 on a read error.
	 * value: OUT, caller finishes; conflict may be NULL.
	 */
	int (*shown_op)(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
			unsigned field, unsigned char opid[OPLOG_OPID_BYTES], bool *conflict,
			struct model_value *value);
	/*
	 * Conflicts opened less conflicts closed since the transaction began,
	 * kept as they change (so an import never counts the whole table).
	 */
	long (*conflicts_net)(struct store *st);
	/*
	 * Re-materialises one field after ops left it (oplog_unapply_from):
	 * its shown value from the heads that remain, or no value, and the
	 * row itself when no op of it is left.
	 */
	/*
	 * The authority rule (DESIGN.md section 4): does op i of e wait for
	 * HQ's review instead of taking effect?  A pure function of the op,
	 * its author's role and the row's creator.
	 */
	bool (*held)(struct store *st, const struct oplog_entry *e, const struct oplog_op *op);
	int (*refresh_field)(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
			     unsigned field, struct cimic_error *err);
};

/* Attaches the derived tables to an open store (once).  d is borrowed (static). */
int oplog_attach(struct store *st, const struct oplog_derived *d, struct cimic_error *err);
/* The attached tables, or NULL (with err set) when nothing is attached. */
const struct oplog_derived *oplog_derived_of(struct store *st, struct cimic_error *err);

/*
 * Verifies and applies one encoded entry inside the caller's open
 * transaction (store_begin).  Idempotent.  Caller checks that the
 * author is trusted before calling (sync/ does, through the roster).
 * Call oplog_apply_flush() before committing.
 */
int oplog_apply_entry(struct store *st, const unsigned char *raw, size_t len,
		      struct oplog_apply_stats *stats, struct cimic_error *err);

#endif
