/*
 * fuzz-csv.c - libFuzzer target for the CSV reader, the HXL layer on
 * top of it, the table reader of the import (hashtags or English and
 * Ukrainian headers mapped to fields) and the lenient values of files
 * (dates, counts, coordinates, code words): any input must parse or fail
 * with CIMIC_EDATA and a "line N: " message, without crashing or
 * leaking, and the reader streaming the input from a file must give the
 * records the buffer reader gives.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "formats_private.h"
#include "io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Digest of the records a reader gives (or of where it failed). */
static uint64_t
records_digest(struct csv_reader *r, int *last)
{
	struct csv_record rec;
	struct cimic_error err;
	uint64_t h = 1469598103934665603ull;

	while ((*last = csv_read(r, &rec, &err)) > 0) {
		for (size_t i = 0; i < rec.n; i++) {
			for (const unsigned char *p = (const unsigned char *)rec.fields[i]; *p; p++)
				h = (h ^ *p) * 1099511628211ull;
			h = (h ^ 0x1f) * 1099511628211ull;
		}
		h = (h ^ rec.line) * 1099511628211ull;
		csv_record_finish(&rec);
	}
	if (*last < 0 && (err.code != CIMIC_EDATA || strncmp(err.msg, "line ", 5) != 0))
		abort();
	return h;
}

static void
values_of(const char *cell)
{
	struct cimic_error err;
	int64_t ms;
	char *s;

	if (io_time_parse(cell, &ms, &err) != 0 && err.code != CIMIC_EDATA)
		abort();
	free(io_count_text(cell));
	free(io_coord_text(cell));
	free(io_degree_text(cell));
	(void)io_code_find(&codes_incident_type, cell);
	s = io_words(cell);
	free(s);
}

/* The import's table reader: header, column map, every row into slots. */
static void
table_of(const uint8_t *data, size_t size, enum formats_kind format)
{
	struct formats_import_opts o = { .format = format, .keep_unmapped = true };
	struct io_table *t = io_table_create(&o);
	struct io_rowsource src;
	struct io_row row;
	struct cimic_error err;
	int got;

	if (t == NULL)
		return;
	if (io_table_open_data(t, (const char *)data, size, &err) == 0) {
		io_table_source(t, &src);
		while ((got = src.next(src.self, &row, &err)) > 0) {
			for (int s = 0; s < SLOT_COUNT; s++)
				if (row.slot[s])
					values_of(row.slot[s]);
			io_row_clear(&row);
		}
		if (got < 0 && (err.code != CIMIC_EDATA || strncmp(err.msg, "line ", 5) != 0))
			abort();
	} else if (err.code != CIMIC_EDATA || strncmp(err.msg, "line ", 5) != 0) {
		abort();
	}
	io_table_destroy(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct cimic_error err;
	struct hxl_doc doc;
	uint64_t mem, streamed;
	int mem_rc, stream_rc;
	FILE *f;

	csv_reader_init(&r, (const char *)data, size);
	mem = records_digest(&r, &mem_rc);
	f = size ? fmemopen((void *)data, size, "rb") : NULL;
	if (f != NULL && csv_reader_open(&r, f, &err) == 0) {
		streamed = records_digest(&r, &stream_rc);
		if (streamed != mem || stream_rc != mem_rc)
			abort();   /* the stream must read what the buffer reads */
		csv_reader_finish(&r);
	}
	if (f != NULL)
		fclose(f);
	if (hxl_read((const char *)data, size, &doc, &err) == 0)
		hxl_doc_finish(&doc);
	else if (err.code != CIMIC_EDATA || strncmp(err.msg, "line ", 5) != 0)
		abort();
	table_of(data, size, FORMAT_CSV);
	table_of(data, size, FORMAT_HXL);
	return 0;
}
