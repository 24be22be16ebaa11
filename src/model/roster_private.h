/* roster_private.h - private to src/: materialising roster (TBL_NODE) ops. */
#ifndef CIMIC_SRC_ROSTER_PRIVATE_H
#define CIMIC_SRC_ROSTER_PRIVATE_H

#include "cimic/roster.h"

/* Rebuilds the roster columns of the node a TBL_NODE row names, from its shown ops. */
int roster_materialise(struct store *st, const unsigned char row[CIMIC_ID_BYTES],
		       struct cimic_error *err);

#endif
