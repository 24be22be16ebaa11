/*
 * gazetteer_private.h - what src/geo/ and the tests use of gazetteer.h beyond the public
 * header: internals, not for ui/.
 */
#ifndef CIMIC_SRC_GEO_GAZETTEER_PRIVATE_H
#define CIMIC_SRC_GEO_GAZETTEER_PRIVATE_H

#include "cimic/gazetteer.h"

/* Keys (gazetteer_key.c).  OUT: caller frees; NULL on out-of-memory. */
char *gazetteer_fold(const char *name);

/*
 * Parses a GeoNames dump (UTF-8, tab-separated, no header): the postal
 * code layout (12 columns) or the full gazetteer layout (19 columns),
 * told apart by the first line.  Every line must have that many columns,
 * a name, and coordinates in range written with '.'.  The full dump
 * keeps feature classes P (populated places) and A (admin areas) only.
 * Errors: CIMIC_EDATA "line N: ...".  Pure: no store.
 */
int gazetteer_parse(const char *data, size_t len, gazetteer_row_cb cb, void *arg,
		    enum gazetteer_layout *layout, struct cimic_error *err);

/* KMU-2010 romanisation of a folded name, lower case ("slovianskyi"). */
char *gazetteer_romanised(const char *name);

#endif
