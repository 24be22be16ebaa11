/*
 * test-timefmt.c - ISO 8601, DTG, Kyiv local time and its DST switches.
 *
 * Expected instants were computed independently (Python calendar.timegm).
 * The whole table runs twice: under the C locale and under uk_UA.UTF-8
 * when that locale exists, because month letters and numbers must not
 * follow the user's locale.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cimic/timefmt.h"
#include "timefmt_private.h"
#include "tap.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)

/* 2026-11-24T13:30:00Z */
#define T0 INT64_C(1795527000000)
/* EU switch instants, 01:00 UTC on the last Sunday of March / October. */
#define SPRING_2026 INT64_C(1774746000000)
#define AUTUMN_2026 INT64_C(1792890000000)

static const struct {
	const char *text;
	int64_t ms;
} good[] = {
	{ "241330ZNOV26", T0 },
	{ "241330znov26", T0 },
	{ "241330Z NOV 26", T0 },
	{ " 241330ZNOV2026 ", T0 },
	{ "241430ANOV26", T0 },        /* A = UTC+1 */
	{ "241530BNOV26", T0 },        /* B = UTC+2 */
	{ "242230INOV26", T0 },        /* I = UTC+9 */
	{ "242330KNOV26", T0 },        /* K = UTC+10 (J skipped) */
	{ "250130MNOV26", T0 },        /* M = UTC+12 */
	{ "241230NNOV26", T0 },        /* N = UTC-1 */
	{ "240830RNOV26", T0 },        /* R = UTC-5 */
	{ "240130YNOV26", T0 },        /* Y = UTC-12 */
	{ "291000ZFEB28", INT64_C(1835431200000) },
	{ "010000ZJAN00", INT64_C(946684800000) },
	{ "312359ZDEC99", INT64_C(4102444740000) },
	{ "2026-11-24T13:30Z", T0 },
	{ "2026-11-24t13:30z", T0 },
	{ "2026-11-24T13:30:00Z", T0 },
	{ "2026-11-24T13:30:00.000Z", T0 },
	{ "2026-11-24T13:30:00.5Z", T0 + 500 },
	{ "2026-11-24T13:30:00,25Z", T0 + 250 },
	{ "2026-11-24T13:30:00.123999Z", T0 + 123 },
	{ "2026-11-24T15:30+02:00", T0 },
	{ "2026-11-24T15:30+0200", T0 },
	{ "2026-11-24T15:30+02", T0 },
	{ "2026-11-24T08:30-05:00", T0 },
	{ "2026-11-24T19:00+05:30", T0 },
	{ "2026-11-24T15:30", T0 },              /* no zone: Kyiv, winter EET */
	{ "2026-11-24 15:30", T0 },
	{ "2026-11-24 15:30:00 EET", T0 },
	{ "2026-11-24 16:30 EEST", T0 },
	{ "2026-11-24", INT64_C(1795471200000) }, /* Kyiv midnight = 22:00Z */
	{ "2026-07-01T12:00", INT64_C(1782896400000) }, /* summer EEST */
	{ "2026-03-29T02:59", SPRING_2026 - MIN_MS },   /* last EET minute */
	{ "2026-03-29T04:00", SPRING_2026 },            /* first EEST minute */
	{ "2026-03-29T03:30", SPRING_2026 + 30 * MIN_MS }, /* gap: read as EET */
	{ "2026-10-25T03:30", AUTUMN_2026 - 30 * MIN_MS }, /* twice: EEST wins */
	{ "2026-10-25 03:30 EET", AUTUMN_2026 + 30 * MIN_MS },
	{ "2026-10-25T04:00", AUTUMN_2026 + HOUR_MS },
	{ "2026-10-25T02:59", AUTUMN_2026 - 61 * MIN_MS },
	{ "2026-11-24T13:30:00.123456789012345678901234567890123456789Z", T0 + 123 },
	{ "now", 42 },
	{ " NOW ", 42 },
};

static const char *const bad[] = {
	"", "   ", "yesterday", "nowx", "n o w", "2026-13-01", "2026-00-10", "2026-02-29",
	"2026-04-31", "2026-11-24T24:00", "2026-11-24T13:60", "2026-11-24T13:30:60Z",
	"2026-11-24T13:30+25:00", "2026-11-24T13:30+02:60", "2026-11-24T13",
	"2026-11-24T13:30:00.Z", "26-11-24", "2026/11/24", "2026-11-24T13:30Zjunk",
	"2026-11-24T13:30 CET", "2026-11-24T", "241330JNOV26", "241330ZXYZ26", "321330ZNOV26",
	"291330ZFEB26", "242430ZNOV26", "241360ZNOV26", "241330ZNOV2", "241330ZNOV202",
	"241330NOV26", "24133ZNOV26", "241330ZNOV26X", "2026-11-24T13:30:00.12345678901234567890123456789012345678901234567890Z",
};

static void
test_parse(const char *label)
{
	struct cimic_error err;
	int64_t ms;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		ms = -1;
		int rc = timefmt_parse(good[i].text, 42, &ms, &err);
		if (!ok(rc == 0 && ms == good[i].ms, "%s: parse '%s'", label, good[i].text))
			tap_diag("rc %d, got %lld, want %lld, %s", rc, (long long)ms,
				 (long long)good[i].ms, rc ? err.msg : "");
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cimic_error_clear(&err);
		int rc = timefmt_parse(bad[i], 42, &ms, &err);
		ok(rc == -1 && err.code == CIMIC_EDATA && err.msg[0] != '\0'
		   && strchr(err.msg, '\n') == NULL,
		   "%s: refuse '%s': %s", label, bad[i], err.msg);
	}
	ok(timefmt_parse(NULL, 0, &ms, &err) == -1 && err.code == CIMIC_EDATA, "%s: NULL refused",
	   label);
}

static const struct {
	int64_t ms;
	const char *dtg, *iso, *local;
} outputs[] = {
	{ T0, "241330ZNOV26", "2026-11-24T13:30:00Z", "2026-11-24 15:30 EET" },
	{ INT64_C(1782896400000), "010900ZJUL26", "2026-07-01T09:00:00Z", "2026-07-01 12:00 EEST" },
	{ SPRING_2026 - 1, "290059ZMAR26", "2026-03-29T00:59:59Z", "2026-03-29 02:59 EET" },
	{ SPRING_2026, "290100ZMAR26", "2026-03-29T01:00:00Z", "2026-03-29 04:00 EEST" },
	{ AUTUMN_2026 - 1, "250059ZOCT26", "2026-10-25T00:59:59Z", "2026-10-25 03:59 EEST" },
	{ AUTUMN_2026, "250100ZOCT26", "2026-10-25T01:00:00Z", "2026-10-25 03:00 EET" },
	{ INT64_C(946684800000), "010000ZJAN00", "2000-01-01T00:00:00Z", "2000-01-01 02:00 EET" },
	{ -1, "312359ZDEC69", "1969-12-31T23:59:59Z", "1970-01-01 01:59 EET" },
	{ INT64_C(1835431200000), "291000ZFEB28", "2028-02-29T10:00:00Z", "2028-02-29 12:00 EET" },
};

static void
test_output(const char *label)
{
	char buf[64];

	for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++) {
		timefmt_dtg(outputs[i].ms, buf, sizeof buf);
		is_str(buf, outputs[i].dtg, "%s: DTG", label);
		timefmt_iso_utc(outputs[i].ms, buf, sizeof buf);
		is_str(buf, outputs[i].iso, "%s: ISO", label);
		timefmt_local(outputs[i].ms, buf, sizeof buf);
		is_str(buf, outputs[i].local, "%s: local", label);
	}
}

/* Switch instants for several years, and the offset either side. */
static void
test_offsets(void)
{
	static const int64_t switches[][2] = {
		{ INT64_C(1711846800000), INT64_C(1729990800000) },   /* 2024: Mar 31, Oct 27 */
		{ INT64_C(1743296400000), INT64_C(1761440400000) },   /* 2025: Mar 30, Oct 26 */
		{ SPRING_2026, AUTUMN_2026 },                         /* 2026: Mar 29, Oct 25 */
	};

	for (size_t i = 0; i < sizeof switches / sizeof switches[0]; i++) {
		ok(timefmt_kyiv_offset_min(switches[i][0] - 1) == 120
		   && timefmt_kyiv_offset_min(switches[i][0]) == 180
		   && timefmt_kyiv_offset_min(switches[i][1] - 1) == 180
		   && timefmt_kyiv_offset_min(switches[i][1]) == 120,
		   "DST switches of year %zu", 2024 + i);
	}
}

/*
 * Every 7 minutes across 2024-2027: the three outputs read back.  Local
 * time keeps its EET/EEST suffix, so even the repeated autumn hour is
 * unambiguous.
 */
static void
test_round_trips(void)
{
	struct cimic_error err;
	char buf[64];
	long n = 0, bad_dtg = 0, bad_iso = 0, bad_local = 0;
	int64_t ms;

	for (int64_t t = INT64_C(1704067200000); t < INT64_C(1830297600000); t += 7 * MIN_MS + 1013) {
		int64_t minute = t - t % MIN_MS, second = t - t % 1000;
		n++;
		timefmt_dtg(t, buf, sizeof buf);
		bad_dtg += timefmt_parse(buf, 0, &ms, &err) != 0 || ms != minute;
		timefmt_iso_utc(t, buf, sizeof buf);
		bad_iso += timefmt_parse(buf, 0, &ms, &err) != 0 || ms != second;
		timefmt_local(t, buf, sizeof buf);
		bad_local += timefmt_parse(buf, 0, &ms, &err) != 0 || ms != minute;
	}
	ok(bad_dtg == 0, "%ld DTG round trips (%ld bad)", n, bad_dtg);
	ok(bad_iso == 0, "%ld ISO round trips (%ld bad)", n, bad_iso);
	ok(bad_local == 0, "%ld local-time round trips (%ld bad)", n, bad_local);
}

int
main(void)
{
	ok(timefmt_now_ms() > INT64_C(1704067200000), "now is after 2024");
	test_offsets();
	test_round_trips();
	test_parse("C locale");
	test_output("C locale");
	if (setlocale(LC_ALL, "uk_UA.UTF-8") != NULL) {
		test_parse("uk_UA locale");
		test_output("uk_UA locale");
		test_round_trips();
	} else {
		tap_diag("uk_UA.UTF-8 locale not installed; locale check ran under C only");
	}
	return done_testing();
}
