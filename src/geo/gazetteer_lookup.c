/*
 * gazetteer_lookup.c - finding places by what an officer typed.
 *
 * The query is keyed like the stored names (gazetteer_key.c), so the
 * index on places.name_folded answers Cyrillic, Latin and mixed queries
 * alike.  The postal dump lists a town once per postal code, so rows with
 * the same name, admin1 and admin2 are grouped into one result.  Ranking:
 * the folded Cyrillic (or Latin) name equal to the folded query first,
 * then whole-key matches before prefix matches, then better GeoNames
 * accuracy, then more postal codes (a town before a hamlet of that name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cimic/gazetteer.h"
#include "gazetteer_private.h"
#include "cimic/i18n.h"
#include "cimic/store.h"
#include "store_private.h"
#include "cimic/util.h"

#define GAZETTEER_SCAN_ROWS 4000

struct gazetteer_hit {
	struct gazetteer_place p;
	int rank;
};

struct gazetteer_hits {
	struct gazetteer_hit *hit;     /* owned, max entries */
	size_t max, n;
	const char *key;
	const char *folded;
};

static void
gazetteer_copy(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src ? (const char *)src : "");
}

static int
gazetteer_rank(const struct gazetteer_hits *h, const char *name, const char *key)
{
	char *folded = gazetteer_fold(name);
	int r = 0;

	if (folded && strcmp(folded, h->folded) == 0)
		r += 4;
	if (key && strcmp(key, h->key) == 0)
		r += 2;
	free(folded);
	return r;
}

/* Adds a row to the result it groups with, or as a new result. */
static void
gazetteer_take(struct gazetteer_hits *h, sqlite3_stmt *s)
{
	struct gazetteer_place p;

	memset(&p, 0, sizeof p);
	gazetteer_copy(p.name, sizeof p.name, sqlite3_column_text(s, 0));
	gazetteer_copy(p.admin1, sizeof p.admin1, sqlite3_column_text(s, 2));
	gazetteer_copy(p.admin2, sizeof p.admin2, sqlite3_column_text(s, 3));
	gazetteer_copy(p.admin3, sizeof p.admin3, sqlite3_column_text(s, 4));
	gazetteer_copy(p.postal, sizeof p.postal, sqlite3_column_text(s, 5));
	p.lat = sqlite3_column_double(s, 6);
	p.lon = sqlite3_column_double(s, 7);
	p.accuracy = sqlite3_column_int(s, 8);
	for (size_t i = 0; i < h->n; i++) {
		struct gazetteer_place *q = &h->hit[i].p;
		if (strcmp(q->name, p.name) == 0 && strcmp(q->admin1, p.admin1) == 0 &&
		    strcmp(q->admin2, p.admin2) == 0) {
			q->postcodes++;
			if (p.accuracy > q->accuracy) {
				q->lat = p.lat;
				q->lon = p.lon;
				q->accuracy = p.accuracy;
			}
			return;
		}
	}
	if (h->n == h->max)
		return;
	p.postcodes = 1;
	h->hit[h->n].rank = gazetteer_rank(h, p.name, (const char *)sqlite3_column_text(s, 1));
	p.exact = h->hit[h->n].rank >= 4;
	h->hit[h->n++].p = p;
}

static int
gazetteer_cmp(const void *a, const void *b)
{
	const struct gazetteer_hit *x = a, *y = b;

	if (x->rank != y->rank)
		return y->rank - x->rank;
	if (x->p.accuracy != y->p.accuracy)
		return y->p.accuracy - x->p.accuracy;
	if (x->p.postcodes != y->p.postcodes)
		return y->p.postcodes - x->p.postcodes;
	return strcmp(x->p.name, y->p.name);
}

static int
gazetteer_query(struct store *st, struct gazetteer_hits *h, bool prefix, struct cimic_error *err)
{
	static const char exact_sql[] =
		"SELECT name, name_folded, admin1, admin2, admin3, postal, lat, lon, accuracy "
		"FROM places WHERE name_folded = ?1 ORDER BY id LIMIT ?3";
	static const char prefix_sql[] =
		"SELECT name, name_folded, admin1, admin2, admin3, postal, lat, lon, accuracy "
		"FROM places WHERE name_folded >= ?1 AND name_folded < ?2 "
		"ORDER BY name_folded = ?1 DESC, id LIMIT ?3";
	char *upper = util_aprintf("%s\x7f", h->key);
	sqlite3_stmt *s = NULL;
	int rc;

	if (upper == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (sqlite3_prepare_v2(store_db(st), prefix ? prefix_sql : exact_sql, -1, &s, NULL) != SQLITE_OK) {
		free(upper);
		return store_sqlite_error(st, _("cannot look up the place"), err);
	}
	sqlite3_bind_text(s, 1, h->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, upper, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, GAZETTEER_SCAN_ROWS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		gazetteer_take(h, s);
	sqlite3_finalize(s);
	free(upper);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot look up the place"), err);
	return 0;
}

int
gazetteer_lookup(struct store *st, const char *query, bool prefix, struct gazetteer_place *out,
		 size_t max, size_t *n, struct cimic_error *err)
{
	/* grouping needs room beyond max: more groups than asked for are seen before ranking */
	struct gazetteer_hits h = { .max = max * 4 + 16 };
	int rc = -1;

	*n = 0;
	h.key = gazetteer_key(query);
	h.folded = gazetteer_fold(query);
	h.hit = calloc(h.max, sizeof *h.hit);
	if (h.key == NULL || h.folded == NULL || h.hit == NULL) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		goto out;
	}
	rc = 0;
	if (h.key[0] == '\0' || max == 0)
		goto out;
	rc = gazetteer_query(st, &h, prefix, err);
	if (rc != 0)
		goto out;
	qsort(h.hit, h.n, sizeof *h.hit, gazetteer_cmp);
	for (; *n < h.n && *n < max; (*n)++)
		out[*n] = h.hit[*n].p;
out:
	free((char *)h.key);
	free((char *)h.folded);
	free(h.hit);
	return rc;
}

int
gazetteer_best(struct store *st, const char *name, struct gazetteer_place *out,
	       struct cimic_error *err)
{
	struct gazetteer_place p[4];
	size_t n = 0;

	if (gazetteer_lookup(st, name, false, p, 4, &n, err) != 0)
		return -1;
	if (n == 0)
		return 0;
	/* a second exact match in another oblast makes the name ambiguous unless the first is a town */
	if (n > 1 && p[1].exact == p[0].exact && strcmp(p[0].admin1, p[1].admin1) != 0 &&
	    !(p[0].postcodes > 1 && p[0].postcodes >= 3 * p[1].postcodes))
		return 0;
	*out = p[0];
	return 1;
}
