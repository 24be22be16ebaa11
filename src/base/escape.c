/*
 * escape.c - showing hostile text on a terminal (see escape.h).
 *
 * One pass over the text with the one UTF-8 decoder (util_utf8_next):
 * a character that is safe is copied, anything else becomes a short
 * visible escape.  The output is plain printable ASCII plus the safe
 * characters of the input, so it can be measured with wcwidth and cut
 * anywhere between characters.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/escape.h"
#include "util_private.h"

bool
escape_terminal_needed(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return true;
	if (cp >= 0x80 && cp <= 0x9f)
		return true;
	/* bidi embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI) */
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool
kept(uint32_t cp, unsigned flags)
{
	return (cp == '\n' && (flags & ESCAPE_KEEP_NEWLINE)) || (cp == '\t' && (flags & ESCAPE_KEEP_TAB));
}

bool
escape_terminal_safe(const char *s, size_t n, unsigned flags)
{
	size_t at = 0;

	while (at < n) {
		uint32_t cp;
		size_t k = util_utf8_next(s + at, n - at, &cp);
		if (k == 0 || (escape_terminal_needed(cp) && !kept(cp, flags)))
			return false;
		at += k;
	}
	return true;
}

static void
escape_one(struct buf *out, uint32_t cp)
{
	switch (cp) {
	case 0x1b: buf_adds(out, "\\e"); return;
	case '\n': buf_adds(out, "\\n"); return;
	case '\r': buf_adds(out, "\\r"); return;
	case '\t': buf_adds(out, "\\t"); return;
	}
	if (cp < 0x80)
		buf_printf(out, "\\x%02x", (unsigned)cp);
	else
		buf_printf(out, "\\u%04x", (unsigned)cp);
}

void
escape_terminal(struct buf *out, const char *s, size_t n, unsigned flags)
{
	size_t at = 0;

	while (at < n) {
		uint32_t cp;
		size_t k = util_utf8_next(s + at, n - at, &cp);
		if (k == 0) {
			buf_printf(out, "\\x%02x", (unsigned char)s[at]);
			at++;
			continue;
		}
		if (escape_terminal_needed(cp) && !kept(cp, flags))
			escape_one(out, cp);
		else
			buf_add(out, s + at, k);
		at += k;
	}
}

char *
escape_terminal_dup(const char *s, unsigned flags)
{
	struct buf b;
	char *copy;

	if (s == NULL)
		s = "";
	buf_init(&b);
	escape_terminal(&b, s, strlen(s), flags);
	copy = b.failed ? NULL : util_strdup(buf_cstr(&b));
	buf_finish(&b);
	return copy;
}
