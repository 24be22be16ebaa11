/*
 * timefmt_private.h - what src/base/ and the tests use of timefmt.h beyond the public
 * header: internals, not for ui/.
 */
#ifndef CIMIC_SRC_BASE_TIMEFMT_PRIVATE_H
#define CIMIC_SRC_BASE_TIMEFMT_PRIVATE_H

#include "cimic/timefmt.h"

/* Offset of Europe/Kyiv from UTC at that instant, in minutes (120 or 180). */
int timefmt_kyiv_offset_min(int64_t ms);

#endif
