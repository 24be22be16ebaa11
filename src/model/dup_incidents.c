/*
 * dup_incidents.c - the same event reported by two units (duplicates.h).
 *
 * Candidates are live incidents of the same type within WINDOW_MS of
 * each other (sorted by type and time, so only neighbours are compared)
 * and close in place: within PLACE_KM when both are located, else in
 * the same settlement.  Without a place nothing is proposed: two
 * outages of one morning in different towns are two outages.  Title
 * words in common add to the score.  Casualty figures are never
 * compared or added here: the merged view shows them side by side.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/duplicates.h"
#include "cimic/gazetteer.h"
#include "cimic/i18n.h"
#include "duplicates_private.h"
#include "store_private.h"

#define WINDOW_MS (6 * 3600 * 1000LL)
#define PLACE_KM 3.0
#define NEIGHBOURS_MAX 300
#define TITLE_WORDS 8

struct dup_incident {
	unsigned char id[CIMIC_ID_BYTES];
	uint64_t type, settlement;
	int64_t when;
	bool located;
	double lat, lon;
	uint64_t title[TITLE_WORDS];
	unsigned ntitle;
	char *distinct;
};

static void
title_words(struct dup_incident *x, const char *s)
{
	char w[256];

	while (s && *s && x->ntitle < TITLE_WORDS) {
		size_t len;
		char *k;
		while (*s == ' ' || *s == ',' || *s == '.' || *s == '-' || *s == ':')
			s++;
		len = strcspn(s, " ,.-:");
		if (len >= 4 && len < sizeof w) {
			memcpy(w, s, len);
			w[len] = '\0';
			if ((k = gazetteer_key(w)) != NULL && strlen(k) >= 3)
				x->title[x->ntitle++] = dup_hash(k, strlen(k), 't');
			free(k);
		}
		s += len;
	}
}

static int
incident_read(struct store *st, struct dup_incident **out, size_t *n, struct cimic_error *err)
{
	static const char sql[] =
		"SELECT id, type, occurred, lat, lon, settlement, title, distinct_from FROM incidents"
		" WHERE NOT archived AND merged_into IS NULL";
	struct dup_incident *v = NULL, *x;
	size_t cap = 0;
	sqlite3_stmt *s;
	bool oom = false;
	int step;

	*n = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot look for duplicates"), err);
	while ((step = store_step(st, s, _("cannot look for duplicates"), err)) > 0) {
		const char *distinct = (const char *)sqlite3_column_text(s, 7);
		if (sqlite3_column_bytes(s, 0) != CIMIC_ID_BYTES)
			continue;
		if ((x = util_grow(v, &cap, *n + 1, sizeof *v)) == NULL) {
			oom = true;
			break;
		}
		v = x;
		x = &v[(*n)++];
		memset(x, 0, sizeof *x);
		memcpy(x->id, sqlite3_column_blob(s, 0), CIMIC_ID_BYTES);
		x->type = dup_text_key((const char *)sqlite3_column_text(s, 1), 'y');
		x->when = sqlite3_column_int64(s, 2);
		x->located = sqlite3_column_type(s, 3) == SQLITE_FLOAT;
		x->lat = sqlite3_column_double(s, 3);
		x->lon = sqlite3_column_double(s, 4);
		x->settlement = dup_text_key((const char *)sqlite3_column_text(s, 5), 's');
		title_words(x, (const char *)sqlite3_column_text(s, 6));
		if (distinct && distinct[0] && (x->distinct = util_strdup(distinct)) == NULL) {
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

static int
cmp_incident(const void *a, const void *b)
{
	const struct dup_incident *x = a, *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->when < y->when ? -1 : x->when > y->when;
}

/* Distance in km (equirectangular: exact enough within a few km). */
static double
distance_km(const struct dup_incident *x, const struct dup_incident *y)
{
	const double pi = 3.14159265358979323846;
	double dy = (y->lat - x->lat) * 110.57;
	double dx = (y->lon - x->lon) * 111.32 * cos((x->lat + y->lat) / 2 * pi / 180);

	return sqrt(dx * dx + dy * dy);
}

static int
incident_score(const struct dup_incident *x, const struct dup_incident *y, unsigned *reasons)
{
	int score = 40;
	size_t common = 0;

	*reasons = DUP_TYPE | DUP_TIME;
	if (x->located && y->located) {
		double km = distance_km(x, y);
		if (km > PLACE_KM)
			return 0;
		score += km <= 1.0 ? 40 : 30;
	} else if (x->settlement && x->settlement == y->settlement) {
		score += 30;
	} else {
		return 0;
	}
	*reasons |= DUP_PLACE;
	if (llabs(y->when - x->when) <= 3600 * 1000LL)
		score += 10;
	for (unsigned i = 0; i < x->ntitle; i++)
		for (unsigned j = 0; j < y->ntitle; j++)
			if (x->title[i] == y->title[j]) {
				common++;
				break;
			}
	if (common > 0) {
		score += common >= 2 ? 20 : 10;
		*reasons |= DUP_TITLE;
	}
	return score > 100 ? 100 : score;
}

static int
add_pair(struct dup_list *out, const struct dup_incident *x, const struct dup_incident *y, int score,
	 unsigned reasons)
{
	struct dup_pair *v = util_grow(out->pairs, &out->cap, out->n + 1, sizeof *v);

	if (v == NULL)
		return -1;
	out->pairs = v;
	memcpy(v[out->n].a, x->id, CIMIC_ID_BYTES);
	memcpy(v[out->n].b, y->id, CIMIC_ID_BYTES);
	v[out->n].score = score;
	v[out->n++].reasons = reasons;
	return 0;
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct dup_pair *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	return memcmp(x->a, y->a, CIMIC_ID_BYTES);
}

int
dup_find_incidents(struct store *st, struct dup_list *out, struct cimic_error *err)
{
	struct dup_incident *v = NULL;
	size_t n = 0;
	int rc = -1;

	if (incident_read(st, &v, &n, err) != 0)
		goto out;
	out->records = n;
	if (n > 1)
		qsort(v, n, sizeof v[0], cmp_incident);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n && j - i <= NEIGHBOURS_MAX && v[j].type == v[i].type &&
				       v[j].when - v[i].when <= WINDOW_MS; j++) {
			unsigned reasons;
			int score;
			if (dup_dismissed(v[i].distinct, v[j].id) || dup_dismissed(v[j].distinct, v[i].id))
				continue;
			if ((score = incident_score(&v[i], &v[j], &reasons)) == 0)
				continue;
			if (add_pair(out, &v[i], &v[j], score, reasons) != 0) {
				cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
				goto out;
			}
		}
	if (out->n > 1)
		qsort(out->pairs, out->n, sizeof out->pairs[0], cmp_pair);
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].distinct);
	free(v);
	return rc;
}
