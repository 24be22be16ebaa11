/*
 * search_private.h - what src/model/ and the tests use of search.h beyond the public
 * header: internals, not for ui/.
 */
#ifndef CIMIC_SRC_MODEL_SEARCH_PRIVATE_H
#define CIMIC_SRC_MODEL_SEARCH_PRIVATE_H

#include "cimic/search.h"

/* Rebuilds the index entry of one row (called by the op log). */
int search_index_row(struct store *st, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
		     struct cimic_error *err);

/* Brings an index of an older layout up to date (once, when the store opens). */
int search_upgrade(struct store *st, struct cimic_error *err);

#endif
