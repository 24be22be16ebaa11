/*
 * fuzz-geo.c - libFuzzer target for the position and time parsers.
 *
 * Both parsers take what an officer types, so every byte string must
 * yield either a value or a CIMIC_EDATA-style error, never a crash, a
 * read past the end or an unterminated message.  Whatever parses is fed
 * back through the writers, and a written MGRS must parse again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/geo.h"
#include "geo_private.h"
#include "cimic/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_geo(const char *text)
{
	struct cimic_error err;
	struct geo_point p, back;
	char buf[64];

	if (geo_parse(text, &p, &err) != 0) {
		if (memchr(err.msg, '\0', sizeof err.msg) == NULL)
			abort();
		return;
	}
	if (!geo_valid(p))
		abort();
	geo_format_latlon(p, buf, sizeof buf);
	for (int digits = 1; digits <= 5; digits++) {
		if (geo_to_mgrs(p, digits, digits % 2, buf, sizeof buf, &err) != 0)
			return;   /* polar points are refused: fine */
		if (geo_from_mgrs(buf, &back, &err) != 0)
			abort();  /* what we write we must read */
	}
}

static void
fuzz_time(const char *text)
{
	struct cimic_error err;
	int64_t ms;
	char buf[64];

	if (timefmt_parse(text, 0, &ms, &err) != 0)
		return;
	timefmt_dtg(ms, buf, sizeof buf);
	timefmt_iso_utc(ms, buf, sizeof buf);
	timefmt_local(ms, buf, sizeof buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_geo(text);
	fuzz_time(text);
	free(text);
	return 0;
}
