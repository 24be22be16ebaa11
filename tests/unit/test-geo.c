/*
 * test-geo.c - MGRS and lat/lon against NGA GEOTRANS reference output,
 * plus hand-written cases over Ukraine, parser edge cases and bad input.
 *
 * The two GEOTRANS files hold 16,620 cases each.  Every case is checked,
 * but the TAP output is aggregated (one line per file and category) so a
 * failure report stays readable; the first few failing cases are shown
 * as diagnostics.  Polar (UPS) cases are excluded by rule because the
 * module refuses them; the test checks that refusal too.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/geo.h"
#include "geo_private.h"
#include "tap.h"

#define MAX_FIELDS 48
#define SHOW_FAILURES 5

/* Tolerance for "same position" (the GEOTRANS files round to 1e-6 deg). */
#define TOL_M 1.0

enum category { CAT_UKRAINE, CAT_NORWAY, CAT_SVALBARD, CAT_SOUTH, CAT_NORTH, CAT_COUNT };

static const char *const category_names[CAT_COUNT] = {
	"Ukraine (zones 34-37, bands T/U)", "Norway (band V, zones 31-32)",
	"Svalbard (band X, zones 31-37)", "southern hemisphere (bands C-M)",
	"northern hemisphere, other",
};

struct tally {
	long checked, excluded, failed, exact, exact_computed;
	double max_err;
	double max_corner;   /* geoToMgrs: between our corner and GEOTRANS's */
	long cat_checked[CAT_COUNT], cat_failed[CAT_COUNT];
	double cat_max[CAT_COUNT];
};

/* Splits a TSV line in place; empty fields are kept. Returns the field count. */
static int
split_tsv(char *line, char **fields)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	fields[n++] = line;
	for (char *p = line; *p != '\0' && n < MAX_FIELDS; p++) {
		if (*p == '\t') {
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	return n;
}

static bool
is_polar_mgrs(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'Z';
}

static enum category
category_of(const char *mgrs)
{
	int zone = atoi(mgrs);
	char band = mgrs[2];

	if (zone >= 34 && zone <= 37 && (band == 'T' || band == 'U'))
		return CAT_UKRAINE;
	if (band == 'V' && (zone == 31 || zone == 32))
		return CAT_NORWAY;
	if (band == 'X' && zone >= 31 && zone <= 37)
		return CAT_SVALBARD;
	return band < 'N' ? CAT_SOUTH : CAT_NORTH;
}

static void
tally_case(struct tally *t, enum category cat, double err_m, bool good, const char *what)
{
	t->checked++;
	t->cat_checked[cat]++;
	if (err_m > t->max_err)
		t->max_err = err_m;
	if (err_m > t->cat_max[cat])
		t->cat_max[cat] = err_m;
	if (!good) {
		if (t->failed < SHOW_FAILURES)
			tap_diag("FAIL %s (error %.3f m)", what, err_m);
		t->failed++;
		t->cat_failed[cat]++;
	}
}

static FILE *
open_data(const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/mgrs/%s", tap_shared_data(), name);
	f = fopen(path, "r");
	if (f == NULL)
		tap_diag("cannot open %s", path);
	return f;
}

/* Skips the two header lines and the blank line. */
static void
skip_header(FILE *f)
{
	char line[4096];

	for (int i = 0; i < 3 && fgets(line, sizeof line, f) != NULL; i++)
		;
}

/* Grid distance in metres from a UTM position to a 1 m square (0 inside). */
static double
distance_to_square(const struct geo_utm *pt, const struct geo_utm *corner)
{
	double de = pt->easting - corner->easting, dn = pt->northing - corner->northing;
	double ex = de < 0 ? -de : de > 1.0 ? de - 1.0 : 0.0;
	double ey = dn < 0 ? -dn : dn > 1.0 ? dn - 1.0 : 0.0;

	return hypot(ex, ey);
}

/*
 * geoToMgrs: the input point must lie inside the 1 m square we name
 * (truncation, with a micrometre for floating-point noise), and the
 * square GEOTRANS names must lie within 1 m of ours.  Grid corners make
 * "within 1 m" the honest comparison: the inputs are rounded to 1e-6
 * degree, so a point on a corner may truncate either way.
 */
static void
check_geo_to_mgrs_case(struct tally *t, long *outside, char **fld)
{
	struct geo_point p = { strtod(fld[7], NULL), strtod(fld[8], NULL) }, exp_pt;
	struct geo_utm mine_sq, p_utm, exp_utm;
	struct cimic_error err;
	char mine[40], what[160];
	const char *expected = fld[10];

	if (is_polar_mgrs(expected) || p.lat < -80.0 || p.lat >= 84.0) {
		t->excluded++;
		if (geo_to_mgrs(p, 5, false, mine, sizeof mine, &err) == 0 || err.code != CIMIC_EDATA)
			tap_diag("FAIL polar point %s,%s not refused", fld[7], fld[8]);
		return;
	}
	snprintf(what, sizeof what, "%s,%s -> %s", fld[7], fld[8], expected);
	if (geo_to_mgrs(p, 5, false, mine, sizeof mine, &err) < 0
	    || geo_mgrs_to_utm(mine, &mine_sq, &err) < 0
	    || geo_to_utm(p, mine_sq.zone, &p_utm, &err) < 0
	    || geo_from_mgrs_corner(expected, &exp_pt, &err) < 0
	    || geo_to_utm(exp_pt, mine_sq.zone, &exp_utm, &err) < 0) {
		tap_diag("error: %s", err.msg);
		tally_case(t, category_of(expected), INFINITY, false, what);
		return;
	}
	double corners = hypot(exp_utm.easting - mine_sq.easting, exp_utm.northing - mine_sq.northing);
	double inside = distance_to_square(&p_utm, &mine_sq);
	double to_ref = distance_to_square(&exp_utm, &mine_sq);
	*outside += inside > 1e-6;
	t->exact += strcmp(mine, expected) == 0;
	t->exact_computed += strcmp(mine, fld[13]) == 0;
	t->max_corner = fmax(t->max_corner, corners);
	tally_case(t, category_of(expected), to_ref, to_ref <= TOL_M && inside <= 1e-6, what);
}

/*
 * mgrsToGeo: the corner we compute must be within 1 m of the expected
 * point (columns 10-11, printed to 1e-5 degree, so up to ~0.8 m away by
 * rounding alone) and within 0.1 m of GEOTRANS's own computed output
 * (columns 13-14, 1e-6 degree).
 */
static void
check_mgrs_to_geo_case(struct tally *t, struct tally *t6, char **fld, long *parse_same)
{
	struct geo_point exp_pt = { strtod(fld[10], NULL), strtod(fld[11], NULL) };
	struct geo_point calc_pt = { strtod(fld[13], NULL), strtod(fld[14], NULL) }, mine, parsed;
	struct cimic_error err;
	char what[160];

	if (is_polar_mgrs(fld[7])) {
		t->excluded++;
		if (geo_from_mgrs_corner(fld[7], &mine, &err) == 0 || err.code != CIMIC_EDATA)
			tap_diag("FAIL polar reference %s not refused", fld[7]);
		return;
	}
	snprintf(what, sizeof what, "%s -> %s,%s", fld[7], fld[10], fld[11]);
	if (geo_from_mgrs_corner(fld[7], &mine, &err) < 0) {
		tap_diag("error: %s", err.msg);
		tally_case(t, category_of(fld[7]), INFINITY, false, what);
		return;
	}
	double d = geo_distance_m(mine, exp_pt), d6 = geo_distance_m(mine, calc_pt);
	tally_case(t, category_of(fld[7]), d, d <= TOL_M, what);
	tally_case(t6, category_of(fld[7]), d6, d6 <= 0.1, what);
	/* geo_parse of a 1 m reference is the point itself (no half-square offset). */
	if (geo_parse(fld[7], &parsed, &err) == 0 && geo_distance_m(parsed, mine) < 1e-6)
		(*parse_same)++;
}

static void
report(const char *file, const char *metric, const struct tally *t)
{
	tap_diag("%s: %ld checked, %ld excluded (polar), %ld failed, max %s %.3f m", file,
		 t->checked, t->excluded, t->failed, metric, t->max_err);
	ok(t->failed == 0 && t->checked > 16000, "%s: every non-polar case within %.0f m", file,
	   TOL_M);
	for (int c = 0; c < CAT_COUNT; c++)
		ok(t->cat_failed[c] == 0 && t->cat_checked[c] > 0,
		   "%s: %s, %ld cases, max %.3f m", file, category_names[c], t->cat_checked[c],
		   t->cat_max[c]);
	ok(t->excluded == 240, "%s: 240 polar cases refused", file);
}

static void
test_geo_to_mgrs_file(void)
{
	struct tally t = { 0 };
	char line[4096], *fld[MAX_FIELDS];
	long outside = 0;
	FILE *f = open_data("geoToMgrs_WE.txt");

	if (!ok(f != NULL, "geoToMgrs_WE.txt opened"))
		return;
	skip_header(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (split_tsv(line, fld) > 13)
			check_geo_to_mgrs_case(&t, &outside, fld);
	fclose(f);
	report("geoToMgrs", "distance from GEOTRANS's square to ours", &t);
	is_int(outside, 0, "geoToMgrs: every input point lies inside the 1 m square written");
	tap_diag("geoToMgrs: %ld strings identical to GEOTRANS's computed column", t.exact_computed);
	tap_diag("geoToMgrs: %ld strings identical to the expected column; the rest are "
		 "neighbouring squares at grid corners (corners at most %.3f m apart)", t.exact,
		 t.max_corner);
}

static void
test_mgrs_to_geo_file(void)
{
	struct tally t = { 0 }, t6 = { 0 };
	char line[4096], *fld[MAX_FIELDS];
	long parse_same = 0;
	FILE *f = open_data("mgrsToGeo_WE.txt");

	if (!ok(f != NULL, "mgrsToGeo_WE.txt opened"))
		return;
	skip_header(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (split_tsv(line, fld) > 14)
			check_mgrs_to_geo_case(&t, &t6, fld, &parse_same);
	fclose(f);
	report("mgrsToGeo", "error vs expected (1e-5 deg) point", &t);
	tap_diag("mgrsToGeo vs GEOTRANS computed (1e-6 deg): %ld checked, max error %.3f m",
		 t6.checked, t6.max_err);
	ok(t6.failed == 0, "mgrsToGeo: every case within 0.1 m of GEOTRANS's computed output");
	is_int(parse_same, t.checked, "mgrsToGeo: geo_parse gives the same point for every case");
}

/* Hand-checked places (expected strings from an independent 3rd-order Krueger script). */
static const struct {
	const char *name;
	double lat, lon;
	const char *mgrs5;
} places[] = {
	{ "Kyiv", 50.4501, 30.5234, "36UUA2418291607" },
	{ "Kharkiv", 49.9935, 36.2304, "37UCR0149741584" },
	{ "Odesa", 46.4825, 30.7233, "36TUS2525050177" },
	{ "Lviv", 49.8397, 24.0297, "35UKR8643625040" },
	{ "Sevastopol", 44.6166, 33.5254, "36TWQ4168440495" },
	{ "west of 36E (zone 36)", 49.0, 35.999999, "36UYV1941331792" },
	{ "on 36E (zone 37)", 49.0, 36.0, "37UBQ8058631792" },
	{ "Cape Town (south)", -33.9249, 18.4241, "34HBH6188143182" },
};

static void
test_places(void)
{
	struct cimic_error err;
	struct geo_point back;
	char buf[40];

	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
		struct geo_point p = { places[i].lat, places[i].lon };
		geo_to_mgrs(p, 5, false, buf, sizeof buf, &err);
		is_str(buf, places[i].mgrs5, "%s to MGRS", places[i].name);
		ok(geo_from_mgrs(buf, &back, &err) == 0 && geo_distance_m(back, p) < 1.5,
		   "%s back within 1.5 m", places[i].name);
	}
}

static const struct {
	int digits;
	bool spaced;
	const char *want;
} kyiv_precisions[] = {
	{ 1, false, "36UUA29" }, { 2, false, "36UUA2491" }, { 3, true, "36U UA 241 916" },
	{ 4, true, "36U UA 2418 9160" }, { 5, true, "36U UA 24182 91607" },
};

static void
test_precisions(void)
{
	struct geo_point kyiv = { 50.4501, 30.5234 }, centre;
	struct cimic_error err;
	char buf[40];

	for (size_t i = 0; i < sizeof kyiv_precisions / sizeof kyiv_precisions[0]; i++) {
		geo_to_mgrs(kyiv, kyiv_precisions[i].digits, kyiv_precisions[i].spaced, buf,
			    sizeof buf, &err);
		is_str(buf, kyiv_precisions[i].want, "Kyiv at %d digits (truncated)",
		       kyiv_precisions[i].digits);
	}
	/* A 10 km square's centre is 5 km east and north of its corner. */
	geo_from_mgrs("36UUA29", &centre, &err);
	struct geo_point corner;
	geo_from_mgrs_corner("36UUA29", &corner, &err);
	double d = geo_distance_m(centre, corner);
	ok(fabs(d - 5000.0 * sqrt(2.0)) < 30.0, "centre of 36UUA29 is ~7071 m from corner (%.0f)", d);
	is_int(geo_to_mgrs(kyiv, 0, false, buf, sizeof buf, &err), -1, "0 digits refused");
	is_int(geo_to_mgrs(kyiv, 6, false, buf, sizeof buf, &err), -1, "6 digits refused");
	is_int(geo_to_mgrs(kyiv, 5, true, buf, 10, &err), -1, "small buffer refused");
}

static const struct {
	double lat, lon;
	const char *prefix;
} zones[] = {
	{ 60.0, 5.0, "32V" },      /* Norway exception */
	{ 60.0, 2.9, "31V" },
	{ 64.0, 5.0, "31W" },      /* above the exception */
	{ 78.0, 8.9, "31X" },      /* Svalbard */
	{ 78.0, 9.0, "33X" },
	{ 78.0, 20.9, "33X" },
	{ 78.0, 21.0, "35X" },
	{ 78.0, 33.0, "37X" },
	{ 83.99, 41.9, "37X" },
	{ 78.0, 42.0, "38X" },
	{ 0.0, 180.0, "01N" },     /* antimeridian */
	{ -0.000001, -180.0, "01M" },
	{ -79.99, 0.0, "31C" },
	{ 47.99, 36.5, "37T" },
	{ 48.0, 36.5, "37U" },
};

static void
test_zones(void)
{
	struct cimic_error err;
	struct geo_point back;
	char buf[40];

	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		struct geo_point p = { zones[i].lat, zones[i].lon };
		int rc = geo_to_mgrs(p, 5, false, buf, sizeof buf, &err);
		ok(rc == 0 && strncmp(buf, zones[i].prefix, 3) == 0, "%.6f,%.1f in %s (got %s)",
		   zones[i].lat, zones[i].lon, zones[i].prefix, rc == 0 ? buf : err.msg);
		ok(geo_from_mgrs_corner(buf, &back, &err) == 0 && geo_distance_m(back, p) < 1.5,
		   "%s round trip", buf);
	}
}

/* Every point of a grid over Ukraine and one over the world: out and back. */
static void
test_round_trip_grid(void)
{
	struct cimic_error err;
	struct geo_point back;
	char buf[40];
	long n = 0, bad = 0;
	double max = 0;

	for (double lat = -79.95; lat < 84.0; lat += 0.37) {
		for (double lon = -179.93; lon <= 180.0; lon += 0.53) {
			struct geo_point p = { lat, lon };
			n++;
			if (geo_to_mgrs(p, 5, false, buf, sizeof buf, &err) < 0
			    || geo_from_mgrs_corner(buf, &back, &err) < 0) {
				bad++;
				continue;
			}
			double d = geo_distance_m(back, p);
			max = fmax(max, d);
			bad += d > sqrt(2.0) + 1e-3;
		}
	}
	ok(bad == 0, "world grid: %ld points round trip inside their 1 m square (max %.3f m)", n,
	   max);
}

/*
 * Tolerances: 1 cm for lat,lon; 1.5 m for MGRS (expected points from the
 * independent script, checked again as 36UUA4999950000 for the centre of
 * 36UUA); the 1 km reference only has to land in its square.
 */
static const struct {
	const char *text;
	double lat, lon, tol_m;
} good_inputs[] = {
	{ "50.4501,30.5234", 50.4501, 30.5234, 0.01 },
	{ "50.4501, 30.5234", 50.4501, 30.5234, 0.01 },
	{ "50.4501 30.5234", 50.4501, 30.5234, 0.01 },
	{ "  50.4501 ,\t30.5234  ", 50.4501, 30.5234, 0.01 },
	{ "+50.4501,+30.5234", 50.4501, 30.5234, 0.01 },
	{ "-33.9249,18.4241", -33.9249, 18.4241, 0.01 },
	{ "90,180", 90.0, 180.0, 0.01 },
	{ "-90,-180", -90.0, -180.0, 0.01 },
	{ ".5,5.", 0.5, 5.0, 0.01 },
	{ "050.4501000000000000000001,30.5234", 50.4501, 30.5234, 0.01 },
	{ "36UUA2418291607", 50.4501, 30.5234, 1.5 },
	{ "36U UA 24182 91607", 50.4501, 30.5234, 1.5 },
	{ "36uua 24182 91607", 50.4501, 30.5234, 1.5 },
	{ " 36U\tUA2418291607 ", 50.4501, 30.5234, 1.5 },
	{ "36UUA2491", 50.4501, 30.5234, 710.0 },     /* 1 km square: centre */
	{ "36UUA", 50.0833187, 30.9032808, 1.5 },     /* 100 km square: centre */
	{ "37U DQ 12345 67890", 49.3574167, 37.7929122, 1.5 },
};

static const char *const bad_inputs[] = {
	"", "   ", "abc", "50.45", "50.45,", ",30.5", "91,30", "-90.0001,0", "50,181",
	"50,-180.5", "50.45,30.52,1", "50,4501 30,5234", "1e1,2", "nan,nan", "inf,0",
	"50..4,30", "50.4.5,30", "- 50,30", "37U DQ 1234 567", "37U DQ 123456 789012",
	"61U DQ 12345 67890", "0U DQ 12345 67890", "37I DQ 12345 67890", "37U IQ 12345 67890",
	"37U DW 12345 67890", "37U JQ 12345 67890", "32X NA 12345 12345", "37A DQ 12345 67890",
	"ZAB3114205767", "Y AB 1234 1234", "37U DQ 12345 6789x", "37 U", "37U D",
	"37T DQ 12345 67890", "37UDQ12345678901", "123U DQ 1 1", "50.4501;30.5234",
};

static void
test_parse(const char *label)
{
	struct cimic_error err;
	struct geo_point p;

	for (size_t i = 0; i < sizeof good_inputs / sizeof good_inputs[0]; i++) {
		struct geo_point want = { good_inputs[i].lat, good_inputs[i].lon };
		int rc = geo_parse(good_inputs[i].text, &p, &err);
		double d = rc == 0 ? geo_distance_m(p, want) : INFINITY;
		ok(rc == 0 && d < good_inputs[i].tol_m,
		   "%s: parse '%s' (%.3f m)%s%s", label, good_inputs[i].text, d, rc ? ": " : "",
		   rc ? err.msg : "");
	}
	for (size_t i = 0; i < sizeof bad_inputs / sizeof bad_inputs[0]; i++) {
		cimic_error_clear(&err);
		int rc = geo_parse(bad_inputs[i], &p, &err);
		ok(rc == -1 && err.code == CIMIC_EDATA && err.msg[0] != '\0'
		   && strchr(err.msg, '\n') == NULL,
		   "%s: refuse '%s': %s", label, bad_inputs[i], err.msg);
	}
	ok(geo_parse(NULL, &p, &err) == -1 && err.code == CIMIC_EDATA, "%s: NULL refused", label);
}

static void
test_area(const char *label)
{
	static const struct {
		const char *text;
		double s, w, n, e;
	} good[] = {
		{ "47.5,35.0,48.2,36.4", 47.5, 35.0, 48.2, 36.4 },
		{ " 49.5, 36, 50.2, 37 ", 49.5, 36, 50.2, 37 },
		{ "-10,-20,10,20", -10, -20, 10, 20 },
		{ "50,30,50,30", 50, 30, 50, 30 },
	};
	static const char *const bad[] = {
		"", "1,2,3", "1,2,3,4,5", "50,30,49,31", "50,31,51,30", "91,0,92,1", "0,-181,1,0",
		"50;30;51;31", "50,30,51,3a", "50,,51,31", "50,30,51,31,",
	};
	struct geo_area a;
	struct cimic_error err;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(geo_parse_area(good[i].text, &a, &err) == 0 && a.south == good[i].s && a.west == good[i].w &&
		   a.north == good[i].n && a.east == good[i].e, "%s: area '%s'", label, good[i].text);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(geo_parse_area(bad[i], &a, &err) == -1 && err.code == CIMIC_EDATA && err.msg[0],
		   "%s: refuse area '%s': %s", label, bad[i], err.msg);
}

static void
test_format(const char *label)
{
	static const struct {
		double lat, lon;
		const char *want;
	} cases[] = {
		{ 50.4501, 30.5234, "50.45010,30.52340" },
		{ -33.9249, -18.4241, "-33.92490,-18.42410" },
		{ -0.000001, 0.000004, "0.00000,0.00000" },
		{ 49.999996, -179.999996, "50.00000,-180.00000" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct geo_point p = { cases[i].lat, cases[i].lon };
		geo_format_latlon(p, buf, sizeof buf);
		is_str(buf, cases[i].want, "%s: format %s", label, cases[i].want);
	}
}

static void
test_distance(void)
{
	struct geo_point kyiv = { 50.4501, 30.5234 }, kharkiv = { 49.9935, 36.2304 },
			 odesa = { 46.4825, 30.7233 };

	ok(fabs(geo_distance_m(kyiv, kharkiv) - 409079.9) < 1.0, "Kyiv-Kharkiv 409.08 km");
	ok(fabs(geo_distance_m(kyiv, odesa) - 441423.2) < 1.0, "Kyiv-Odesa 441.42 km");
	ok(geo_distance_m(kyiv, kyiv) == 0.0, "zero distance");
	ok(geo_valid(kyiv), "Kyiv valid");
	ok(!geo_valid((struct geo_point){ 91, 0 }), "lat 91 invalid");
	ok(!geo_valid((struct geo_point){ 0, NAN }), "NaN invalid");
}

int
main(void)
{
	if (tap_shared_data() == NULL) {
		printf("1..0 # SKIP CIMIC_SHARED_DATA not set (path of ../shared/data)\n");
		return 77;
	}
	test_geo_to_mgrs_file();
	test_mgrs_to_geo_file();
	test_places();
	test_precisions();
	test_zones();
	test_round_trip_grid();
	test_parse("C locale");
	test_area("C locale");
	test_format("C locale");
	test_distance();
	/* Under a locale whose decimal separator is ',', nothing may change. */
	if (setlocale(LC_ALL, "uk_UA.UTF-8") != NULL) {
		test_parse("uk_UA locale");
		test_area("uk_UA locale");
		test_format("uk_UA locale");
	} else {
		tap_diag("uk_UA.UTF-8 locale not installed; locale check ran under C only");
	}
	return done_testing();
}
