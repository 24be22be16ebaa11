/*
 * fuzz-geonames.c - libFuzzer target for the GeoNames dump parser and
 * the name keys: rows must have coordinates in range and a non-empty
 * name; folding and keying any name must not crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/gazetteer.h"
#include "gazetteer_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_row(const struct gazetteer_row *row, void *arg)
{
	char *key = gazetteer_key(row->name);

	(void)arg;
	if (row->lat < -90 || row->lat > 90 || row->lon < -180 || row->lon > 180 || !row->name[0])
		abort();
	free(key);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum gazetteer_layout layout;
	struct cimic_error err;
	char *text = malloc(size + 1), *key;

	if (gazetteer_parse((const char *)data, size, fuzz_row, NULL, &layout, &err) != 0 &&
	    (err.code != CIMIC_EDATA || strncmp(err.msg, "line ", 5) != 0))
		abort();
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	key = gazetteer_key(text);
	free(key);
	free(text);
	return 0;
}
