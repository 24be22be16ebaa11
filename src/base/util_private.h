/*
 * util_private.h - what src/base/ and the tests use of util.h beyond the
 * public header: internals, not for ui/.
 */
#ifndef CIMIC_SRC_BASE_UTIL_PRIVATE_H
#define CIMIC_SRC_BASE_UTIL_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "cimic/util.h"

/*
 * Decodes the UTF-8 character at s (n bytes available): returns its
 * length (1..4) and sets *cp, or returns 0 when the bytes there are not
 * valid UTF-8 (overlong, surrogate, truncated, stray continuation).
 */
size_t util_utf8_next(const char *s, size_t n, uint32_t *cp);

#endif
