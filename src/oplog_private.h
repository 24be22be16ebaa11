/*
 * oplog_private.h - private to src/: applying an already decoded entry
 * (oplog_apply_decoded, now declared in cimic/oplog.h for sync/).
 */
#ifndef CIMIC_SRC_OPLOG_PRIVATE_H
#define CIMIC_SRC_OPLOG_PRIVATE_H

#include "cimic/oplog.h"

#endif
