/*
 * gazetteer_key.c - the keys place names are looked up by.
 *
 * Officers type a settlement as they know it: "Слов'янськ" with any of
 * four apostrophes, "Sloviansk" or "Slovyansk" in a Latin report, a name
 * with a stress mark pasted from Wikipedia.  Source data is no cleaner:
 * the GeoNames dump has Latin look-alike letters inside Cyrillic words
 * ("Бoгатирівка" with a Latin o) and decomposed accents.  So every name
 * and every query goes through the same two steps:
 *
 *  1. gazetteer_fold(): per word, Latin look-alikes inside a Cyrillic
 *     word become Cyrillic; lower case; apostrophes and combining marks
 *     dropped; a parenthesised note ("(... сільська рада)") cut off.
 *  2. gazetteer_key(): the folded text transliterated (Ukrainian national
 *     system, KMU resolution 55 of 2010, plus ы э ъ ё for Russian
 *     spellings), reduced to [a-z0-9], then loosened so the common Latin
 *     variants meet: kh->h, g->h, y->i, j->i, w->v, "ie"->"i", and
 *     runs of one letter collapsed ("Zaporizhzhia"/"Zaporizhia",
 *     "Kyiv"/"Kiiv"/"Kiev").
 *
 * The key is what places.name_folded holds; the folded Cyrillic is used
 * to rank exact matches first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/gazetteer.h"
#include "gazetteer_private.h"
#include "cimic/util.h"

/* Decodes one UTF-8 character; invalid bytes decode as themselves (Latin-1). */
static uint32_t
gazetteer_next(const unsigned char **sp)
{
	const unsigned char *s = *sp;
	uint32_t c = s[0];
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
		 : (c & 0xF8) == 0xF0 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			n = 0;
	if (n <= 1) {
		*sp = s + 1;
		return c;
	}
	c &= 0xFFu >> (n + 1);
	for (size_t i = 1; i < n; i++)
		c = c << 6 | (s[i] & 0x3F);
	*sp = s + n;
	return c;
}

static bool
gazetteer_cyrillic(uint32_t c)
{
	return c >= 0x400 && c <= 0x4FF;
}

static bool
gazetteer_apostrophe(uint32_t c)
{
	return c == 0x27 || c == 0x2019 || c == 0x02BC || c == 0x2018 || c == 0x60 ||
	       c == 0xB4 || c == 0x02BB || c == 0x2032;
}

static uint32_t
gazetteer_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c == 0x490)
		return 0x491;
	return c;
}

/* Latin letters that look like Cyrillic ones, for use inside Cyrillic words. */
static uint32_t
gazetteer_lookalike(uint32_t c)
{
	static const char latin[] = "aceiopxyACEHIKMOPTXB";
	static const uint32_t cyr[] = { 0x430, 0x441, 0x435, 0x456, 0x43E, 0x440, 0x445, 0x443,
					0x410, 0x421, 0x415, 0x41D, 0x406, 0x41A, 0x41C, 0x41E,
					0x420, 0x422, 0x425, 0x412 };
	const char *p = c < 0x80 && c ? strchr(latin, (int)c) : NULL;

	return p ? cyr[p - latin] : c;
}

/* Does the word starting at s (up to a blank, '-' or end) hold a Cyrillic letter? */
static bool
gazetteer_word_is_cyrillic(const unsigned char *s)
{
	while (*s && *s != ' ' && *s != '-' && *s != '(') {
		if (gazetteer_cyrillic(gazetteer_next(&s)))
			return true;
	}
	return false;
}

/* Composes и/і/е + combining breve/diaeresis that decomposed sources write. */
static bool
gazetteer_compose(struct buf *b, uint32_t prev, uint32_t mark)
{
	uint32_t out = 0;

	if (prev == 0x438 && mark == 0x306)
		out = 0x439;   /* й */
	else if (prev == 0x456 && mark == 0x308)
		out = 0x457;   /* ї */
	else if (prev == 0x435 && mark == 0x308)
		out = 0x451;   /* ё */
	if (out == 0)
		return false;
	b->len -= 2;       /* the previous letter is two bytes */
	buf_utf8(b, out);
	return true;
}

char *
gazetteer_fold(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	struct buf b;
	bool cyr_word = false, at_word = true;
	uint32_t prev = 0;
	char *out;

	buf_init(&b);
	while (*s && *s != '(') {
		if (at_word)
			cyr_word = gazetteer_word_is_cyrillic(s);
		uint32_t c = gazetteer_next(&s);
		at_word = c == ' ' || c == '-';
		if (cyr_word)
			c = gazetteer_lookalike(c);
		c = gazetteer_lower(c);
		if (gazetteer_apostrophe(c))
			continue;
		if (c >= 0x300 && c <= 0x36F) {
			gazetteer_compose(&b, prev, c);
			continue;
		}
		buf_utf8(&b, c);
		prev = c;
	}
	while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '-'))
		b.len--;
	out = b.failed ? NULL : util_strndup(b.len ? (const char *)b.data : "", b.len);
	buf_finish(&b);
	return out;
}

/* KMU 55-2010: [0] in the middle of a word, [1] at its start. */
static const char *
gazetteer_translit(uint32_t c, bool word_start)
{
	static const char *const basic[32] = {
		"a", "b", "v", "h", "d", "e", "zh", "z", "y", "i", "k", "l", "m", "n", "o", "p",
		"r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia",
	};

	if (c >= 0x430 && c <= 0x44F) {
		if (word_start && c == 0x439)
			return "y";
		if (word_start && c == 0x44E)
			return "yu";
		if (word_start && c == 0x44F)
			return "ya";
		return basic[c - 0x430];
	}
	switch (c) {
	case 0x454: return word_start ? "ye" : "ie";   /* є */
	case 0x456: return "i";                        /* і */
	case 0x457: return word_start ? "yi" : "i";    /* ї */
	case 0x491: return "g";                        /* ґ */
	case 0x451: return word_start ? "yo" : "io";   /* ё */
	}
	return NULL;
}

/* Appends the KMU transliteration of folded text. */
static void
gazetteer_romanise(struct buf *b, const char *folded)
{
	const unsigned char *s = (const unsigned char *)folded;
	bool word_start = true;
	uint32_t prev = 0;

	while (*s) {
		uint32_t c = gazetteer_next(&s);
		const char *t = gazetteer_translit(c, word_start);
		if (t)
			buf_adds(b, (prev == 0x437 && c == 0x433) ? "gh" : t);   /* зг -> zgh */
		else if (c < 0x80)
			buf_addc(b, (unsigned char)c);
		word_start = !(gazetteer_cyrillic(c) || (c < 0x80 && c > ' ' && c != '-'));
		prev = c;
	}
}

/* Loosens romanised text as the header comment says. */
static char *
gazetteer_loosen(const struct buf *roman)
{
	char *out = malloc(roman->len + 1);
	size_t n = 0;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < roman->len; i++) {
		char c = (char)roman->data[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			continue;
		if (c == 'k' && i + 1 < roman->len && (roman->data[i + 1] | 32) == 'h')
			continue;   /* kh -> h */
		c = c == 'g' ? 'h' : c == 'y' || c == 'j' ? 'i' : c == 'w' ? 'v' : c;
		if (n > 0 && (out[n - 1] == c || (c == 'e' && out[n - 1] == 'i')))
			continue;   /* runs collapsed; "ie" -> "i" so Kiev meets Kyiv */
		out[n++] = c;
		if (n >= 4 && c == 'h' && memcmp(out + n - 4, out + n - 2, 2) == 0)
			n -= 2;     /* doubled digraph: zhzh -> zh (Запоріжжя) */
	}
	out[n] = '\0';
	return out;
}

char *
gazetteer_key(const char *name)
{
	char *folded = gazetteer_fold(name);
	struct buf roman;
	char *key = NULL;

	if (folded == NULL)
		return NULL;
	buf_init(&roman);
	gazetteer_romanise(&roman, folded);
	if (!roman.failed)
		key = gazetteer_loosen(&roman);
	buf_finish(&roman);
	free(folded);
	return key;
}

char *
gazetteer_romanised(const char *name)
{
	char *folded = gazetteer_fold(name);
	struct buf roman;
	char *out = NULL;

	if (folded == NULL)
		return NULL;
	buf_init(&roman);
	gazetteer_romanise(&roman, folded);
	if (!roman.failed)
		out = util_strndup(roman.len ? (const char *)roman.data : "", roman.len);
	buf_finish(&roman);
	free(folded);
	return out;
}
