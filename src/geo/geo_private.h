/*
 * geo_private.h - what src/geo/ and the tests use of geo.h beyond the public
 * header: internals, not for ui/.
 */
#ifndef CIMIC_SRC_GEO_GEO_PRIVATE_H
#define CIMIC_SRC_GEO_GEO_PRIVATE_H

#include "cimic/geo.h"

/* Great-circle distance in metres (haversine, mean Earth radius). */
double geo_distance_m(struct geo_point a, struct geo_point b);

/* MGRS -> centre of square (precision 5: the 1 m point itself, no offset). */
int geo_from_mgrs(const char *mgrs, struct geo_point *out, struct cimic_error *err);

/*
 * Same as geo_from_mgrs but gives the south-west corner of the square
 * (what GEOTRANS reference vectors list).
 */
int geo_from_mgrs_corner(const char *mgrs, struct geo_point *out, struct cimic_error *err);

/* South-west corner of an MGRS square as UTM (same checks as geo_from_mgrs). */
int geo_mgrs_to_utm(const char *mgrs, struct geo_utm *out, struct cimic_error *err);

/*
 * UTM of a point in its own zone (zone 0: with the Norway and Svalbard
 * exceptions) or projected on a given zone 1..60, which lets positions
 * on either side of a zone boundary be compared in metres.  Polar
 * points are refused with CIMIC_EDATA, like geo_to_mgrs.
 */
int geo_to_utm(struct geo_point p, int zone, struct geo_utm *out, struct cimic_error *err);

bool geo_valid(struct geo_point p);

#endif
