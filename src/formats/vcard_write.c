/*
 * vcard_write.c - vCard 4.0 content lines (RFC 6350 3.2-3.4).
 *
 * Lines end in CRLF and are folded so no physical line exceeds 75
 * octets; a fold never falls inside a UTF-8 character ("multi-octet
 * characters MUST remain contiguous").  Continuation lines start with
 * one space, which counts towards their 75 octets.
 */
#include <string.h>

#include "cimic/formats.h"

#define VCARD_FOLD_OCTETS 75

static void
vcard_fold(struct buf *b, const char *line, size_t len)
{
	size_t at = 0, room = VCARD_FOLD_OCTETS;

	while (len - at > room) {
		size_t cut = at + room;
		/* back off to the start of a character */
		while (cut > at && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--;
		if (cut == at)
			cut = at + room;   /* not UTF-8 at all: cannot happen for our text */
		buf_add(b, line + at, cut - at);
		buf_add(b, "\r\n ", 3);
		at = cut;
		room = VCARD_FOLD_OCTETS - 1;
	}
	buf_add(b, line + at, len - at);
	buf_add(b, "\r\n", 2);
}

void
vcard_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_add(b, "\\\\", 2); break;
		case ',': buf_add(b, "\\,", 2); break;
		case ';': buf_add(b, "\\;", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': break;
		default: buf_addc(b, (unsigned char)*s);
		}
	}
}

void
vcard_write_line(struct buf *b, const char *name_and_params, const char *value, bool escape)
{
	struct buf line;

	buf_init(&line);
	buf_adds(&line, name_and_params);
	buf_addc(&line, ':');
	if (escape)
		vcard_escape(&line, value);
	else
		buf_adds(&line, value);
	if (line.failed)
		b->failed = true;
	else
		vcard_fold(b, (const char *)line.data, line.len);
	buf_finish(&line);
}
