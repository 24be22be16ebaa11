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

/* "50.45012,30.52340" with '.' under any locale (5 decimals ~ 1 m). */
void geo_format_latlon(struct geo_point p, char *buf, size_t bufsize);

/* A position on a UTM grid (WGS84), in metres. */
struct geo_utm {
	int zone;          /* 1..60 */
	bool north;        /* hemisphere: false northing 0 (north) or 10 000 km */
	double easting;    /* includes the 500 km false easting */
	double northing;
};

#endif
