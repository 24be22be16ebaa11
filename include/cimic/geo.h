/*
 * geo.h - positions: MGRS and decimal degrees, both ways (WGS84).
 *
 * MGRS is converted through UTM (Krueger series, accurate to well under
 * a millimetre inside the UTM band) with the Norway/Svalbard zone
 * exceptions.  The polar regions (UPS: lat < -80 or lat >= 84) are not
 * supported and are refused with CIMIC_EDATA.
 */
#ifndef CIMIC_GEO_H
#define CIMIC_GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "cimic/error.h"

struct geo_point {
	double lat;   /* degrees, -90..90 */
	double lon;   /* degrees, -180..180 */
};

/*
 * Parses what an officer types: MGRS ("37U DQ 12345 67890", spaces
 * optional, 0-10 digits, case-insensitive) or "lat,lon" decimal degrees
 * ("50.4501, 30.5234"; '.' as decimal separator under every locale).
 * An MGRS reference of precision p names the south-west corner of its
 * square plus half the square (the centre), as GEOTRANS does for input.
 * Returns 0, or -1 with CIMIC_EDATA and a message saying what is wrong.
 */
int geo_parse(const char *text, struct geo_point *out, struct cimic_error *err);

/* A latitude/longitude box, edges included (no crossing of the antimeridian). */
struct geo_area {
	double south, west, north, east;
};

/*
 * Parses "S,W,N,E" in decimal degrees ("47.5,35.0,48.2,36.4"; '.' as the
 * decimal separator under every locale, blanks allowed after commas).
 * CIMIC_EDATA when a number is missing, out of range, or south > north
 * or west > east.
 */
int geo_parse_area(const char *text, struct geo_area *out, struct cimic_error *err);

/*
 * MGRS of a point with `digits` digits per axis (1..5; 4 = 10 m, the
 * default in the UI), truncating as MGRS requires.  `spaced` puts
 * blanks between zone+band, square and the two numbers.  Writes a NUL
 * terminated string of at most 32 bytes into buf.
 */
int geo_to_mgrs(struct geo_point p, int digits, bool spaced, char *buf, size_t bufsize,
		struct cimic_error *err);

/* MGRS -> centre of square (precision 5: the 1 m point itself, no offset). */
int geo_from_mgrs(const char *mgrs, struct geo_point *out, struct cimic_error *err);

/*
 * Same as geo_from_mgrs but gives the south-west corner of the square
 * (what GEOTRANS reference vectors list).
 */
int geo_from_mgrs_corner(const char *mgrs, struct geo_point *out, struct cimic_error *err);

/* "50.45012,30.52340" with '.' under any locale (5 decimals ~ 1 m). */
void geo_format_latlon(struct geo_point p, char *buf, size_t bufsize);

/* Great-circle distance in metres (haversine, mean Earth radius). */
double geo_distance_m(struct geo_point a, struct geo_point b);

bool geo_valid(struct geo_point p);

/* A position on a UTM grid (WGS84), in metres. */
struct geo_utm {
	int zone;          /* 1..60 */
	bool north;        /* hemisphere: false northing 0 (north) or 10 000 km */
	double easting;    /* includes the 500 km false easting */
	double northing;
};

/*
 * UTM of a point in its own zone (zone 0: with the Norway and Svalbard
 * exceptions) or projected on a given zone 1..60, which lets positions
 * on either side of a zone boundary be compared in metres.  Polar
 * points are refused with CIMIC_EDATA, like geo_to_mgrs.
 */
int geo_to_utm(struct geo_point p, int zone, struct geo_utm *out, struct cimic_error *err);

/* The point of a UTM position; -1 with CIMIC_EDATA if zone or values are unusable. */
int geo_from_utm(const struct geo_utm *u, struct geo_point *out, struct cimic_error *err);

/* South-west corner of an MGRS square as UTM (same checks as geo_from_mgrs). */
int geo_mgrs_to_utm(const char *mgrs, struct geo_utm *out, struct cimic_error *err);

#endif
