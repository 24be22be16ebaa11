/*
 * duplicates.c - candidate duplicate contacts (see duplicates.h).
 *
 * Every live contact gives a few blocking keys: each phone's last nine
 * digits (the Ukrainian national number, whatever prefix and grouping
 * was typed), each e-mail, every pair of its name words (folded and
 * transliterated by gazetteer_key, so "Петренко Іван" and "Ivan
 * Petrenko" share "ivan|petrenko"), and its organisation with its
 * settlement.  An organisation key is its first word and the initials
 * of the rest, an all-capital word giving all its letters, so "Купʼянська
 * МВА" and "Куп'янська міська військова адміністрація" meet.  Keys are
 * hashed and sorted; only records that share a key are scored, and a
 * key held by too many records (a switchboard, a common name) is not
 * used to propose pairs, so the work grows with the records, not with
 * their square.  Scoring weighs agreement against contradiction: a
 * namesake with another phone and another organisation scores below the
 * threshold.  Incidents: dup_incidents.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/duplicates.h"
#include "cimic/gazetteer.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "duplicates_private.h"
#include "store_private.h"

#define MAX_TOKENS 6
#define MAX_PHONES 4
#define MAX_EMAILS 3
#define BLOCK_MAX 300      /* a key held by more records proposes nothing */
#define THRESHOLD 50

struct dup_contact {
	unsigned char id[CIMIC_ID_BYTES];
	uint64_t name[MAX_TOKENS];
	uint64_t phone[MAX_PHONES];
	uint64_t email[MAX_EMAILS];
	uint64_t org, settlement;         /* 0 when empty */
	unsigned char nname, nphone, nemail;
	char *distinct;                   /* distinct_from, or NULL */
};

uint64_t
dup_hash(const char *s, size_t n, uint64_t seed)
{
	uint64_t h = 1469598103934665603ull ^ seed;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

uint64_t
dup_text_key(const char *text, uint64_t seed)
{
	char *k;
	uint64_t h = 0;

	if (text == NULL || text[0] == '\0')
		return 0;
	k = gazetteer_key(text);
	if (k != NULL && k[0] != '\0')
		h = dup_hash(k, strlen(k), seed);
	free(k);
	return h;
}

/* Phones: each run separated by , ; / gives its last nine digits (shorter: as typed). */
static void
phone_keys(struct dup_contact *c, const char *s)
{
	while (s && *s && c->nphone < MAX_PHONES) {
		char d[32];
		size_t n = 0, len = strcspn(s, ",;/");
		for (size_t i = 0; i < len; i++)
			if (s[i] >= '0' && s[i] <= '9' && n < sizeof d)
				d[n++] = s[i];
		if (n >= 3)
			c->phone[c->nphone++] = n > 9 ? dup_hash(d + n - 9, 9, 'p') : dup_hash(d, n, 'p');
		s += len;
		if (*s)
			s++;
	}
}

static void
email_keys(struct dup_contact *c, const char *s)
{
	while (s && *s && c->nemail < MAX_EMAILS) {
		char e[256];
		size_t n = 0, len = strcspn(s, ",; \t");
		for (size_t i = 0; i < len && n < sizeof e; i++)
			e[n++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		if (n > 0 && memchr(e, '@', n))
			c->email[c->nemail++] = dup_hash(e, n, 'e');
		s += len;
		if (*s)
			s++;
	}
}

static bool
is_separator(unsigned char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == '.' || c == '-' || c == '(' || c == ')' ||
	       c == '"' || c == '/' || c == ';' || c == '\n';
}

/* Calls fn for each word of s (a copy, NUL-terminated). */
static void
each_word(const char *s, void (*fn)(const char *word, void *arg), void *arg)
{
	char w[256];

	while (s && *s) {
		size_t len;
		while (*s && is_separator((unsigned char)*s))
			s++;
		for (len = 0; s[len] && !is_separator((unsigned char)s[len]); len++)
			;
		if (len > 0 && len < sizeof w) {
			memcpy(w, s, len);
			w[len] = '\0';
			fn(w, arg);
		}
		s += len;
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
name_word(const char *word, void *arg)
{
	struct dup_contact *c = arg;
	uint64_t h;

	if (c->nname >= MAX_TOKENS || strlen(word) < 2)
		return;
	if ((h = dup_text_key(word, 'n')) == 0)
		return;
	for (unsigned i = 0; i < c->nname; i++)
		if (c->name[i] == h)
			return;
	c->name[c->nname++] = h;
}

struct org_state {
	struct buf key;
	int words;
};

/* Bytes of the UTF-8 character starting with lead byte c. */
static size_t
char_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
}

/* An all-capital word of two or more letters (Latin or Cyrillic) is an abbreviation. */
static bool
is_abbreviation(const char *w)
{
	const unsigned char *p = (const unsigned char *)w;
	int letters = 0;

	while (*p) {
		size_t len = char_len(*p);
		for (size_t i = 1; i < len; i++)
			if (p[i] == '\0')
				return false;   /* truncated */
		if ((*p >= 'a' && *p <= 'z') || (p[0] == 0xd0 && p[1] >= 0xb0) || p[0] == 0xd1 ||
		    (p[0] == 0xd2 && p[1] == 0x91))
			return false;   /* a lower-case letter */
		letters++;
		p += len;
	}
	return letters >= 2;
}

static void
org_word(const char *word, void *arg)
{
	struct org_state *o = arg;
	char *k;

	if (o->words++ == 0 || is_abbreviation(word)) {
		k = gazetteer_key(word);
	} else {
		size_t len = char_len((unsigned char)word[0]);
		char first[8];
		if (strlen(word) <= 2 || strlen(word) < len)  /* "з", "та", "of": not in abbreviations */
			return;
		memcpy(first, word, len);
		first[len] = '\0';
		k = gazetteer_key(first);
	}
	if (k != NULL) {
		buf_adds(&o->key, k);
		if (o->words == 1)
			buf_addc(&o->key, '|');
	}
	free(k);
}

static uint64_t
org_key(const char *org)
{
	struct org_state o = { .words = 0 };
	uint64_t h = 0;

	if (org == NULL)
		return 0;
	buf_init(&o.key);
	each_word(org, org_word, &o);
	if (o.key.len > 0 && !o.key.failed)
		h = dup_hash((const char *)o.key.data, o.key.len, 'o');
	buf_finish(&o.key);
	return h;
}

static int
contact_read(struct store *st, struct dup_contact **out, size_t *n, struct cimic_error *err)
{
	static const char sql[] =
		"SELECT id, name, org, phone, email, settlement, distinct_from FROM contacts"
		" WHERE NOT archived AND merged_into IS NULL";
	struct dup_contact *v = NULL;
	size_t cap = 0;
	sqlite3_stmt *s;
	bool oom = false;
	int step;

	*n = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot look for duplicates"), err);
	while ((step = store_step(st, s, _("cannot look for duplicates"), err)) > 0) {
		struct dup_contact *c;
		const char *name = (const char *)sqlite3_column_text(s, 1);
		const char *distinct = (const char *)sqlite3_column_text(s, 6);
		if (sqlite3_column_bytes(s, 0) != CIMIC_ID_BYTES)
			continue;
		if ((c = util_grow(v, &cap, *n + 1, sizeof *v)) == NULL) {
			oom = true;
			break;
		}
		v = c;
		c = &v[(*n)++];
		memset(c, 0, sizeof *c);
		memcpy(c->id, sqlite3_column_blob(s, 0), CIMIC_ID_BYTES);
		each_word(name, name_word, c);
		qsort(c->name, c->nname, sizeof c->name[0], cmp_u64);
		phone_keys(c, (const char *)sqlite3_column_text(s, 3));
		email_keys(c, (const char *)sqlite3_column_text(s, 4));
		c->org = org_key((const char *)sqlite3_column_text(s, 2));
		c->settlement = dup_text_key((const char *)sqlite3_column_text(s, 5), 's');
		if (distinct && distinct[0] && (c->distinct = util_strdup(distinct)) == NULL) {
			oom = true;
			break;
		}
	}
	sqlite3_finalize(s);
	*out = v;
	if (oom)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return step < 0 ? -1 : 0;
}

static size_t
common(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t k = 0;

	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (a[i] == b[j]) {
				k++;
				break;
			}
	return k;
}

bool
dup_dismissed(const char *distinct, const unsigned char other[CIMIC_ID_BYTES])
{
	char hex[CIMIC_ID_HEX];

	if (distinct == NULL)
		return false;
	util_hex(other, CIMIC_ID_BYTES, hex);
	return strstr(distinct, hex) != NULL;
}

/* Score of a pair and its reasons; below THRESHOLD means "not proposed". */
static int
contact_score(const struct dup_contact *x, const struct dup_contact *y, unsigned *reasons)
{
	size_t names = common(x->name, x->nname, y->name, y->nname);
	int score = 0;

	*reasons = 0;
	if (names >= 2 || (names == 1 && x->nname == 1 && y->nname == 1)) {
		score += 40;
		*reasons |= DUP_NAME;
	} else if (names == 1) {
		score += 15;
		*reasons |= DUP_SURNAME;
	}
	if (common(x->phone, x->nphone, y->phone, y->nphone) > 0) {
		score += 50;
		*reasons |= DUP_PHONE;
	} else if (x->nphone && y->nphone) {
		score -= 30;
	}
	if (common(x->email, x->nemail, y->email, y->nemail) > 0) {
		score += 50;
		*reasons |= DUP_EMAIL;
	} else if (x->nemail && y->nemail) {
		score -= 15;
	}
	if (x->org && y->org) {
		score += x->org == y->org ? 20 : -20;
		*reasons |= x->org == y->org ? DUP_ORG : 0;
	}
	if (x->settlement && y->settlement) {
		score += x->settlement == y->settlement ? 10 : -10;
		*reasons |= x->settlement == y->settlement ? DUP_SETTLEMENT : 0;
	}
	if (!(*reasons & (DUP_NAME | DUP_SURNAME | DUP_PHONE | DUP_EMAIL)))
		return 0;
	return score > 100 ? 100 : score;
}

static void
contact_keys(const struct dup_contact *c, uint32_t idx, struct dup_keys *k)
{
	for (unsigned i = 0; i < c->nphone; i++)
		dup_keys_add(k, c->phone[i], idx);
	for (unsigned i = 0; i < c->nemail; i++)
		dup_keys_add(k, c->email[i], idx);
	for (unsigned i = 0; i < c->nname; i++)
		for (unsigned j = i + 1; j < c->nname; j++)
			dup_keys_add(k, c->name[i] * 31 + c->name[j], idx);
	if (c->nname == 1)
		dup_keys_add(k, c->name[0] * 7, idx);
	if (c->org)
		dup_keys_add(k, c->org * 17 + c->settlement, idx);
}

struct contact_scorer {
	struct dup_contact *v;
};

static int
score_pair(void *arg, uint32_t i, uint32_t j, int *score, unsigned *reasons)
{
	struct contact_scorer *cs = arg;
	const struct dup_contact *x = &cs->v[i], *y = &cs->v[j];

	if (dup_dismissed(x->distinct, y->id) || dup_dismissed(y->distinct, x->id))
		return 0;
	*score = contact_score(x, y, reasons);
	return *score >= THRESHOLD;
}

static const unsigned char *
contact_id(void *arg, uint32_t i)
{
	return ((struct contact_scorer *)arg)->v[i].id;
}

int
dup_find_contacts(struct store *st, struct dup_list *out, struct cimic_error *err)
{
	struct dup_contact *v = NULL;
	struct dup_keys keys;
	struct contact_scorer cs;
	size_t n = 0;
	int rc = -1;

	dup_keys_init(&keys);
	if (contact_read(st, &v, &n, err) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		contact_keys(&v[i], (uint32_t)i, &keys);
	cs.v = v;
	out->records = n;
	rc = dup_pairs_from_keys(&keys, BLOCK_MAX, score_pair, contact_id, &cs, out, err);
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].distinct);
	free(v);
	dup_keys_finish(&keys);
	return rc;
}
