/*
 * search.h - full-text search over contacts and incidents (FTS5).
 *
 * Text is folded before indexing and before querying, by fold_text()
 * (cimic/fold.h): Unicode case folding, every Ukrainian apostrophe
 * removed so "обов'язок" and "обов’язок" match, stress marks dropped,
 * decomposed letters composed.
 */
#ifndef CIMIC_SEARCH_H
#define CIMIC_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "cimic/error.h"
#include "cimic/model.h"

struct store;

/* fold_text(), as described above. OUT: caller frees (NULL on OOM). */
char *search_fold(const char *text);

struct search_hit {
	enum model_kind kind;
	unsigned char id[CIMIC_ID_BYTES];
	double rank;            /* bm25, lower is better */
	const char *title;      /* name or title */
	const char *snippet;    /* with [] around matches */
};

typedef int (*search_hit_cb)(const struct search_hit *hit, void *arg);
/*
 * Runs a user query (words are ANDed, each a prefix match; "quoted
 * phrases" kept).  kind 0 searches everything.  Archived records are
 * left out unless include_archived.  Results best first, at most limit.
 */
int search_query(struct store *st, const char *query, enum model_kind kind, bool include_archived,
		 int limit, search_hit_cb cb, void *arg, struct cimic_error *err);

/* How many records the query matches in all (search_query stops at its limit). */
int search_count(struct store *st, const char *query, enum model_kind kind, bool include_archived,
		 long *count, struct cimic_error *err);

#endif
