/*
 * io_formats.c - the entry points of import and export: pick the reader or
 * writer for a format and run an import (io_import.c: two passes, one
 * op-log transaction).
 *
 * A file that does not parse, or has a row the model refuses, touches
 * nothing (unless skip_bad leaves such rows out): a file imports
 * completely or not at all.  CSV and HXL files stream; the others are
 * read whole, within FORMATS_MAX_INPUT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cimic/gazetteer.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "io.h"

enum formats_kind
formats_kind_parse(const char *name)
{
	static const struct { const char *name; enum formats_kind kind; } names[] = {
		{ "csv", FORMAT_CSV }, { "hxl", FORMAT_HXL }, { "geojson", FORMAT_GEOJSON },
		{ "vcard", FORMAT_VCARD }, { "vcf", FORMAT_VCARD }, { "json", FORMAT_JSON },
		{ "geonames", FORMAT_GEONAMES },
	};

	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].kind;
	return 0;
}

int
formats_export(struct store *st, const struct formats_export_opts *o, struct buf *out,
	       struct cimic_error *err)
{
	cimic_error_clear(err);
	switch (o->format) {
	case FORMAT_CSV:
	case FORMAT_HXL:
		return io_export_table(st, o, out, err);
	case FORMAT_JSON:
		return io_export_json(st, o, out, err);
	case FORMAT_GEOJSON:
		return io_export_geojson(st, o, out, err);
	case FORMAT_VCARD:
		return io_export_vcard(st, o, out, err);
	case FORMAT_GEONAMES:
		break;
	}
	return cimic_error_set(err, CIMIC_EUSAGE, _("cannot export in that format"));
}

/* Copies the names of what was not imported into the report (cut with "..." when long). */
static void
formats_report_ignored(struct formats_import_report *rep, const char *const *lists, size_t n)
{
	size_t used = 0;

	rep->ignored[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (lists[i] == NULL || lists[i][0] == '\0')
			continue;
		snprintf(rep->ignored + used, sizeof rep->ignored - used, "%s%s", used ? ", " : "",
			 lists[i]);
		used = strlen(rep->ignored);
	}
	if (used == sizeof rep->ignored - 1)
		memcpy(rep->ignored + used - 3, "...", 3);
}

/* CSV and HXL: a table streamed through twice, from memory or from a file. */
static int
formats_import_table(struct store *st, const struct formats_import_opts *o, const char *data,
		     size_t len, FILE *f, uint64_t size, struct formats_import_report *rep,
		     struct cimic_error *err)
{
	struct io_table *t = io_table_create(o);
	struct io_rowsource src, *srcs[1] = { &src };
	const char *ignored;
	int rc;

	if (t == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = f ? io_table_open_file(t, f, size, err) : io_table_open_data(t, data, len, err);
	if (rc == 0) {
		io_table_source(t, &src);
		rep->what = src.kind;
		rep->kept_unmapped = o->keep_unmapped && io_table_ignored(t)[0] != '\0';
		ignored = io_table_ignored(t);
		formats_report_ignored(rep, &ignored, 1);
		rc = io_import(st, o, o->source, srcs, 1, NULL, rep, err);
	}
	io_table_destroy(t);
	return rc;
}

/* vCard and JSON: read whole into rows, then the same two passes. */
static int
formats_import_rows(struct store *st, const struct formats_import_opts *o, const char *data,
		    size_t len, struct formats_import_report *rep, struct cimic_error *err)
{
	struct io_rows contacts, incidents, links;
	struct io_memsource mc, mi;
	struct io_rowsource sc, si, *srcs[2] = { &sc, &si };
	const char *ignored[2];
	int rc;

	io_rows_init(&contacts, MODEL_CONTACT);
	io_rows_init(&incidents, MODEL_INCIDENT);
	io_rows_init(&links, MODEL_LINK);
	if (o->format == FORMAT_VCARD)
		rc = io_read_vcard(data, len, &contacts, err);
	else
		rc = io_read_json(data, len, &contacts, &incidents, &links, err);
	if (rc == 0) {
		io_memsource_init(&mc, &contacts, &sc);
		io_memsource_init(&mi, &incidents, &si);
		rep->what = contacts.n ? MODEL_CONTACT : incidents.n ? MODEL_INCIDENT : MODEL_CONTACT;
		ignored[0] = contacts.ignored.len ? buf_cstr(&contacts.ignored) : NULL;
		ignored[1] = incidents.ignored.len ? buf_cstr(&incidents.ignored) : NULL;
		formats_report_ignored(rep, ignored, 2);
		rc = io_import(st, o, o->source, srcs, 2, &links, rep, err);
	}
	io_rows_finish(&contacts);
	io_rows_finish(&incidents);
	io_rows_finish(&links);
	return rc;
}

int
formats_import(struct store *st, const struct formats_import_opts *o, const char *data,
	       size_t len, struct formats_import_report *rep, struct cimic_error *err)
{
	memset(rep, 0, sizeof *rep);
	cimic_error_clear(err);
	if (o->format == FORMAT_GEONAMES) {
		struct gazetteer_import_stats gs;
		int rc = gazetteer_import(st, data, len, &gs, err);
		rep->created = gs.rows;
		return rc;
	}
	if (len > FORMATS_MAX_INPUT)
		return cimic_error_set(err, CIMIC_EDATA, _("line 1: file larger than %u MiB"),
				       FORMATS_MAX_INPUT >> 20);
	switch (o->format) {
	case FORMAT_CSV:
	case FORMAT_HXL:
		return formats_import_table(st, o, data, len, NULL, 0, rep, err);
	case FORMAT_VCARD:
	case FORMAT_JSON:
		return formats_import_rows(st, o, data, len, rep, err);
	default:
		return cimic_error_set(err, CIMIC_EUSAGE, _("cannot import that format"));
	}
}

/* Reads a whole (non-table or unseekable) file, refusing more than FORMATS_MAX_INPUT. */
static int
formats_slurp(FILE *f, char **data, size_t *len, struct cimic_error *err)
{
	size_t cap = 1 << 16, n = 0;
	char *p = malloc(cap), *grown;

	if (p == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	for (;;) {
		n += fread(p + n, 1, cap - n, f);
		if (n < cap || cap > FORMATS_MAX_INPUT)
			break;
		if ((grown = realloc(p, cap * 2)) == NULL) {
			free(p);
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
		p = grown;
		cap *= 2;
	}
	if (ferror(f) || n > FORMATS_MAX_INPUT) {
		free(p);
		return ferror(f) ? cimic_error_set(err, CIMIC_EIO, _("read error"))
				 : cimic_error_set(err, CIMIC_EDATA, _("line 1: file larger than %u MiB"),
						   FORMATS_MAX_INPUT >> 20);
	}
	*data = p;
	*len = n;
	return 0;
}

int
formats_import_file(struct store *st, const struct formats_import_opts *o, const char *path,
		    struct formats_import_report *rep, struct cimic_error *err)
{
	struct formats_import_opts with_source = *o;
	const char *base = strrchr(path, '/');
	struct stat sb;
	FILE *f;
	char *data = NULL;
	size_t len = 0;
	int rc;

	memset(rep, 0, sizeof *rep);
	cimic_error_clear(err);
	if (with_source.source == NULL)
		with_source.source = base ? base + 1 : path;
	if ((f = fopen(path, "rb")) == NULL)
		return cimic_error_set(err, errno == ENOENT ? CIMIC_ENOINPUT : CIMIC_EIO, "%s",
				       strerror(errno));
	if ((o->format == FORMAT_CSV || o->format == FORMAT_HXL) && fstat(fileno(f), &sb) == 0 &&
	    S_ISREG(sb.st_mode)) {
		rc = formats_import_table(st, &with_source, NULL, 0, f, (uint64_t)sb.st_size, rep, err);
	} else if ((rc = formats_slurp(f, &data, &len, err)) == 0) {
		rc = formats_import(st, &with_source, data, len, rep, err);
	}
	fclose(f);
	free(data);
	return rc;
}
