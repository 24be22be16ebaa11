/*
 * search.c - folding text for search, keeping the FTS5 index, queries.
 *
 * SQLite's unicode61 tokenizer splits words at U+0027 but keeps U+02BC
 * inside them, so Ukrainian words written with different apostrophes
 * would never meet.  Folding removes every apostrophe before the
 * tokenizer sees the text (at indexing and at query time), lower-cases
 * Latin and Cyrillic with our own table (no dependence on the locale),
 * and drops the combining stress mark.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/search.h"
#include "search_private.h"
#include "store_private.h"

/* Decodes one UTF-8 code point; invalid bytes come back as U+FFFD, length 1. */
static unsigned
utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned c = s[0], cp, len;

	if (c < 0x80) {
		*p += 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		goto bad;
	for (unsigned i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*p += len;
	return cp;
bad:
	*p += 1;
	return 0xfffd;
}

static bool
is_apostrophe(unsigned cp)
{
	return cp == 0x27 || cp == 0x2019 || cp == 0x02bc || cp == 0x2018 || cp == 0x60 ||
	       cp == 0xb4 || cp == 0x02b9 || cp == 0x2032;
}

static unsigned
fold_case(unsigned cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42f)    /* А..Я */
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)    /* Ѐ..Џ incl. Є І Ї */
		return cp + 80;
	if (cp >= 0x460 && cp <= 0x4ff && cp % 2 == 0 && !(cp >= 0x482 && cp <= 0x489))
		return cp + 1;                 /* Ґ and the other paired letters */
	return cp;
}

char *
search_fold(const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	struct buf b;
	char *out;

	buf_init(&b);
	while (*p) {
		unsigned cp = utf8_next(&p);
		if (is_apostrophe(cp) || cp == 0x301 || cp == 0x300)
			continue;
		buf_utf8(&b, fold_case(cp));
	}
	out = util_strdup(buf_cstr(&b));
	buf_finish(&b);
	return out;
}

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
	"INSERT INTO contacts_fts(rowid, text) VALUES(?, ?)",
	"INSERT INTO incidents_fts(rowid, text) VALUES(?, ?)",
};

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
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	rc = 0;
out:
	if (s)
		sqlite3_reset(s);
	free(folded);
	if (rc != 0)
		store_sqlite_error(st, _("cannot update the search index"), err);
	return rc;
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

	if (folded == NULL)
		return NULL;
	buf_init(&b);
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
			buf_addc(&b, '"');
			for (char *c = start; c < end; c++) {
				if (*c == '"')
					continue;
				buf_addc(&b, (unsigned char)*c);
			}
			buf_adds(&b, phrase ? "\"" : "\"*");
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
		"SELECT 1, coalesce(w.id, c.id), bm25(contacts_fts), coalesce(w.name, c.name),"
		" snippet(contacts_fts, 0, '[', ']', '…', 10)"
		" FROM contacts_fts JOIN contacts c ON c.rowid = contacts_fts.rowid"
		" LEFT JOIN contacts w ON w.id = c.merged_into"
		" WHERE contacts_fts MATCH ?1 AND (?2 OR NOT c.archived)"
		" AND (c.merged_into IS NULL OR (w.merged_into IS NULL AND (?2 OR NOT w.archived)))";
	static const char incidents_part[] =
		"SELECT 2, coalesce(w.id, i.id), bm25(incidents_fts), coalesce(w.title, i.title),"
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
