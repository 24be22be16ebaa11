/*
 * fuzz-csv.c - libFuzzer target for the CSV reader and the HXL layer on
 * top of it: any input must parse or fail with CIMIC_EDATA and a
 * "line N: " message, without crashing or leaking.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "formats_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct csv_record rec;
	struct cimic_error err;
	struct hxl_doc doc;
	int got;

	csv_reader_init(&r, (const char *)data, size);
	while ((got = csv_read(&r, &rec, &err)) > 0)
		csv_record_finish(&rec);
	if (got < 0 && (err.code != CIMIC_EDATA || strncmp(err.msg, "line ", 5) != 0))
		abort();
	if (hxl_read((const char *)data, size, &doc, &err) == 0)
		hxl_doc_finish(&doc);
	else if (err.code != CIMIC_EDATA || strncmp(err.msg, "line ", 5) != 0)
		abort();
	return 0;
}
