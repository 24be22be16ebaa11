/*
 * timefmt.c - ISO 8601, military DTG and Kyiv local time.
 *
 * Every time is Unix milliseconds UTC.  Calendar arithmetic uses the
 * proleptic Gregorian day count of Howard Hinnant's "chrono-compatible
 * low-level date algorithms", so nothing here touches the C library's
 * time zone machinery: no TZ variable, no tzdata, no locale.  That keeps
 * results identical on every laptop, whatever it was configured for.
 *
 * Europe/Kyiv is EET (UTC+2) with EEST (UTC+3) from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC, the EU rule
 * Ukraine has followed since 1996; it is applied to every year.
 *
 * Month letters and zone abbreviations are protocol, not prose: they
 * stay English under every locale.  No mutable global state.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "timefmt_private.h"

#define TIMEFMT_MS_PER_MIN INT64_C(60000)
#define TIMEFMT_MS_PER_DAY INT64_C(86400000)

static const char timefmt_months[12][4] = {
	"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
};

/* A broken-down time as read; offset_min is meaningful when has_zone. */
struct timefmt_fields {
	int year, month, day;
	int hour, minute, second, milli;
	bool has_zone;
	int offset_min;
};

/* Floor division and modulo: C's / and % truncate toward zero. */
static int64_t
timefmt_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t
timefmt_floor_mod(int64_t a, int64_t b)
{
	return a - timefmt_floor_div(a, b) * b;
}

/* Days since 1970-01-01 of a Gregorian date (Hinnant's days_from_civil). */
static int64_t
timefmt_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = timefmt_floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* The inverse: a day count back to year, month, day. */
static void
timefmt_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = timefmt_floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool
timefmt_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
timefmt_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && timefmt_is_leap(y) ? 29 : days[m - 1];
}

/* Unix ms of 01:00 UTC on the last Sunday of a month: the EU switch instant. */
static int64_t
timefmt_last_sunday_0100(int64_t year, int month)
{
	int64_t day = timefmt_days_from_civil(year, month, 31);
	/* 1970-01-01 was a Thursday: weekday 4 counting Sunday as 0. */
	day -= timefmt_floor_mod(day + 4, 7);
	return day * TIMEFMT_MS_PER_DAY + 60 * TIMEFMT_MS_PER_MIN;
}

int
timefmt_kyiv_offset_min(int64_t ms)
{
	int64_t y;
	int m, d;

	timefmt_civil_from_days(timefmt_floor_div(ms, TIMEFMT_MS_PER_DAY), &y, &m, &d);
	if (ms >= timefmt_last_sunday_0100(y, 3) && ms < timefmt_last_sunday_0100(y, 10))
		return 180;
	return 120;
}

/*
 * Kyiv wall-clock time (expressed as if it were UTC) to a real instant.
 * In the autumn hour that happens twice the earlier (summer) reading
 * wins; in the spring hour that never happens the winter offset is used,
 * so 03:30 on that Sunday becomes 04:30 EEST, as mktime does.
 */
static int64_t
timefmt_from_kyiv_wall(int64_t wall_ms)
{
	int64_t summer = wall_ms - 180 * TIMEFMT_MS_PER_MIN;

	if (timefmt_kyiv_offset_min(summer) == 180)
		return summer;
	return wall_ms - 120 * TIMEFMT_MS_PER_MIN;
}

static int64_t
timefmt_fields_to_ms(const struct timefmt_fields *f)
{
	int64_t days = timefmt_days_from_civil(f->year, f->month, f->day);
	int64_t ms = days * TIMEFMT_MS_PER_DAY
		+ ((int64_t)f->hour * 60 + f->minute) * TIMEFMT_MS_PER_MIN
		+ (int64_t)f->second * 1000 + f->milli;

	if (!f->has_zone)
		return timefmt_from_kyiv_wall(ms);
	return ms - (int64_t)f->offset_min * TIMEFMT_MS_PER_MIN;
}

static bool
timefmt_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads exactly n digits at *s into *v and advances; false otherwise. */
static bool
timefmt_digits(const char **s, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (!timefmt_is_digit((*s)[i]))
			return false;
		x = x * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*v = x;
	return true;
}

static char
timefmt_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Range checks shared by both syntaxes; the message names the bad part. */
static int
timefmt_check(const struct timefmt_fields *f, const char *text, struct cimic_error *err)
{
	if (f->month < 1 || f->month > 12)
		return cimic_error_set(err, CIMIC_EDATA, _("month out of range: %s"), text);
	if (f->day < 1 || f->day > timefmt_days_in_month(f->year, f->month))
		return cimic_error_set(err, CIMIC_EDATA, _("day out of range: %s"), text);
	if (f->hour > 23)
		return cimic_error_set(err, CIMIC_EDATA, _("hour out of range: %s"), text);
	if (f->minute > 59)
		return cimic_error_set(err, CIMIC_EDATA, _("minute out of range: %s"), text);
	if (f->second > 59)
		return cimic_error_set(err, CIMIC_EDATA, _("second out of range: %s"), text);
	if (f->has_zone && (f->offset_min < -18 * 60 || f->offset_min > 18 * 60))
		return cimic_error_set(err, CIMIC_EDATA, _("time zone offset out of range: %s"), text);
	return 0;
}

/* ":SS" and ".fff" after HH:MM; extra fraction digits are truncated. */
static bool
timefmt_iso_seconds(const char **s, struct timefmt_fields *f)
{
	if (**s != ':')
		return true;
	(*s)++;
	if (!timefmt_digits(s, 2, &f->second))
		return false;
	if (**s != '.' && **s != ',')
		return true;
	(*s)++;
	if (!timefmt_is_digit(**s))
		return false;
	for (int scale = 100; timefmt_is_digit(**s); (*s)++, scale /= 10)
		f->milli += (**s - '0') * scale;
	return true;
}

/*
 * " EET" and " EEST", so what timefmt_local writes reads back to the
 * same instant, including in the autumn hour that happens twice.
 */
static bool
timefmt_kyiv_suffix(const char **s, struct timefmt_fields *f)
{
	const char *p = *s;

	while (*p == ' ')
		p++;
	if (p == *s)
		return false;
	for (int summer = 0; summer < 2; summer++) {
		const char *name = summer ? "EEST" : "EET";
		size_t n = strlen(name), i = 0;
		while (i < n && timefmt_upper(p[i]) == name[i])
			i++;
		if (i == n && p[n] == '\0') {
			f->has_zone = true;
			f->offset_min = summer ? 180 : 120;
			*s = p + n;
			return true;
		}
	}
	return false;
}

/* "Z", "+02:00", "+0200", "+02", " EET", " EEST" or nothing (Kyiv local time). */
static bool
timefmt_iso_zone(const char **s, struct timefmt_fields *f)
{
	int hh, mm = 0, sign;

	if (**s == '\0' || timefmt_kyiv_suffix(s, f))
		return true;
	f->has_zone = true;
	if (timefmt_upper(**s) == 'Z') {
		(*s)++;
		return true;
	}
	if (**s != '+' && **s != '-')
		return false;
	sign = *(*s)++ == '-' ? -1 : 1;
	if (!timefmt_digits(s, 2, &hh))
		return false;
	if (**s == ':') {
		(*s)++;
		if (!timefmt_digits(s, 2, &mm))
			return false;
	} else if (timefmt_is_digit(**s) && !timefmt_digits(s, 2, &mm)) {
		return false;
	}
	if (mm > 59)
		mm = 99 * 60;   /* pushed out of range so the check refuses it */
	f->offset_min = sign * (hh * 60 + mm);
	return true;
}

/* YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][zone]. Returns 1, 0 (not ISO) or -1. */
static int
timefmt_parse_iso(const char *s, const char *text, struct timefmt_fields *f,
		  struct cimic_error *err)
{
	if (!timefmt_digits(&s, 4, &f->year) || *s++ != '-' || !timefmt_digits(&s, 2, &f->month)
	    || *s++ != '-' || !timefmt_digits(&s, 2, &f->day))
		return 0;
	if (timefmt_upper(*s) == 'T' || *s == ' ') {
		s++;
		if (!timefmt_digits(&s, 2, &f->hour) || *s++ != ':'
		    || !timefmt_digits(&s, 2, &f->minute) || !timefmt_iso_seconds(&s, f))
			return 0;
	}
	if (!timefmt_iso_zone(&s, f) || *s != '\0')
		return 0;
	return timefmt_check(f, text, err) < 0 ? -1 : 1;
}

/*
 * NATO zone letters: A-M east of Greenwich (+1..+12, J skipped because
 * it means "local time", which a DTG exchanged between units must not
 * use), N-Y west (-1..-12), Z for UTC.
 */
static bool
timefmt_nato_offset(char letter, int *offset_min)
{
	if (letter == 'Z')
		*offset_min = 0;
	else if (letter >= 'A' && letter <= 'I')
		*offset_min = (letter - 'A' + 1) * 60;
	else if (letter >= 'K' && letter <= 'M')
		*offset_min = (letter - 'K' + 10) * 60;
	else if (letter >= 'N' && letter <= 'Y')
		*offset_min = -(letter - 'N' + 1) * 60;
	else
		return false;
	return true;
}

/* Copies text without blanks, upper-cased: "241330Z NOV 26" reads too. */
static bool
timefmt_squeeze(const char *text, char *out, size_t outsize)
{
	size_t n = 0;

	for (; *text != '\0'; text++) {
		if (*text == ' ' || *text == '\t')
			continue;
		if (n + 1 >= outsize)
			return false;
		out[n++] = timefmt_upper(*text);
	}
	out[n] = '\0';
	return true;
}

static int
timefmt_month_of(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (strncmp(s, timefmt_months[i], 3) == 0)
			return i + 1;
	return 0;
}

/* DDHHMM<zone>MON(YY|YYYY). Returns 1, 0 (not a DTG) or -1. */
static int
timefmt_parse_dtg(const char *text, struct timefmt_fields *f, struct cimic_error *err)
{
	char buf[32];
	const char *s = buf;
	size_t len;

	if (!timefmt_squeeze(text, buf, sizeof buf) || !timefmt_digits(&s, 2, &f->day)
	    || !timefmt_digits(&s, 2, &f->hour) || !timefmt_digits(&s, 2, &f->minute)
	    || *s < 'A' || *s > 'Z')
		return 0;
	len = strlen(s);
	if (len != 6 && len != 8)
		return 0;
	if (!timefmt_nato_offset(*s, &f->offset_min))
		return cimic_error_set(err, CIMIC_EDATA,
				       _("DTG zone letter J (local time) is not accepted: %s"), text);
	f->has_zone = true;
	f->month = timefmt_month_of(s + 1);
	if (f->month == 0)
		return cimic_error_set(err, CIMIC_EDATA, _("unknown month in DTG: %s"), text);
	s += 4;
	if (!timefmt_digits(&s, (int)len - 4, &f->year))
		return 0;
	/* A two-digit DTG year is this century: the records start in 2022. */
	if (len == 6)
		f->year += 2000;
	return timefmt_check(f, text, err) < 0 ? -1 : 1;
}

/* Reads 1 or 2 digits. */
static bool
timefmt_digits12(const char **s, int *v)
{
	if (!timefmt_is_digit(**s))
		return false;
	*v = *(*s)++ - '0';
	if (timefmt_is_digit(**s))
		*v = *v * 10 + (*(*s)++ - '0');
	return true;
}

/* Kyiv calendar date `days_back` days before now_ms, into f. */
static void
timefmt_kyiv_date(int64_t now_ms, int days_back, struct timefmt_fields *f)
{
	int64_t wall = now_ms + (int64_t)timefmt_kyiv_offset_min(now_ms) * TIMEFMT_MS_PER_MIN;
	int64_t y;

	timefmt_civil_from_days(timefmt_floor_div(wall, TIMEFMT_MS_PER_DAY) - days_back, &y, &f->month,
				&f->day);
	f->year = (int)y;
}

/* A leading word ("вчора ", "сьогодні ", "yesterday ", "today "): days back, or -1. */
static int
timefmt_day_word(const char **s)
{
	static const struct { const char *w; int back; } words[] = {
		{ "вчора", 1 }, { "Вчора", 1 }, { "ВЧОРА", 1 }, { "учора", 1 }, { "Учора", 1 },
		{ "сьогодні", 0 }, { "Сьогодні", 0 }, { "СЬОГОДНІ", 0 },
		{ "yesterday", 1 }, { "Yesterday", 1 }, { "today", 0 }, { "Today", 0 },
	};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i].w);
		if (strncmp(*s, words[i].w, n) == 0 && ((*s)[n] == ' ' || (*s)[n] == '\0')) {
			*s += n;
			while (**s == ' ')
				(*s)++;
			return words[i].back;
		}
	}
	return -1;
}

/*
 * As Ukrainians type a time, Kyiv wall clock: "01.12.2026 22:10",
 * "01.12.26 22:10", "01.12 22:10" (this year), "01.12.2026" (midnight),
 * "22:10" (today), "вчора 18:00", "сьогодні 9:05".  1, 0 (not this
 * form) or -1.
 */
static int
timefmt_parse_ua(const char *text, int64_t now_ms, struct timefmt_fields *f, struct cimic_error *err)
{
	const char *s = text;
	int back = timefmt_day_word(&s), a = 0, b = 0, y = 0;

	timefmt_kyiv_date(now_ms, back > 0 ? back : 0, f);
	if (back < 0) {
		const char *p = s;
		if (timefmt_digits12(&p, &a) && *p == '.') {
			p++;
			if (!timefmt_digits12(&p, &b))
				return 0;
			f->day = a;
			f->month = b;
			if (*p == '.') {
				const char *q = ++p;
				while (timefmt_is_digit(*p))
					p++;
				long nd = p - q;
				if (nd != 2 && nd != 4)
					return 0;
				for (y = 0; q < p; q++)
					y = y * 10 + (*q - '0');
				f->year = nd == 2 ? 2000 + y : y;
			}
			while (*p == ' ' || *p == ',')
				p++;
			s = p;
			if (*s == '\0')
				return timefmt_check(f, text, err) < 0 ? -1 : 1;
		}
	}
	if (!timefmt_digits12(&s, &f->hour) || *s++ != ':' || !timefmt_digits(&s, 2, &f->minute))
		return 0;
	if (*s == ':' && !timefmt_iso_seconds(&s, f))
		return 0;
	if (*s != '\0')
		return 0;
	return timefmt_check(f, text, err) < 0 ? -1 : 1;
}

static bool
timefmt_is_now(const char *s)
{
	return (strlen(s) == 3 && timefmt_upper(s[0]) == 'N' && timefmt_upper(s[1]) == 'O'
		&& timefmt_upper(s[2]) == 'W') || strcmp(s, "зараз") == 0 || strcmp(s, "Зараз") == 0
		|| strcmp(s, "ЗАРАЗ") == 0;
}

int
timefmt_parse(const char *text, int64_t now_ms, int64_t *out_ms, struct cimic_error *err)
{
	struct timefmt_fields f;
	char trimmed[64];
	size_t start = 0, end;
	int rc;

	if (text == NULL)
		return cimic_error_set(err, CIMIC_EDATA, _("no time given"));
	end = strlen(text);
	while (text[start] == ' ' || text[start] == '\t')
		start++;
	while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	if (end == start)
		return cimic_error_set(err, CIMIC_EDATA, _("no time given"));
	if (end - start >= sizeof trimmed)
		return cimic_error_set(err, CIMIC_EDATA, _("date or time too long: %.40s..."), text);
	memcpy(trimmed, text + start, end - start);
	trimmed[end - start] = '\0';
	if (timefmt_is_now(trimmed)) {
		*out_ms = now_ms;
		return 0;
	}
	memset(&f, 0, sizeof f);
	rc = timefmt_parse_iso(trimmed, trimmed, &f, err);
	if (rc == 0) {
		memset(&f, 0, sizeof f);
		rc = timefmt_parse_dtg(trimmed, &f, err);
	}
	if (rc == 0) {
		memset(&f, 0, sizeof f);
		rc = timefmt_parse_ua(trimmed, now_ms, &f, err);
	}
	if (rc < 0)
		return -1;
	if (rc == 0)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("not a date or time (use 01.12.2026 22:10, 22:10, вчора 18:00, "
					 "2026-11-24T13:30, 241330ZNOV26 or now): %s"),
				       trimmed);
	*out_ms = timefmt_fields_to_ms(&f);
	return 0;
}

/* Splits Unix ms (shifted by an offset) into calendar fields. */
static void
timefmt_split(int64_t ms, struct timefmt_fields *f)
{
	int64_t days = timefmt_floor_div(ms, TIMEFMT_MS_PER_DAY);
	int64_t in_day = ms - days * TIMEFMT_MS_PER_DAY;
	int64_t year;

	timefmt_civil_from_days(days, &year, &f->month, &f->day);
	f->year = (int)year;
	f->hour = (int)(in_day / (60 * TIMEFMT_MS_PER_MIN));
	f->minute = (int)(in_day / TIMEFMT_MS_PER_MIN % 60);
	f->second = (int)(in_day / 1000 % 60);
	f->milli = (int)(in_day % 1000);
}

void
timefmt_dtg(int64_t ms, char *buf, size_t bufsize)
{
	struct timefmt_fields f;

	timefmt_split(ms, &f);
	snprintf(buf, bufsize, "%02d%02d%02dZ%s%02d", f.day, f.hour, f.minute,
		 timefmt_months[f.month - 1], (int)timefmt_floor_mod(f.year, 100));
}

void
timefmt_iso_utc(int64_t ms, char *buf, size_t bufsize)
{
	struct timefmt_fields f;

	timefmt_split(ms, &f);
	snprintf(buf, bufsize, "%04d-%02d-%02dT%02d:%02d:%02dZ", f.year, f.month, f.day, f.hour,
		 f.minute, f.second);
}

void
timefmt_local(int64_t ms, char *buf, size_t bufsize)
{
	struct timefmt_fields f;
	int offset = timefmt_kyiv_offset_min(ms);

	timefmt_split(ms + offset * TIMEFMT_MS_PER_MIN, &f);
	snprintf(buf, bufsize, "%04d-%02d-%02d %02d:%02d %s", f.year, f.month, f.day, f.hour,
		 f.minute, offset == 180 ? "EEST" : "EET");
}

int64_t
timefmt_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
