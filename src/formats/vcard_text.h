/* vcard_text.h - private text helpers of the vCard reader (vcard.c). */
#ifndef CIMIC_VCARD_TEXT_H
#define CIMIC_VCARD_TEXT_H

#include <stddef.h>

/* Decodes QUOTED-PRINTABLE in place ("=C3=91" -> bytes; a bad escape stays as written). */
void vcard_text_qp_decode(char *s);
/*
 * Converts text in `charset` (any code page iconv knows: WINDOWS-1252,
 * WINDOWS-1251, KOI8-U, CP866...; NULL means ISO-8859-1 as vCard 2.1
 * implies) to UTF-8.  A byte the code page leaves unassigned, and each
 * bad byte of text that claims UTF-8 but is broken (phones truncate
 * inside a character), becomes U+FFFD.  NULL when the charset is unknown.
 * OUT: caller frees.
 */
char *vcard_text_to_utf8(const char *s, const char *charset);
/* 1-based line number of position `at` in data. */
size_t vcard_text_line_of(const char *data, const char *at);

#endif
