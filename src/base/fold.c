/*
 * fold.c - fold_text(), on libutf8proc.
 *
 * Two passes: the text decoded with the one decoder, apostrophes and
 * separate stress marks dropped; then utf8proc's case folding and
 * canonical composition (NFC), so a decomposed letter (и + breve) is one
 * character again, as the keyboard writes it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "cimic/fold.h"
#include "cimic/util.h"

static bool
fold_is_apostrophe(uint32_t cp)
{
	return cp == 0x27 || cp == 0x2019 || cp == 0x02BC || cp == 0x2018 || cp == 0x60 ||
	       cp == 0xB4 || cp == 0x02B9 || cp == 0x02BB || cp == 0x2032;
}

/* Stress marks an accented text (a dictionary, Wikipedia) puts over vowels. */
static bool
fold_is_stress(uint32_t cp)
{
	return cp == 0x301 || cp == 0x300;
}

char *
fold_text(const char *text)
{
	const char *s = text ? text : "";
	size_t n = strlen(s);
	utf8proc_uint8_t *folded = NULL;
	struct buf b;

	buf_init(&b);
	while (n > 0) {   /* the one decoder: a bad byte becomes U+FFFD */
		uint32_t cp;
		size_t k = util_utf8_next(s, n, &cp);
		if (k == 0)
			buf_utf8(&b, 0xFFFD);
		else if (!fold_is_apostrophe(cp) && !fold_is_stress(cp))
			buf_add(&b, s, k);
		s += k ? k : 1;
		n -= k ? k : 1;
	}
	if (!b.failed &&
	    utf8proc_map((const utf8proc_uint8_t *)buf_cstr(&b), (utf8proc_ssize_t)b.len, &folded,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0)
		folded = NULL;
	buf_finish(&b);
	return (char *)folded;
}
