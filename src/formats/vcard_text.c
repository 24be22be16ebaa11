/*
 * vcard_text.c - byte-level helpers for vcard.c: QUOTED-PRINTABLE and
 * the legacy code pages phones still write (ISO-8859-1 or WINDOWS-1252
 * for Western 2.1 exports, WINDOWS-1251 or KOI8-U for old Ukrainian and
 * Russian handsets), decoded by iconv.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimic/util.h"
#include "vcard_text.h"

/* The buffer's text, now owned by the caller; NULL when memory ran out. */
static char *
vcard_text_take(struct buf *b)
{
	char *out;

	buf_cstr(b);
	if (b->failed) {
		buf_finish(b);
		return NULL;
	}
	out = (char *)b->data;
	if (out == NULL)
		out = calloc(1, 1);
	return out;
}

static int
vcard_text_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)toupper((unsigned char)c);
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
vcard_text_qp_decode(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		int hi, lo;
		if (*r == '=' && (hi = vcard_text_hex(r[1])) >= 0 && (lo = vcard_text_hex(r[2])) >= 0) {
			*w++ = (char)(hi << 4 | lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Text that says it is UTF-8 but holds broken sequences: each bad byte becomes U+FFFD. */
static char *
vcard_text_repair_utf8(const char *s)
{
	size_t n = strlen(s);
	struct buf b;

	buf_init(&b);
	while (n > 0) {
		uint32_t cp;
		size_t k = util_utf8_next(s, n, &cp);
		if (k == 0) {
			buf_utf8(&b, 0xFFFD);
			k = 1;
		} else {
			buf_add(&b, s, k);
		}
		s += k;
		n -= k;
	}
	return vcard_text_take(&b);
}

char *
vcard_text_to_utf8(const char *s, const char *charset)
{
	char *in = (char *)s;
	size_t left = strlen(s);
	struct buf b;
	iconv_t cd;

	if (charset && strcasecmp(charset, "UTF-8") == 0)
		return vcard_text_repair_utf8(s);
	if (charset == NULL)
		charset = "ISO-8859-1";
	if (strlen(charset) > 40 || (cd = iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return NULL;
	buf_init(&b);
	while (left > 0 && !b.failed) {
		char *out;
		size_t room;
		if (!buf_reserve(&b, left * 4 + 16))
			break;
		out = (char *)b.data + b.len;
		room = b.cap - b.len - 1;
		if (iconv(cd, &in, &left, &out, &room) == (size_t)-1 && errno != E2BIG) {
			/* a byte the code page leaves unassigned, or a sequence cut at the end */
			b.len = (size_t)((unsigned char *)out - b.data);
			buf_utf8(&b, 0xFFFD);
			in++;
			left--;
			iconv(cd, NULL, NULL, NULL, NULL);
			continue;
		}
		b.len = (size_t)((unsigned char *)out - b.data);
	}
	iconv_close(cd);
	return vcard_text_take(&b);
}

size_t
vcard_text_line_of(const char *data, const char *at)
{
	size_t line = 1;

	for (const char *p = data; p < at; p++)
		if (*p == '\n')
			line++;
	return line;
}
