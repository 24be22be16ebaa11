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
 *     word become Cyrillic; a parenthesised note ("(... сільська рада)")
 *     cut off; then fold_text(), the fold search uses too (lower case,
 *     apostrophes and stress marks dropped, decomposed letters composed).
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

#include "cimic/fold.h"
#include "cimic/gazetteer.h"
#include "gazetteer_private.h"
#include "cimic/util.h"

/* The next code point of NUL-terminated text (the one decoder; a bad byte is U+FFFD). */
static uint32_t
gazetteer_next(const unsigned char **sp)
{
	uint32_t c;
	size_t n = util_utf8_next((const char *)*sp, strnlen((const char *)*sp, 4), &c);

	if (n == 0) {
		*sp += 1;
		return 0xFFFD;
	}
	*sp += n;
	return c;
}

static bool
gazetteer_cyrillic(uint32_t c)
{
	return c >= 0x400 && c <= 0x4FF;
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

char *
gazetteer_fold(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	struct buf b;
	bool cyr_word = false, at_word = true;
	char *folded;
	size_t n;

	buf_init(&b);
	while (*s && *s != '(') {
		if (at_word)
			cyr_word = gazetteer_word_is_cyrillic(s);
		uint32_t c = gazetteer_next(&s);
		at_word = c == ' ' || c == '-';
		buf_utf8(&b, cyr_word ? gazetteer_lookalike(c) : c);
	}
	folded = b.failed ? NULL : fold_text(buf_cstr(&b));
	buf_finish(&b);
	if (folded == NULL)
		return NULL;
	n = strlen(folded);
	while (n && (folded[n - 1] == ' ' || folded[n - 1] == '-'))
		folded[--n] = '\0';
	return folded;
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
