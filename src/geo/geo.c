/*
 * geo.c - MGRS and decimal degrees on WGS84, both ways.
 *
 * The chain is lat/lon <-> UTM <-> MGRS.  The transverse Mercator step
 * uses Krueger's series carried to sixth order in the third flattening
 * n, as given by Karney ("Transverse Mercator with an accuracy of a few
 * nanometers", J. Geodesy 2011): inside a UTM zone the truncation error
 * is a few nanometres, so every error left is the caller's rounding.
 *
 * MGRS letters follow the "AA" lettering used for WGS84: the 100 km
 * column letters cycle through three sets of eight (A-H, J-R, S-Z) with
 * the zone number, and the row letters run A-V (no I or O) offset by
 * five for even zones.  Writing truncates coordinates (an MGRS reference
 * names the square the point is in); reading gives the south-west
 * corner or the centre of the square.
 *
 * Nothing here has mutable global state; every table is const.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cimic/geo.h"
#include "geo_private.h"
#include "cimic/i18n.h"

#define GEO_PI 3.14159265358979323846
#define GEO_DEG (GEO_PI / 180.0)

/* WGS84 ellipsoid and the UTM constants. */
#define GEO_A 6378137.0
#define GEO_F (1.0 / 298.257223563)
#define GEO_K0 0.9996
#define GEO_FALSE_EASTING 500000.0
#define GEO_FALSE_NORTHING_SOUTH 10000000.0
#define GEO_MEAN_RADIUS 6371008.8

/* The UTM part of MGRS stops here; beyond is UPS, which we refuse. */
#define GEO_LAT_MIN (-80.0)
#define GEO_LAT_MAX 84.0

#define GEO_ORDER 6

/* Latitude bands C..X, 8 degrees each from 80S; X is 12 degrees. */
static const char geo_bands[] = "CDEFGHJKLMNPQRSTUVWX";
/* Row letters of the 100 km squares: 20 of them, repeating every 2000 km. */
static const char geo_row_letters[] = "ABCDEFGHJKLMNPQRSTUV";
/* Column letters: set (zone % 3) picks eight consecutive ones. */
static const char geo_column_letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";

/* The series coefficients depend only on the ellipsoid. */
struct geo_tm_series {
	double e;                      /* eccentricity */
	double a_rect;                 /* rectifying radius A times k0 */
	double alpha[GEO_ORDER + 1];   /* forward: conformal -> rectifying */
	double beta[GEO_ORDER + 1];    /* inverse: rectifying -> conformal */
};

/*
 * Karney's eq. (35) and (36) coefficients, Horner form in n.  Computed
 * on each call: it is a few dozen multiplications, far cheaper than the
 * trigonometry, and keeps the module free of lazily initialised state.
 */
static void
geo_tm_series_init(struct geo_tm_series *s)
{
	double n = GEO_F / (2.0 - GEO_F);
	double n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;

	s->e = sqrt(GEO_F * (2.0 - GEO_F));
	s->a_rect = GEO_K0 * GEO_A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0);
	s->alpha[1] = n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180 - 127 * n5 / 288
		+ 7891 * n6 / 37800;
	s->alpha[2] = 13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440 + 281 * n5 / 630
		- 1983433 * n6 / 1935360;
	s->alpha[3] = 61 * n3 / 240 - 103 * n4 / 140 + 15061 * n5 / 26880
		+ 167603 * n6 / 181440;
	s->alpha[4] = 49561 * n4 / 161280 - 179 * n5 / 168 + 6601661 * n6 / 7257600;
	s->alpha[5] = 34729 * n5 / 80640 - 3418889 * n6 / 1995840;
	s->alpha[6] = 212378941 * n6 / 319334400;
	s->beta[1] = n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360 - 81 * n5 / 512
		+ 96199 * n6 / 604800;
	s->beta[2] = n2 / 48 + n3 / 15 - 437 * n4 / 1440 + 46 * n5 / 105
		- 1118711 * n6 / 3870720;
	s->beta[3] = 17 * n3 / 480 - 37 * n4 / 840 - 209 * n5 / 4480 + 5569 * n6 / 90720;
	s->beta[4] = 4397 * n4 / 161280 - 11 * n5 / 504 - 830251 * n6 / 7257600;
	s->beta[5] = 4583 * n5 / 161280 - 108847 * n6 / 3991680;
	s->beta[6] = 20648693 * n6 / 638668800;
}

/* tan(conformal latitude) from tan(geodetic latitude): Karney eq. (7). */
static double
geo_taupf(double tau, double e)
{
	double tau1 = hypot(1.0, tau);
	double sig = sinh(e * atanh(e * tau / tau1));

	return hypot(1.0, sig) * tau - sig * tau1;
}

/*
 * The inverse of geo_taupf by Newton's method (Karney eq. 19-21); it
 * converges to machine precision in two or three steps for |lat| < 85.
 */
static double
geo_tauf(double taup, double e)
{
	double e2m = 1.0 - e * e;
	double tau = taup / e2m;

	for (int i = 0; i < 10; i++) {
		double taupa = geo_taupf(tau, e);
		double dtau = (taup - taupa) * (1.0 + e2m * tau * tau)
			/ (e2m * hypot(1.0, tau) * hypot(1.0, taupa));
		tau += dtau;
		if (fabs(dtau) < 1e-14 * fmax(1.0, fabs(tau)))
			break;
	}
	return tau;
}

/* Central meridian of a UTM zone, in degrees. */
static double
geo_zone_meridian(int zone)
{
	return zone * 6.0 - 183.0;
}

/* Geodetic -> transverse Mercator (x, y) about the zone meridian, metres. */
static void
geo_tm_forward(const struct geo_tm_series *s, double lat, double dlon, double *x, double *y)
{
	double phi = lat * GEO_DEG, lam = dlon * GEO_DEG;
	double taup = geo_taupf(tan(phi), s->e);
	double xip = atan2(taup, cos(lam));
	double etap = asinh(sin(lam) / hypot(taup, cos(lam)));
	double xi = xip, eta = etap;

	for (int j = 1; j <= GEO_ORDER; j++) {
		xi += s->alpha[j] * sin(2 * j * xip) * cosh(2 * j * etap);
		eta += s->alpha[j] * cos(2 * j * xip) * sinh(2 * j * etap);
	}
	*x = s->a_rect * eta;
	*y = s->a_rect * xi;
}

/* Transverse Mercator (x, y) -> geodetic, longitude relative to the meridian. */
static void
geo_tm_inverse(const struct geo_tm_series *s, double x, double y, double *lat, double *dlon)
{
	double xi = y / s->a_rect, eta = x / s->a_rect;
	double xip = xi, etap = eta;

	for (int j = 1; j <= GEO_ORDER; j++) {
		xip -= s->beta[j] * sin(2 * j * xi) * cosh(2 * j * eta);
		etap -= s->beta[j] * cos(2 * j * xi) * sinh(2 * j * eta);
	}
	double taup = sin(xip) / hypot(sinh(etap), cos(xip));
	*lat = atan(geo_tauf(taup, s->e)) / GEO_DEG;
	*dlon = atan2(sinh(etap), cos(xip)) / GEO_DEG;
}

/*
 * The UTM zone of a point, with the two historical exceptions: zone 32
 * widened over south-west Norway, and only the odd zones 31-37 over
 * Svalbard.  Longitude 180 belongs to zone 1, like -180.
 */
static int
geo_zone_of(double lat, double lon)
{
	int zone = (int)floor((lon + 180.0) / 6.0) % 60 + 1;

	if (lat >= 56.0 && lat < 64.0 && lon >= 3.0 && lon < 12.0)
		return 32;
	if (lat >= 72.0 && lon >= 0.0 && lon < 42.0) {
		if (lon < 9.0)
			return 31;
		if (lon < 21.0)
			return 33;
		if (lon < 33.0)
			return 35;
		return 37;
	}
	return zone;
}

static void
geo_utm_project(struct geo_point p, int zone, struct geo_utm *u)
{
	struct geo_tm_series s;
	double x, y, dlon;

	geo_tm_series_init(&s);
	u->zone = zone;
	dlon = p.lon - geo_zone_meridian(u->zone);
	/* Bring the difference into -180..180 across the antimeridian. */
	if (dlon > 180.0)
		dlon -= 360.0;
	else if (dlon < -180.0)
		dlon += 360.0;
	geo_tm_forward(&s, p.lat, dlon, &x, &y);
	u->north = p.lat >= 0.0;
	u->easting = GEO_FALSE_EASTING + x;
	u->northing = u->north ? y : y + GEO_FALSE_NORTHING_SOUTH;
}

static struct geo_point
geo_utm_unproject(const struct geo_utm *u)
{
	struct geo_tm_series s;
	struct geo_point p;
	double dlon;
	double y = u->north ? u->northing : u->northing - GEO_FALSE_NORTHING_SOUTH;

	geo_tm_series_init(&s);
	geo_tm_inverse(&s, u->easting - GEO_FALSE_EASTING, y, &p.lat, &dlon);
	p.lon = geo_zone_meridian(u->zone) + dlon;
	if (p.lon >= 180.0)
		p.lon -= 360.0;
	else if (p.lon < -180.0)
		p.lon += 360.0;
	return p;
}

/* Band letter of a latitude inside -80..84 (X stretches to 84). */
static char
geo_band_of(double lat)
{
	int i = (int)floor((lat - GEO_LAT_MIN) / 8.0);

	if (i > 19)
		i = 19;
	if (i < 0)
		i = 0;
	return geo_bands[i];
}

/* Southern edge and northern edge of a band; false if not a UTM band letter. */
static bool
geo_band_range(char band, double *south, double *north)
{
	const char *at = strchr(geo_bands, band);

	if (band == '\0' || at == NULL)
		return false;
	*south = GEO_LAT_MIN + 8.0 * (double)(at - geo_bands);
	*north = band == 'X' ? GEO_LAT_MAX : *south + 8.0;
	return true;
}

/* Index into geo_column_letters of the first column letter of a zone. */
static int
geo_column_base(int zone)
{
	return ((zone - 1) % 3) * 8;
}

/* Row letters of even zones start five letters later ("F"). */
static int
geo_row_offset(int zone)
{
	return zone % 2 == 0 ? 5 : 0;
}

bool
geo_valid(struct geo_point p)
{
	return isfinite(p.lat) && isfinite(p.lon) && p.lat >= -90.0 && p.lat <= 90.0
		&& p.lon >= -180.0 && p.lon <= 180.0;
}

static bool
geo_is_polar(double lat)
{
	return lat < GEO_LAT_MIN || lat >= GEO_LAT_MAX;
}

/*
 * Floor that forgives floating-point noise: a coordinate that should be
 * exactly 4 500 000 m but comes out 1e-9 m short still lands on the
 * right metre.  A micrometre is far below anything MGRS can express.
 */
static long
geo_floor_metres(double v, double step)
{
	return (long)floor((v + 1e-6) / step);
}

/* Writes zone, band and square letters, then the digits, into buf. */
static int
geo_format_mgrs(const struct geo_utm *u, char band, int digits, bool spaced, char *buf,
		size_t bufsize, struct cimic_error *err)
{
	long e100k = geo_floor_metres(u->easting, 100000.0);
	long n100k = geo_floor_metres(u->northing, 100000.0);
	double step = pow(10.0, 5 - digits);
	long e = geo_floor_metres(u->easting - e100k * 100000.0, step);
	long n = geo_floor_metres(u->northing - n100k * 100000.0, step);
	const char *sep = spaced ? " " : "";
	int len;

	if (e100k < 1 || e100k > 8)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("position too far from its UTM zone for MGRS"));
	char col = geo_column_letters[geo_column_base(u->zone) + (int)e100k - 1];
	char row = geo_row_letters[(n100k + geo_row_offset(u->zone)) % 20];
	len = snprintf(buf, bufsize, "%02d%c%s%c%c%s%0*ld%s%0*ld", u->zone, band, sep, col, row,
		       sep, digits, e, sep, digits, n);
	if (len < 0 || (size_t)len >= bufsize)
		return cimic_error_set(err, CIMIC_EFAIL, _("buffer too small for an MGRS reference"));
	return 0;
}

int
geo_to_mgrs(struct geo_point p, int digits, bool spaced, char *buf, size_t bufsize,
	    struct cimic_error *err)
{
	struct geo_utm u;

	if (bufsize > 0)
		buf[0] = '\0';
	if (digits < 1 || digits > 5)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("MGRS precision must be 1 to 5 digits, not %d"), digits);
	if (!geo_valid(p))
		return cimic_error_set(err, CIMIC_EDATA, _("not a valid position"));
	if (geo_is_polar(p.lat))
		return cimic_error_set(err, CIMIC_EDATA,
				       _("polar regions (UPS, south of 80S or from 84N) are not supported"));
	geo_utm_project(p, geo_zone_of(p.lat, p.lon), &u);
	return geo_format_mgrs(&u, geo_band_of(p.lat), digits, spaced, buf, bufsize, err);
}

/* The pieces of an MGRS reference, after reading the text. */
struct geo_mgrs {
	int zone;
	char band;
	char column;
	char row;
	int digits;       /* per axis, 0..5 */
	long easting;     /* within the 100 km square, in units of 10^(5-digits) m */
	long northing;
};

/* Copies text without blanks, upper-cased; false if it does not fit. */
static bool
geo_squeeze(const char *text, char *out, size_t outsize)
{
	size_t n = 0;

	for (; *text != '\0'; text++) {
		unsigned char c = (unsigned char)*text;
		if (c == ' ' || c == '\t')
			continue;
		if (n + 1 >= outsize)
			return false;
		out[n++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
	}
	out[n] = '\0';
	return true;
}

static bool
geo_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
geo_is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* Reads `count` decimal digits as a number. */
static long
geo_digits_value(const char *s, int count)
{
	long v = 0;

	for (int i = 0; i < count; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * Splits a squeezed reference into its parts.  Returns 1 when the text
 * has the shape of MGRS (and fills m), 0 when it does not look like MGRS
 * at all (so the caller may try lat,lon), -1 when it does look like MGRS
 * but something is wrong (err says what).
 */
static int
geo_mgrs_split(const char *s, const char *orig, struct geo_mgrs *m, struct cimic_error *err)
{
	int zd = 0, nd = 0;

	while (geo_is_digit(s[zd]))
		zd++;
	if (zd == 0 && (s[0] == 'A' || s[0] == 'B' || s[0] == 'Y' || s[0] == 'Z')
	    && geo_is_upper(s[1]) && geo_is_upper(s[2]))
		return cimic_error_set(err, CIMIC_EDATA,
				       _("polar (UPS) MGRS references are not supported: %s"), orig);
	if (zd < 1 || zd > 2 || !geo_is_upper(s[zd]) || !geo_is_upper(s[zd + 1])
	    || !geo_is_upper(s[zd + 2]))
		return 0;
	while (geo_is_digit(s[zd + 3 + nd]))
		nd++;
	if (s[zd + 3 + nd] != '\0')
		return 0;
	/* as typed, "123 45678": unequal groups are refused, never re-split into 1234 5678 */
	const char *g = orig + strlen(orig);
	while (g > orig && !geo_is_upper((char)(g[-1] & ~0x20)))
		g--;
	int groups = 0, len[3] = { 0, 0, 0 };
	for (bool in = false; *g; g++) {
		if (geo_is_digit(*g)) {
			if (!in && groups < 3)
				groups++;
			in = true;
			if (groups <= 3)
				len[groups - 1]++;
		} else {
			in = false;
		}
	}
	if (groups > 2 || (groups == 2 && len[0] != len[1]))
		return cimic_error_set(err, CIMIC_EDATA,
				       _("MGRS easting and northing must have the same number of digits, "
					 "in two groups: %s"), orig);
	m->zone = (int)geo_digits_value(s, zd);
	m->band = s[zd];
	m->column = s[zd + 1];
	m->row = s[zd + 2];
	if (nd % 2 != 0 || nd > 10)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("MGRS needs the same number of easting and northing digits (up to 5 each): %s"),
				       orig);
	m->digits = nd / 2;
	m->easting = geo_digits_value(s + zd + 3, m->digits);
	m->northing = geo_digits_value(s + zd + 3 + m->digits, m->digits);
	return 1;
}

/* Checks zone, band and square letters; fills the 100 km easting index 1..8. */
static int
geo_mgrs_check(const struct geo_mgrs *m, const char *orig, int *e100k, struct cimic_error *err)
{
	double south, north;
	const char *col;
	int base;

	if (m->zone < 1 || m->zone > 60)
		return cimic_error_set(err, CIMIC_EDATA, _("MGRS zone must be 1 to 60: %s"), orig);
	if (m->band == 'A' || m->band == 'B' || m->band == 'Y' || m->band == 'Z')
		return cimic_error_set(err, CIMIC_EDATA,
				       _("polar (UPS) MGRS references are not supported: %s"), orig);
	if (!geo_band_range(m->band, &south, &north))
		return cimic_error_set(err, CIMIC_EDATA, _("not an MGRS latitude band: %s"), orig);
	if (m->band == 'X' && (m->zone == 32 || m->zone == 34 || m->zone == 36))
		return cimic_error_set(err, CIMIC_EDATA,
				       _("MGRS zone does not exist over Svalbard: %s"), orig);
	base = geo_column_base(m->zone);
	col = memchr(geo_column_letters + base, m->column, 8);
	if (col == NULL || strchr(geo_row_letters, m->row) == NULL)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("no such 100 km square in this zone: %s"), orig);
	*e100k = (int)(col - (geo_column_letters + base)) + 1;
	return 0;
}

/* How far a latitude lies outside a band, in degrees (0 inside). */
static double
geo_band_distance(double lat, double south, double north)
{
	if (lat < south)
		return south - lat;
	if (lat > north)
		return lat - north;
	return 0.0;
}

/*
 * The row letter fixes the northing only modulo 2000 km; the band says
 * which of those repeats is meant.  Try each repeat and keep the one
 * whose latitude lies in (or nearest to) the band.  A square may reach
 * beyond its band, hence the one-degree allowance before refusing.
 */
static int
geo_mgrs_resolve(const struct geo_mgrs *m, double east_m, double north_in_square,
		 const char *orig, struct geo_utm *u, struct cimic_error *err)
{
	double south = 0.0, north = 0.0, best = 1e9;
	int row = (int)(strchr(geo_row_letters, m->row) - geo_row_letters);
	double base = ((row - geo_row_offset(m->zone) + 20) % 20) * 100000.0 + north_in_square;

	geo_band_range(m->band, &south, &north);
	u->zone = m->zone;
	u->north = m->band >= 'N';
	u->easting = east_m;
	for (double n = base; n < 10000000.0; n += 2000000.0) {
		struct geo_utm c = *u;
		c.northing = n;
		double d = geo_band_distance(geo_utm_unproject(&c).lat, south, north);
		if (d < best) {
			best = d;
			u->northing = n;
		}
	}
	if (best > 1.0)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("MGRS square lies outside its latitude band: %s"), orig);
	return 0;
}

/* Shared by the corner and centre readers: `centre` adds half the square. */
static int
geo_mgrs_read_utm(const char *mgrs, bool centre, struct geo_utm *u, struct cimic_error *err)
{
	char s[64];
	struct geo_mgrs m;
	int e100k = 0, rc;

	if (mgrs == NULL || !geo_squeeze(mgrs, s, sizeof s))
		return cimic_error_set(err, CIMIC_EDATA, _("not an MGRS reference"));
	rc = geo_mgrs_split(s, mgrs, &m, err);
	if (rc == 0)
		return cimic_error_set(err, CIMIC_EDATA, _("not an MGRS reference: %s"), mgrs);
	if (rc < 0 || geo_mgrs_check(&m, mgrs, &e100k, err) < 0)
		return -1;
	double step = pow(10.0, 5 - m.digits);
	double half = centre && m.digits < 5 ? step / 2.0 : 0.0;
	double east = e100k * 100000.0 + m.easting * step + half;
	return geo_mgrs_resolve(&m, east, m.northing * step + half, mgrs, u, err);
}

int
geo_from_mgrs(const char *mgrs, struct geo_point *out, struct cimic_error *err)
{
	struct geo_utm u;

	if (geo_mgrs_read_utm(mgrs, true, &u, err) < 0)
		return -1;
	*out = geo_utm_unproject(&u);
	return 0;
}

int
geo_from_mgrs_corner(const char *mgrs, struct geo_point *out, struct cimic_error *err)
{
	struct geo_utm u;

	if (geo_mgrs_read_utm(mgrs, false, &u, err) < 0)
		return -1;
	*out = geo_utm_unproject(&u);
	return 0;
}

int
geo_mgrs_to_utm(const char *mgrs, struct geo_utm *out, struct cimic_error *err)
{
	return geo_mgrs_read_utm(mgrs, false, out, err);
}

int
geo_to_utm(struct geo_point p, int zone, struct geo_utm *out, struct cimic_error *err)
{
	if (!geo_valid(p))
		return cimic_error_set(err, CIMIC_EDATA, _("not a valid position"));
	if (geo_is_polar(p.lat))
		return cimic_error_set(err, CIMIC_EDATA,
				       _("polar regions (UPS, south of 80S or from 84N) are not supported"));
	if (zone < 0 || zone > 60)
		return cimic_error_set(err, CIMIC_EUSAGE, _("UTM zone must be 1 to 60, not %d"), zone);
	geo_utm_project(p, zone == 0 ? geo_zone_of(p.lat, p.lon) : zone, out);
	return 0;
}

/*
 * Reads a decimal number "[-+]ddd[.ddd]" at *s without strtod, so the C
 * locale's decimal separator never matters.  The fraction is gathered
 * as an integer and divided once: exact to the last bit for the 15
 * fractional digits kept (later ones are read and ignored).
 */
static bool
geo_read_number(const char **s, double *out)
{
	const char *p = *s;
	double sign = 1.0, whole = 0.0;
	uint64_t frac = 0;
	int nwhole = 0, nfrac = 0, kept = 0;

	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1.0 : 1.0;
	for (; geo_is_digit(*p) && nwhole < 12; p++, nwhole++)
		whole = whole * 10.0 + (*p - '0');
	if (*p == '.') {
		for (p++; geo_is_digit(*p); p++, nfrac++) {
			if (kept < 15) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				kept++;
			}
		}
	}
	if (nwhole + nfrac == 0 || geo_is_digit(*p))
		return false;
	*out = sign * (whole + (double)frac / pow(10.0, kept));
	*s = p;
	return true;
}

static const char *
geo_skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "lat,lon", "lat, lon" or "lat lon". Returns 1, 0 (not this shape) or -1. */
static int
geo_parse_latlon(const char *text, struct geo_point *out, struct cimic_error *err)
{
	const char *s = geo_skip_blanks(text);
	double lat, lon;

	if (!geo_read_number(&s, &lat))
		return 0;
	const char *after = s;
	s = geo_skip_blanks(s);
	if (*s == ',')
		s = geo_skip_blanks(s + 1);
	else if (s == after)
		return 0;
	if (!geo_read_number(&s, &lon) || *geo_skip_blanks(s) != '\0')
		return 0;
	if (!(lat >= -90.0 && lat <= 90.0))
		return cimic_error_set(err, CIMIC_EDATA, _("latitude out of range: %s"), text);
	if (!(lon >= -180.0 && lon <= 180.0))
		return cimic_error_set(err, CIMIC_EDATA, _("longitude out of range: %s"), text);
	out->lat = lat;
	out->lon = lon;
	return 1;
}

int
geo_parse_area(const char *text, struct geo_area *out, struct cimic_error *err)
{
	const char *s = geo_skip_blanks(text ? text : "");
	double v[4];

	for (int i = 0; i < 4; i++) {
		if (i > 0) {
			if (*s != ',')
				goto bad;
			s = geo_skip_blanks(s + 1);
		}
		if (!geo_read_number(&s, &v[i]))
			goto bad;
		s = geo_skip_blanks(s);
	}
	if (*s != '\0')
		goto bad;
	if (!(v[0] >= -90.0 && v[2] <= 90.0 && v[1] >= -180.0 && v[3] <= 180.0))
		return cimic_error_set(err, CIMIC_EDATA, _("area out of range: %s"), text);
	if (v[0] > v[2] || v[1] > v[3])
		return cimic_error_set(err, CIMIC_EDATA,
				       _("area %s: south must not exceed north, nor west east"), text);
	out->south = v[0];
	out->west = v[1];
	out->north = v[2];
	out->east = v[3];
	return 0;
bad:
	return cimic_error_set(err, CIMIC_EDATA,
			       _("'%s' is not an area: give SOUTH,WEST,NORTH,EAST in decimal degrees"),
			       text ? text : "");
}

int
geo_parse(const char *text, struct geo_point *out, struct cimic_error *err)
{
	char s[64];
	struct geo_mgrs m;
	int rc;

	if (text == NULL || *geo_skip_blanks(text) == '\0')
		return cimic_error_set(err, CIMIC_EDATA, _("no position given"));
	rc = geo_parse_latlon(text, out, err);
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	if (geo_squeeze(text, s, sizeof s)) {
		rc = geo_mgrs_split(s, text, &m, err);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return geo_from_mgrs(text, out, err);
	}
	return cimic_error_set(err, CIMIC_EDATA, _("not an MGRS reference or lat,lon: %s"), text);
}

/* One coordinate with five decimals, formatted with integers only. */
static int
geo_format_degrees(double v, char *buf, size_t bufsize)
{
	long long units = llround(fabs(v) * 100000.0);
	const char *sign = v < 0 && units != 0 ? "-" : "";

	return snprintf(buf, bufsize, "%s%lld.%05lld", sign, units / 100000, units % 100000);
}

void
geo_format_latlon(struct geo_point p, char *buf, size_t bufsize)
{
	char lat[32], lon[32];

	if (bufsize == 0)
		return;
	if (!geo_valid(p)) {
		snprintf(buf, bufsize, "?");
		return;
	}
	geo_format_degrees(p.lat, lat, sizeof lat);
	geo_format_degrees(p.lon, lon, sizeof lon);
	snprintf(buf, bufsize, "%s,%s", lat, lon);
}

double
geo_distance_m(struct geo_point a, struct geo_point b)
{
	double dlat = (b.lat - a.lat) * GEO_DEG, dlon = (b.lon - a.lon) * GEO_DEG;
	double h = sin(dlat / 2) * sin(dlat / 2)
		+ cos(a.lat * GEO_DEG) * cos(b.lat * GEO_DEG) * sin(dlon / 2) * sin(dlon / 2);

	return 2.0 * GEO_MEAN_RADIUS * asin(fmin(1.0, sqrt(h)));
}
