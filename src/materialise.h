/*
 * materialise.h - private to src/: writing the shown value of a field
 * into the contacts / incidents / links tables.
 */
#ifndef CIMIC_SRC_MATERIALISE_H
#define CIMIC_SRC_MATERIALISE_H

#include <stdint.h>

#include "cimic/oplog.h"
#include "store_private.h"

/* Makes sure the row exists and records the entry's HLC and author on it. */
int materialise_touch(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		      uint64_t hlc, const unsigned char author[32], struct cimic_error *err);

/*
 * Recomputes heads -> shown value and conflict state of one field and
 * writes them.  `opened_hlc` dates a conflict that opens now.
 */
int materialise_field(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		      unsigned field, struct cimic_error *err);

/* Reads the shown head's op id; false when the field has no op yet. */
bool materialise_shown_op(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
			  unsigned field, unsigned char opid[OPLOG_OPID_BYTES], bool *conflict,
			  struct model_value *value);

#endif
