/*
 * vcard_text.c - byte-level helpers for vcard.c: QUOTED-PRINTABLE and
 * the legacy 8-bit charsets phones still write (ISO-8859-1 for Western
 * 2.1 exports, WINDOWS-1251 for old Ukrainian and Russian handsets).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimic/util.h"
#include "vcard_text.h"

/* WINDOWS-1251 bytes 0x80..0xFF as code points (0x98 is unassigned). */
static const uint16_t vcard_text_cp1251[128] = {
	0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
	0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
	0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
	0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
	0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
	0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
	0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
	0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
	0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
	0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
	0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
	0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
	0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
	0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
	0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,};

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

static void
vcard_text_put_utf8(unsigned char **w, uint32_t cp)
{
	unsigned char *p = *w;

	if (cp < 0x80) {
		*p++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*p++ = (unsigned char)(0xC0 | cp >> 6);
		*p++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*p++ = (unsigned char)(0xE0 | cp >> 12);
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*p++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*w = p;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
vcard_text_seq(const unsigned char *s)
{
	size_t n = *s < 0x80 ? 1 : (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3
		 : (*s & 0xF8) == 0xF0 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n && util_utf8_valid((const char *)s, n) ? n : 0;
}

/* Text that says it is UTF-8 but holds broken sequences: each bad byte becomes U+FFFD. */
static char *
vcard_text_repair_utf8(const char *s)
{
	unsigned char *out = malloc(strlen(s) * 3 + 1), *w = out;

	if (out == NULL)
		return NULL;
	for (const unsigned char *r = (const unsigned char *)s; *r;) {
		size_t n = vcard_text_seq(r);
		if (n == 0) {
			vcard_text_put_utf8(&w, 0xFFFD);
			r++;
			continue;
		}
		memcpy(w, r, n);
		w += n;
		r += n;
	}
	*w = '\0';
	return (char *)out;
}

char *
vcard_text_to_utf8(const char *s, const char *charset)
{
	bool cp1251 = charset && (strcasecmp(charset, "WINDOWS-1251") == 0 ||
				  strcasecmp(charset, "CP1251") == 0);
	bool latin = charset == NULL || strcasecmp(charset, "ISO-8859-1") == 0 ||
		     strcasecmp(charset, "WINDOWS-1252") == 0 || strcasecmp(charset, "LATIN1") == 0;
	size_t n = strlen(s);
	unsigned char *out, *w;

	if (charset && strcasecmp(charset, "UTF-8") == 0)
		return vcard_text_repair_utf8(s);
	if (!cp1251 && !latin)
		return NULL;
	out = malloc(n * 3 + 1);
	if (out == NULL)
		return NULL;
	w = out;
	for (const unsigned char *r = (const unsigned char *)s; *r; r++) {
		uint32_t cp = *r < 0x80 ? *r : cp1251 ? vcard_text_cp1251[*r - 0x80] : *r;
		vcard_text_put_utf8(&w, cp);
	}
	*w = '\0';
	return (char *)out;
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
