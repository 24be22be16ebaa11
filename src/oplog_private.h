/* oplog_private.h - private to src/: applying an already decoded entry. */
#ifndef CIMIC_SRC_OPLOG_PRIVATE_H
#define CIMIC_SRC_OPLOG_PRIVATE_H

#include "cimic/oplog.h"

/* The core of oplog_apply_entry, for entries built locally (no re-decoding). */
int oplog_apply_decoded(struct store *st, const struct oplog_entry *e,
			struct oplog_apply_stats *stats, struct cimic_error *err);

#endif
