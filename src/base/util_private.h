/*
 * util_private.h - what src/base/ and the tests use of util.h beyond the
 * public header: internals, not for ui/.
 */
#ifndef CIMIC_SRC_BASE_UTIL_PRIVATE_H
#define CIMIC_SRC_BASE_UTIL_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "cimic/util.h"


#endif
