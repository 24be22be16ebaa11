/*
 * hxl.c - HXL 1.1 hashtag rows over CSV.
 *
 * HXL adds a row of hashtags ("#adm1+name") under the text header of a
 * CSV table.  Real files put that row anywhere in the first rows, leave
 * some columns untagged, mistype a few cells and pad with blanks, so the
 * reader looks for the first row where hashtags make up more than half
 * of the non-empty cells (as libhxl does) and keeps the columns whose
 * cell is a valid hashtag.  Mapping hashtags to cimic fields is the
 * importer's business (src/io/io_map.c); this file only reads the table.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "cimic/i18n.h"
#include "formats_private.h"

static const char *
hxl_skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Reads [a-z][a-z0-9_]* (case-folded) into out; returns the end or NULL. */
static const char *
hxl_name(const char *s, char out[HXL_MAX_NAME])
{
	size_t n = 0;

	if (!isalpha((unsigned char)*s))
		return NULL;
	while (isalnum((unsigned char)*s) || *s == '_') {
		if (n + 1 >= HXL_MAX_NAME)
			return NULL;
		out[n++] = (char)tolower((unsigned char)*s++);
	}
	out[n] = '\0';
	return s;
}

bool
hxl_tagspec_parse(const char *cell, struct hxl_tagspec *out)
{
	const char *s = hxl_skip_blanks(cell);

	memset(out, 0, sizeof *out);
	if (*s++ != '#')
		return false;
	s = hxl_name(s, out->tag);
	if (s == NULL)
		return false;
	for (;;) {
		s = hxl_skip_blanks(s);
		if (*s == '\0')
			return true;
		if (*s++ != '+' || out->nattrs >= HXL_MAX_ATTRS)
			return false;
		s = hxl_name(hxl_skip_blanks(s), out->attrs[out->nattrs]);
		if (s == NULL)
			return false;
		out->nattrs++;
	}
}

static bool
hxl_has_attr(const struct hxl_tagspec *spec, const char *attr)
{
	for (size_t i = 0; i < spec->nattrs; i++)
		if (strcmp(spec->attrs[i], attr) == 0)
			return true;
	return false;
}

bool
hxl_tagspec_match(const struct hxl_tagspec *pattern, const struct hxl_tagspec *col)
{
	if (strcmp(pattern->tag, col->tag) != 0)
		return false;
	for (size_t i = 0; i < pattern->nattrs; i++)
		if (!hxl_has_attr(col, pattern->attrs[i]))
			return false;
	return true;
}

void
hxl_tagspec_format(const struct hxl_tagspec *spec, char *buf, size_t bufsize)
{
	size_t used;

	snprintf(buf, bufsize, "#%s", spec->tag);
	for (size_t i = 0; i < spec->nattrs; i++) {
		used = strlen(buf);
		snprintf(buf + used, bufsize - used, "+%s", spec->attrs[i]);
	}
}

bool
hxl_tag_row(const struct csv_record *rec)
{
	struct hxl_tagspec spec;
	size_t nonempty = 0, tags = 0;

	for (size_t i = 0; i < rec->n; i++) {
		if (*hxl_skip_blanks(rec->fields[i]) == '\0')
			continue;
		nonempty++;
		if (hxl_tagspec_parse(rec->fields[i], &spec))
			tags++;
	}
	return tags > 0 && tags * 2 > nonempty;
}

void
hxl_doc_finish(struct hxl_doc *doc)
{
	if (doc == NULL)
		return;
	for (size_t i = 0; i < doc->nrows; i++)
		csv_record_finish(&doc->rows[i]);
	if (doc->headers)
		for (size_t i = 0; i < doc->ncols; i++)
			free(doc->headers[i]);
	free(doc->rows);
	free(doc->headers);
	free(doc->cols);
	free(doc->tagged);
	memset(doc, 0, sizeof *doc);
}

/* Takes the columns from the tag row and the text of the row above it. */
static int
hxl_columns_set(struct hxl_doc *doc, const struct csv_record *tags, const struct csv_record *above,
		struct cimic_error *err)
{
	doc->ncols = tags->n;
	doc->tag_line = tags->line;
	doc->cols = calloc(tags->n, sizeof *doc->cols);
	doc->tagged = calloc(tags->n, sizeof *doc->tagged);
	doc->headers = calloc(tags->n, sizeof *doc->headers);
	if (!doc->cols || !doc->tagged || !doc->headers)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	for (size_t i = 0; i < tags->n; i++) {
		doc->tagged[i] = hxl_tagspec_parse(tags->fields[i], &doc->cols[i]);
		if (above && i < above->n && above->fields[i][0] != '\0') {
			doc->headers[i] = util_strdup(above->fields[i]);
			if (doc->headers[i] == NULL)
				return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
	}
	return 0;
}

static int
hxl_add_row(struct hxl_doc *doc, struct csv_record *rec, size_t *cap, struct cimic_error *err)
{
	struct csv_record *grown;

	if (doc->nrows == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		grown = realloc(doc->rows, *cap * sizeof *grown);
		if (grown == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		doc->rows = grown;
	}
	doc->rows[doc->nrows++] = *rec;
	memset(rec, 0, sizeof *rec);
	return 0;
}

static int
hxl_check_utf8(const char *data, size_t len, struct cimic_error *err)
{
	size_t line = 1, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && data[i] != '\n')
			continue;
		if (!util_utf8_valid(data + start, i - start))
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: text is not UTF-8 (save the file as UTF-8)"),
					       line);
		line++;
		start = i + 1;
	}
	return 0;
}

int
hxl_read_columns(struct csv_reader *r, struct hxl_doc *doc, struct cimic_error *err)
{
	struct csv_record rec, above = {0};
	int got, rc = -1;

	memset(doc, 0, sizeof *doc);
	for (int row = 0; row < HXL_TAG_ROW_SEARCH; row++) {
		got = csv_read(r, &rec, err);
		if (got < 0)
			goto out;
		if (got == 0)
			break;
		if (!csv_record_utf8(&rec)) {
			cimic_error_set(err, CIMIC_EDATA,
					_("line %zu: text is not UTF-8 (save the file as UTF-8)"), rec.line);
			csv_record_finish(&rec);
			goto out;
		}
		if (hxl_tag_row(&rec)) {
			rc = hxl_columns_set(doc, &rec, above.n ? &above : NULL, err);
			csv_record_finish(&rec);
			goto out;
		}
		csv_record_finish(&above);
		above = rec;
	}
	cimic_error_set(err, CIMIC_EDATA, _("line %zu: no HXL hashtag row in the first %d rows"),
			r->line > 1 ? r->line - 1 : 1, HXL_TAG_ROW_SEARCH);
out:
	csv_record_finish(&above);
	return rc;
}

int
hxl_read(const char *data, size_t len, struct hxl_doc *doc, struct cimic_error *err)
{
	struct csv_reader r;
	struct csv_record rec;
	size_t cap = 0;
	int got;

	memset(doc, 0, sizeof *doc);
	if (hxl_check_utf8(data, len, err) < 0)
		return -1;
	csv_reader_init(&r, data, len);
	if (hxl_read_columns(&r, doc, err) < 0)
		goto fail;
	while ((got = csv_read(&r, &rec, err)) > 0) {
		if (csv_record_blank(&rec)) {
			csv_record_finish(&rec);
			continue;
		}
		if (hxl_add_row(doc, &rec, &cap, err) < 0) {
			csv_record_finish(&rec);
			goto fail;
		}
	}
	if (got < 0)
		goto fail;
	return 0;
fail:
	hxl_doc_finish(doc);
	return -1;
}
