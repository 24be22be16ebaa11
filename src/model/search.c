/*
 * search.c - folding text for search, keeping the FTS5 index, queries.
 *
 * SQLite's unicode61 tokenizer splits words at U+0027 but keeps U+02BC
 * inside them, so Ukrainian words written with different apostrophes
 * would never meet.  Folding removes every apostrophe before the
 * tokenizer sees the text (at indexing and at query time), lower-cases
 * Latin and Cyrillic with our own table (no dependence on the locale),
 * and drops the combining stress mark.
 *
 * What a person means by a match goes beyond the words as written, so
 * each record has a second indexed column of derived tokens (never
 * shown in snippets, weighted lower in the ranking), and each query
 * word becomes an OR of the same forms:
 *  - the KMU-2010 romanisation of every word, loosened as the gazetteer
 *    does (gazetteer_key: "Харків" and "kharkiv" both give "harkiv");
 *  - a light Ukrainian stem: one case ending cut off (водоканалу ->
 *    водоканал) and the і/о/е alternation of the last syllable made one
 *    (водогону, водогін -> водогін);
 *  - the tails of long words from their fourth letter on, so a prefix
 *    query finds a word inside a compound (водоканал in Харківводоканал);
 *  - phone numbers as digits, with the 380 country code, the trunk 0 and
 *    neither, whatever spacing and prefix they were written with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/fold.h"
#include "cimic/gazetteer.h"
#include "cimic/i18n.h"
#include "cimic/search.h"
#include "search_private.h"
#include "store_private.h"

char *
search_fold(const char *text)
{
	return fold_text(text);
}

/* The next code point of NUL-terminated text (the one decoder; a bad byte is U+FFFD). */
static unsigned
utf8_next(const unsigned char **p)
{
	uint32_t cp;
	size_t k = util_utf8_next((const char *)*p, strnlen((const char *)*p, 4), &cp);

	if (k == 0) {
		*p += 1;
		return 0xfffd;
	}
	*p += k;
	return cp;
}

static void search_extras(struct buf *b, const char *folded);

static const char *const index_select[] = {
	NULL,
	"SELECT rowid, name, org, position, category, phone, email, radio, address, settlement,"
	" notes, tags, source, source_id FROM contacts WHERE id=?",
	"SELECT rowid, title, type, status, settlement, description, reliability || credibility,"
	" org, sector, oblast, oblast_code, raion, raion_code, source, source_id"
	" FROM incidents WHERE id=?",
};
static const char *const index_delete[] = {
	NULL,
	"DELETE FROM contacts_fts WHERE rowid=?",
	"DELETE FROM incidents_fts WHERE rowid=?",
};
static const char *const index_insert[] = {
	NULL,
	"INSERT INTO contacts_fts(rowid, text, extra) VALUES(?, ?, ?)",
	"INSERT INTO incidents_fts(rowid, text, extra) VALUES(?, ?, ?)",
};

/*
 * Index layout 2: a second column `extra` for the derived tokens (never
 * in snippets, lower weight in the ranking).  A store indexed by an
 * older cimic gets the new tables and every row indexed again, once,
 * when it is first opened.  The same happens when fold_text() changes
 * (FOLD_VERSION): the index and the gazetteer's keys were made with the
 * old folding, and a query folded the new way would miss them.
 */
#define SEARCH_INDEX_VERSION "2"
#define SEARCH_META "search.index_version"
#define FOLD_META "fold.version"

static bool
search_current(struct store *st)
{
	char *v = store_meta_get(st, SEARCH_META), *f = store_meta_get(st, FOLD_META);
	bool current = v && strcmp(v, SEARCH_INDEX_VERSION) == 0 && f &&
		       atoi(f) == FOLD_VERSION;

	free(v);
	free(f);
	return current;
}

int
search_upgrade(struct store *st, struct cimic_error *err)
{
	static const char ddl[] =
		"DROP TABLE IF EXISTS contacts_fts; DROP TABLE IF EXISTS incidents_fts;"
		"CREATE VIRTUAL TABLE contacts_fts USING fts5(text, extra,"
		"  tokenize = 'unicode61 remove_diacritics 0');"
		"CREATE VIRTUAL TABLE incidents_fts USING fts5(text, extra,"
		"  tokenize = 'unicode61 remove_diacritics 0');";
	static const char *const ids[] = { NULL, "SELECT id FROM contacts", "SELECT id FROM incidents" };
	char fold[16];
	bool current;
	int rc = SQLITE_DONE;

	if (search_current(st))
		return 0;
	if (store_begin(st, err) != 0)
		return -1;
	current = search_current(st);   /* another process may have done it meanwhile */
	if (!current && sqlite3_exec(st->db, ddl, NULL, NULL, NULL) != SQLITE_OK) {
		store_sqlite_error(st, _("cannot update the search index"), err);
		store_rollback(st);
		return -1;
	}
	if (!current && gazetteer_rekey(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	for (int kind = MODEL_CONTACT; !current && kind <= MODEL_INCIDENT; kind++) {
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(st->db, ids[kind], -1, &q, NULL) != SQLITE_OK) {
			store_sqlite_error(st, _("cannot update the search index"), err);
			store_rollback(st);
			return -1;
		}
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			unsigned char id[CIMIC_ID_BYTES];
			if (sqlite3_column_bytes(q, 0) != CIMIC_ID_BYTES)
				continue;
			memcpy(id, sqlite3_column_blob(q, 0), CIMIC_ID_BYTES);
			if (search_index_row(st, (enum model_kind)kind, id, err) != 0) {
				sqlite3_finalize(q);
				store_rollback(st);
				return -1;
			}
		}
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE) {   /* a read error is not the end of the rows */
			store_sqlite_error(st, _("cannot update the search index"), err);
			store_rollback(st);
			return -1;
		}
	}
	snprintf(fold, sizeof fold, "%d", FOLD_VERSION);
	if ((!current && (store_meta_set(st, SEARCH_META, SEARCH_INDEX_VERSION, err) != 0 ||
			  store_meta_set(st, FOLD_META, fold, err) != 0)) ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int
search_index_row(struct store *st, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
		 struct cimic_error *err)
{
	sqlite3_stmt *s;
	struct buf text;
	int64_t rowid;
	char *folded;
	int rc;

	if (kind != MODEL_CONTACT && kind != MODEL_INCIDENT)
		return 0;
	if ((s = store_stmt(st, index_select[kind])) == NULL)
		return store_sqlite_error(st, _("cannot update the search index"), err);
	sqlite3_bind_blob(s, 1, id, CIMIC_ID_BYTES, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return 0;
	}
	rowid = sqlite3_column_int64(s, 0);
	buf_init(&text);
	for (int i = 1; i < sqlite3_column_count(s); i++) {
		const unsigned char *v = sqlite3_column_text(s, i);
		if (v == NULL)
			continue;
		buf_adds(&text, (const char *)v);
		buf_adds(&text, " · ");
	}
	sqlite3_reset(s);
	folded = search_fold(buf_cstr(&text));
	buf_finish(&text);
	if (folded == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	buf_init(&text);
	search_extras(&text, folded);
	rc = -1;
	if ((s = store_stmt(st, index_delete[kind])) == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, rowid);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	if ((s = store_stmt(st, index_insert[kind])) == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, rowid);
	sqlite3_bind_text(s, 2, folded, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, buf_cstr(&text), -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	rc = 0;
out:
	if (s)
		sqlite3_reset(s);
	free(folded);
	buf_finish(&text);
	if (rc != 0)
		store_sqlite_error(st, _("cannot update the search index"), err);
	return rc;
}


#define WORD_MAX 64

/* A word as code points: letters and digits, apostrophes already folded away. */
static bool
word_char(unsigned cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 0x400 && cp <= 0x4ff) ||
	       (cp >= 0xdf && cp <= 0xff && cp != 0xf7);
}

static bool
is_cyr(unsigned cp)
{
	return cp >= 0x400 && cp <= 0x4ff;
}

static void
add_cps(struct buf *b, const unsigned *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_utf8(b, w[i]);
}

static bool
ua_vowel(unsigned cp)
{
	static const unsigned v[] = { 0x430, 0x435, 0x454, 0x438, 0x456, 0x457, 0x43e, 0x443, 0x44e, 0x44f, 0x44c };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (cp == v[i])
			return true;
	return false;
}

/*
 * Light stem of a folded Cyrillic word (of at least 5 letters): one
 * case ending off, then a closing о/е before a final consonant becomes
 * і (водогону -> водогін, Києва -> київ is beyond it).  Returns the stem
 * length (0: none), the stem in out.
 */
static size_t
ua_stem(const unsigned *w, size_t n, unsigned *out)
{
	static const char *const endings[] = {
		"ами", "ями", "ові", "еві", "ого", "ому", "ими", "іми", "ах", "ях", "ам", "ям", "ом", "ем",
		"ою", "ею", "ів", "їв", "ий", "ій", "ої", "ою", "у", "ю", "а", "я", "і", "и", "е", "о", "ь",
	};
	size_t len = n;

	if (n < 5 || n > WORD_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_cyr(w[i]))
			return 0;
	for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++) {
		const unsigned char *p = (const unsigned char *)endings[e];
		unsigned ec[4];
		size_t k = 0;
		while (*p && k < 4)
			ec[k++] = utf8_next(&p);
		if (n - k >= 4 && memcmp(w + n - k, ec, k * sizeof *ec) == 0) {
			len = n - k;
			break;
		}
	}
	memcpy(out, w, len * sizeof *w);
	if (len >= 4 && !ua_vowel(out[len - 1]) &&
	    (out[len - 2] == 0x43e || out[len - 2] == 0x435 || out[len - 2] == 0x456) && !ua_vowel(out[len - 3]))
		out[len - 2] = 0x456;   /* і */
	return len;
}

/* The loosened romanisation of a word, when it is long enough to mean something. */
static char *
word_key(const unsigned *w, size_t n)
{
	struct buf b;
	char *key;

	buf_init(&b);
	add_cps(&b, w, n);
	key = gazetteer_key(buf_cstr(&b));
	buf_finish(&b);
	if (key && strlen(key) < 3) {
		free(key);
		key = NULL;
	}
	return key;
}

/* Digits of a phone number in its three forms (380…, 0…, bare), space separated, into b. */
static void
phone_forms(struct buf *b, const char *digits)
{
	const char *bare = digits;

	if (strncmp(digits, "380", 3) == 0 && strlen(digits) == 12)
		bare = digits + 3;
	else if (digits[0] == '0' && strlen(digits) == 10)
		bare = digits + 1;
	else {
		buf_printf(b, " %s", digits);
		return;
	}
	buf_printf(b, " 380%s 0%s %s", bare, bare, bare);
}

/* Phone-like runs of the text (digits with blanks, dashes, dots, brackets; at least 9 digits). */
static void
phones(struct buf *b, const char *t)
{
	while (*t) {
		char digits[24];
		size_t nd = 0;
		const char *p = t;
		if (!(*t >= '0' && *t <= '9') && *t != '+' && *t != '(') {
			t++;
			continue;
		}
		for (; *p; p++) {
			if (*p >= '0' && *p <= '9') {
				if (nd + 1 < sizeof digits)
					digits[nd++] = *p;
			} else if (!(*p == ' ' || *p == '-' || *p == '(' || *p == ')' || *p == '.' || *p == '+')) {
				break;
			}
		}
		digits[nd] = '\0';
		if (nd >= 9 && nd <= 13)
			phone_forms(b, digits);
		t = p > t ? p : t + 1;
	}
}

/* The extra tokens of a folded text (see the top of the file), appended to b. */
static void
search_extras(struct buf *b, const char *folded)
{
	const unsigned char *p = (const unsigned char *)folded;
	unsigned w[WORD_MAX + 1], stem[WORD_MAX + 1];

	while (*p) {
		size_t n = 0;
		bool cyr = false;
		unsigned cp = 0;
		const unsigned char *q = p;
		while (*q) {
			const unsigned char *r = q;
			cp = utf8_next(&r);
			if (!word_char(cp))
				break;
			if (n < WORD_MAX)
				w[n++] = cp;
			cyr = cyr || is_cyr(cp);
			q = r;
		}
		if (q == p) {
			utf8_next(&q);
			p = q;
			continue;
		}
		p = q;
		if (n == WORD_MAX || n < 2)
			continue;
		char *key = word_key(w, n);
		if (key) {
			buf_printf(b, " %s", key);
			free(key);
		}
		size_t sn = cyr ? ua_stem(w, n, stem) : 0;
		if (sn > 0 && (sn != n || memcmp(stem, w, n * sizeof *w) != 0)) {
			buf_addc(b, ' ');
			add_cps(b, stem, sn);
		}
		/* the tails of a long word: a compound's later parts */
		for (size_t k = 3; cyr && n >= 8 && k + 4 <= n; k++) {
			buf_addc(b, ' ');
			add_cps(b, w + k, n - k);
		}
	}
	phones(b, folded);
}

/* Is the query a phone number (digits with blanks, dashes, brackets, +; at least 7 digits)? */
static bool
phone_query(const char *q, char *digits, size_t n)
{
	size_t nd = 0;

	for (; *q; q++) {
		if (*q >= '0' && *q <= '9') {
			if (nd + 1 >= n)
				return false;
			digits[nd++] = *q;
		} else if (!(*q == ' ' || *q == '-' || *q == '(' || *q == ')' || *q == '+' || *q == '.')) {
			return false;
		}
	}
	digits[nd] = '\0';
	return nd >= 7;
}

/* One query word as an OR of its forms: itself, its romanisation, its stem. */
static void
match_word(struct buf *b, const char *start, const char *end, bool phrase)
{
	unsigned w[WORD_MAX + 1], stem[WORD_MAX + 1];
	size_t n = 0;
	bool cyr = false, plain = true;
	const unsigned char *p = (const unsigned char *)start;

	buf_adds(b, "(\"");
	for (const char *c = start; c < end; c++)
		if (*c != '"')
			buf_addc(b, (unsigned char)*c);
	buf_adds(b, phrase ? "\"" : "\"*");
	while (!phrase && p < (const unsigned char *)end) {
		unsigned cp = utf8_next(&p);
		if (!word_char(cp) || n >= WORD_MAX) {
			plain = false;
			break;
		}
		w[n++] = cp;
		cyr = cyr || is_cyr(cp);
	}
	if (!phrase && plain && n >= 2) {
		char *key = word_key(w, n);
		size_t sn = cyr ? ua_stem(w, n, stem) : 0;
		if (key) {
			buf_printf(b, " OR \"%s\"*", key);
			free(key);
		}
		if (sn > 0 && (sn != n || memcmp(stem, w, n * sizeof *w) != 0)) {
			buf_adds(b, " OR \"");
			add_cps(b, stem, sn);
			buf_adds(b, "\"*");
		}
	}
	buf_addc(b, ')');
}

/*
 * Turns what a user typed into an FTS5 query: every word (or "quoted
 * phrase") folded, quoted, prefix-matched and ANDed, so no user input
 * can reach FTS5's query syntax.
 */
static char *
build_match(const char *query)
{
	char *folded = search_fold(query), *p, *out;
	struct buf b;
	bool any = false;

	char digits[32];

	if (folded == NULL)
		return NULL;
	buf_init(&b);
	if (phone_query(folded, digits, sizeof digits)) {
		const char *bare = strncmp(digits, "380", 3) == 0 && strlen(digits) == 12 ? digits + 3 :
				   digits[0] == '0' && strlen(digits) == 10 ? digits + 1 : digits;
		buf_printf(&b, "\"%s\"*", bare);
		free(folded);
		out = util_strdup(buf_cstr(&b));
		buf_finish(&b);
		return out;
	}
	p = folded;
	while (*p) {
		char *start, *end;
		bool phrase = false;
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		if (*p == '"') {
			phrase = true;
			start = ++p;
			end = strchr(p, '"');
			if (end == NULL)
				end = p + strlen(p);
		} else {
			start = p;
			end = p + strcspn(p, " \t\n\"");
		}
		if (end > start) {
			if (any)
				buf_adds(&b, " AND ");
			match_word(&b, start, end, phrase);
			any = true;
		}
		p = *end ? end + 1 : end;
	}
	free(folded);
	out = any ? util_strdup(buf_cstr(&b)) : NULL;
	buf_finish(&b);
	return out;
}

/* Was id given already (a winner found through two of its records)?  Remembers it. */
static bool
seen_before(struct buf *seen, const unsigned char id[CIMIC_ID_BYTES])
{
	for (size_t i = 0; i + CIMIC_ID_BYTES <= seen->len; i += CIMIC_ID_BYTES)
		if (memcmp(seen->data + i, id, CIMIC_ID_BYTES) == 0)
			return true;
	buf_add(seen, id, CIMIC_ID_BYTES);
	return false;
}

int
search_query(struct store *st, const char *query, enum model_kind kind, bool include_archived,
	     int limit, search_hit_cb cb, void *arg, struct cimic_error *err)
{
	/*
	 * A record merged into another is found through its winner (the
	 * winner shows its words), once per winner however many of its
	 * records match (the first, best ranked, is kept).
	 */
	static const char contacts_part[] =
		"SELECT 1, coalesce(w.id, c.id), bm25(contacts_fts, 1.0, 0.4), coalesce(w.name, c.name),"
		" snippet(contacts_fts, 0, '[', ']', '…', 10)"
		" FROM contacts_fts JOIN contacts c ON c.rowid = contacts_fts.rowid"
		" LEFT JOIN contacts w ON w.id = c.merged_into"
		" WHERE contacts_fts MATCH ?1 AND (?2 OR NOT c.archived)"
		" AND (c.merged_into IS NULL OR (w.merged_into IS NULL AND (?2 OR NOT w.archived)))";
	static const char incidents_part[] =
		"SELECT 2, coalesce(w.id, i.id), bm25(incidents_fts, 1.0, 0.4), coalesce(w.title, i.title),"
		" snippet(incidents_fts, 0, '[', ']', '…', 10)"
		" FROM incidents_fts JOIN incidents i ON i.rowid = incidents_fts.rowid"
		" LEFT JOIN incidents w ON w.id = i.merged_into"
		" WHERE incidents_fts MATCH ?1 AND (?2 OR NOT i.archived)"
		" AND (i.merged_into IS NULL OR (w.merged_into IS NULL AND (?2 OR NOT w.archived)))";
	char *match = build_match(query), *sql;
	sqlite3_stmt *s;
	struct buf seen;
	int rc = 0;

	if (match == NULL)
		return cimic_error_set(err, CIMIC_EUSAGE, _("the search is empty"));
	sql = util_aprintf("%s%s%s ORDER BY 3 LIMIT ?3",
			   kind == MODEL_INCIDENT ? "" : contacts_part,
			   kind == 0 ? " UNION ALL " : "",
			   kind == MODEL_CONTACT ? "" : incidents_part);
	if (sql == NULL || sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		free(sql);
		free(match);
		return store_sqlite_error(st, _("search failed"), err);
	}
	free(sql);
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, include_archived);
	sqlite3_bind_int(s, 3, limit > 0 ? limit : 50);
	buf_init(&seen);
	while (rc == 0) {
		struct search_hit h;
		int step = sqlite3_step(s);
		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = store_sqlite_error(st, _("search failed"), err);
			break;
		}
		h.kind = (enum model_kind)sqlite3_column_int(s, 0);
		if (sqlite3_column_bytes(s, 1) != CIMIC_ID_BYTES)
			continue;
		memcpy(h.id, sqlite3_column_blob(s, 1), CIMIC_ID_BYTES);
		if (seen_before(&seen, h.id))
			continue;
		h.rank = sqlite3_column_double(s, 2);
		h.title = (const char *)sqlite3_column_text(s, 3);
		h.snippet = (const char *)sqlite3_column_text(s, 4);
		if (h.title == NULL)
			h.title = "";
		if (h.snippet == NULL)
			h.snippet = "";
		rc = cb(&h, arg);
	}
	buf_finish(&seen);
	sqlite3_finalize(s);
	free(match);
	return rc;
}

int
search_count(struct store *st, const char *query, enum model_kind kind, bool include_archived,
	     long *count, struct cimic_error *err)
{
	static const char contacts_part[] =
		"SELECT count(DISTINCT coalesce(c.merged_into, c.id)) FROM contacts_fts"
		" JOIN contacts c ON c.rowid = contacts_fts.rowid"
		" LEFT JOIN contacts w ON w.id = c.merged_into"
		" WHERE contacts_fts MATCH ?1 AND (?2 OR NOT c.archived)"
		" AND (c.merged_into IS NULL OR (w.merged_into IS NULL AND (?2 OR NOT w.archived)))";
	static const char incidents_part[] =
		"SELECT count(DISTINCT coalesce(i.merged_into, i.id)) FROM incidents_fts"
		" JOIN incidents i ON i.rowid = incidents_fts.rowid"
		" LEFT JOIN incidents w ON w.id = i.merged_into"
		" WHERE incidents_fts MATCH ?1 AND (?2 OR NOT i.archived)"
		" AND (i.merged_into IS NULL OR (w.merged_into IS NULL AND (?2 OR NOT w.archived)))";
	char *match = build_match(query), *sql;
	sqlite3_stmt *s;
	int rc;

	*count = 0;
	if (match == NULL)
		return cimic_error_set(err, CIMIC_EUSAGE, _("the search is empty"));
	if (kind == 0)
		sql = util_aprintf("SELECT (%s) + (%s)", contacts_part, incidents_part);
	else
		sql = util_aprintf("SELECT (%s)", kind == MODEL_CONTACT ? contacts_part : incidents_part);
	if (sql == NULL || sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		free(sql);
		free(match);
		return store_sqlite_error(st, _("search failed"), err);
	}
	free(sql);
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, include_archived);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*count = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	free(match);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(st, _("search failed"), err);
	return 0;
}
