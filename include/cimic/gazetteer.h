/*
 * gazetteer.h - places by name, imported from GeoNames dumps.
 *
 * The gazetteer is local reference data (table `places`), not replicated:
 * it is filled by `cimic import --format geonames FILE` and read by
 * --settlement and the TUI to turn a settlement name into coordinates
 * and admin names.
 *
 * Lookup accepts Cyrillic or Latin, any apostrophe, stress marks, Latin
 * look-alike letters inside Cyrillic words and the usual romanisation
 * variants: places.name_folded holds gazetteer_key() of the name, a
 * loosened KMU-2010 romanisation (see gazetteer_key.c), and queries are
 * keyed the same way.  Exact matches of the folded Cyrillic rank first.
 */
#ifndef CIMIC_GAZETTEER_H
#define CIMIC_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>

#include "cimic/error.h"

struct store;

/* One row of a GeoNames file, pointing into the reader's line buffer. */
struct gazetteer_row {
	size_t line;
	const char *name;          /* place name as written */
	const char *admin1, *admin2, *admin3;   /* names (postal) or codes (full dump) */
	const char *postal;        /* postal code (postal dump), "" otherwise */
	const char *alternates;    /* full dump: ','-separated alternate names, else "" */
	const char *source_id;     /* full dump: geonameid, else "" */
	double lat, lon;
	int accuracy;              /* 1..6, 0 when not given */
};

enum gazetteer_layout { GAZETTEER_POSTAL = 12, GAZETTEER_FULL = 19 };

/* Called for each row; non-zero stops the walk and is returned. */
typedef int (*gazetteer_row_cb)(const struct gazetteer_row *row, void *arg);

struct gazetteer_import_stats {
	long rows;                 /* rows read */
	long places;               /* places rows written (names and alternates) */
	enum gazetteer_layout layout;
};

/*
 * Replaces the places of the same source ("geonames-postal" or
 * "geonames") with the file's rows in one transaction: a malformed file
 * changes nothing, and importing a file twice leaves one copy.
 */
int gazetteer_import(struct store *st, const char *data, size_t len,
		     struct gazetteer_import_stats *stats, struct cimic_error *err);

struct gazetteer_place {
	char name[256];
	char admin1[128], admin2[128], admin3[128];
	char postal[32];           /* first postal code of the place */
	double lat, lon;
	int accuracy;              /* GeoNames accuracy, 0 unknown */
	int postcodes;             /* rows folded into this result */
	bool exact;                /* the folded name equals the folded query */
};

/*
 * Finds places whose name matches query (whole name; with prefix, names
 * starting with it).  Results are grouped by name, admin1 and admin2,
 * exact matches first, then by accuracy.  At most max results in out;
 * *n gets the count.  No match is not an error (*n = 0).
 */
int gazetteer_lookup(struct store *st, const char *query, bool prefix,
		     struct gazetteer_place *out, size_t max, size_t *n, struct cimic_error *err);

/*
 * The place a name most likely means: the only exact match, or one that
 * clearly dominates namesakes (a city with many postal codes against
 * villages with one).  Returns 1 with *out filled, 0 when the name is
 * unknown or ambiguous, -1 on error.
 */
int gazetteer_best(struct store *st, const char *name, struct gazetteer_place *out,
		   struct cimic_error *err);

/* Number of places held. */
long gazetteer_count(struct store *st);

char *gazetteer_key(const char *name);
/*
 * Makes every place's key again with today's gazetteer_key(), inside the
 * caller's transaction: the store does it once when the fold changed
 * (FOLD_VERSION in cimic/fold.h).
 */
int gazetteer_rekey(struct store *st, struct cimic_error *err);

#endif
