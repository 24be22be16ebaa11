/*
 * formats_num.c - numbers in files are written and read with '.'.
 *
 * Under uk_UA.UTF-8 the decimal point is ',' and printf("%f") would write
 * "48,46", which breaks CSV, JSON and GeoJSON.  Conversions switch the
 * calling thread to the "C" locale with uselocale() for their duration,
 * which leaves the process locale (and other threads) alone.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"

static locale_t
formats_c_locale(void)
{
	static locale_t c_locale;

	if (c_locale == (locale_t)0)
		c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return c_locale;
}

bool
formats_parse_double(const char *text, double *out)
{
	locale_t c = formats_c_locale(), old;
	char *end;
	double d;

	if (c == (locale_t)0 || text == NULL || *text == '\0')
		return false;
	/* plain decimal notation only: no blanks, hex, "inf" or "nan" */
	if (text[strspn(text, "+-0123456789.eE")] != '\0')
		return false;
	old = uselocale(c);
	d = strtod(text, &end);
	uselocale(old);
	if (*end != '\0' || end == text || !isfinite(d))
		return false;
	*out = d;
	return true;
}
