/*
 * csv.c - RFC 4180 reader and writer.
 *
 * The reader works on a caller-owned buffer, or streams a file through
 * one fixed chunk (csv_reader_open), and copies each field out, so a
 * record outlives the next read and memory does not grow with the file.
 * It is lenient where spreadsheets are sloppy in harmless ways (LF or
 * lone CR line ends, a BOM, a quote inside an unquoted field) and strict
 * where guessing would corrupt data (text after a closing quote, an
 * unterminated quote, NUL bytes).  Every size is bounded by the
 * FORMATS_MAX_* limits.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "cimic/i18n.h"

#define CSV_CHUNK (64u << 10)

static void
csv_skip_bom(struct csv_reader *r)
{
	if (r->end - r->p >= 3 && memcmp(r->p, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
}

void
csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof *r);
	r->p = r->chunk_start = data;
	r->end = data + len;
	r->line = 1;
	r->delim = ',';
	csv_skip_bom(r);
}

int
csv_reader_open(struct csv_reader *r, FILE *f, struct cimic_error *err)
{
	memset(r, 0, sizeof *r);
	r->chunk = malloc(CSV_CHUNK);
	if (r->chunk == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	r->file = f;
	r->p = r->end = r->chunk_start = r->chunk;
	r->line = 1;
	r->delim = ',';
	return 0;
}

int
csv_reader_rewind(struct csv_reader *r, struct cimic_error *err)
{
	if (r->file == NULL) {
		const char *data = r->chunk_start;
		size_t len = (size_t)(r->end - r->chunk_start);
		csv_reader_init(r, data, len);
		return 0;
	}
	if (fseek(r->file, 0, SEEK_SET) != 0)
		return cimic_error_set(err, CIMIC_EIO, _("cannot read the file again from the start"));
	r->p = r->end = r->chunk_start = r->chunk;
	r->consumed = 0;
	r->line = 1;
	r->records = 0;
	r->read_error = r->filled = false;
	return 0;
}

void
csv_reader_finish(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->chunk);
	r->chunk = NULL;
}

uint64_t
csv_reader_offset(const struct csv_reader *r)
{
	return r->consumed + (uint64_t)(r->p - r->chunk_start);
}

/* Is there a byte at r->p?  Streams the next chunk in when the current one is used up. */
static bool
csv_more(struct csv_reader *r)
{
	size_t got;

	if (r->p < r->end)
		return true;
	if (r->file == NULL || r->read_error)
		return false;
	r->consumed += (uint64_t)(r->end - r->chunk_start);
	got = fread(r->chunk, 1, CSV_CHUNK, r->file);
	r->p = r->chunk_start = r->chunk;
	r->end = r->chunk + got;
	if (got == 0) {
		r->read_error = ferror(r->file) != 0;
		return false;
	}
	if (!r->filled) {
		r->filled = true;
		csv_skip_bom(r);
		r->consumed += (uint64_t)(r->p - r->chunk);
		r->chunk_start = r->p;
	}
	return r->p < r->end || csv_more(r);
}

void
csv_record_finish(struct csv_record *rec)
{
	if (rec == NULL)
		return;
	for (size_t i = 0; i < rec->n; i++)
		free(rec->fields[i]);
	free(rec->fields);
	rec->fields = NULL;
	rec->n = 0;
}

bool
csv_record_blank(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		for (const char *s = rec->fields[i]; *s; s++)
			if (*s != ' ' && *s != '\t')
				return false;
	return true;
}

bool
csv_record_utf8(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		if (!util_utf8_valid(rec->fields[i], strlen(rec->fields[i])))
			return false;
	return true;
}

/* Consumes a line end at r->p if there is one. */
static bool
csv_eol(struct csv_reader *r)
{
	if (csv_more(r) && *r->p == '\r') {
		r->p++;
		if (csv_more(r) && *r->p == '\n')
			r->p++;
		r->line++;
		return true;
	}
	if (csv_more(r) && *r->p == '\n') {
		r->p++;
		r->line++;
		return true;
	}
	return false;
}

static int
csv_push(struct csv_record *rec, struct buf *field, struct cimic_error *err)
{
	char **grown;
	char *copy;

	if (rec->n >= FORMATS_MAX_COLUMNS)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: more than %d fields in a record"),
				       rec->line, FORMATS_MAX_COLUMNS);
	copy = util_strndup(field->len ? (const char *)field->data : "", field->len);
	grown = realloc(rec->fields, (rec->n + 1) * sizeof *grown);
	if (copy == NULL || grown == NULL || field->failed) {
		free(copy);
		if (grown)
			rec->fields = grown;
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	rec->fields = grown;
	rec->fields[rec->n++] = copy;
	field->len = 0;
	return 0;
}

/* Reads the rest of a quoted field (the opening quote is consumed). */
static int
csv_quoted(struct csv_reader *r, struct buf *field, struct cimic_error *err)
{
	size_t opened = r->line;

	for (;;) {
		if (!csv_more(r))
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: quoted field is never closed"), opened);
		if (*r->p == '"') {
			r->p++;
			if (csv_more(r) && *r->p == '"') {
				buf_addc(field, '"');
				r->p++;
				continue;
			}
			return 0;
		}
		if (*r->p == '\r' || *r->p == '\n') {
			csv_eol(r);
			buf_addc(field, '\n');
		} else if (*r->p == '\0') {
			return cimic_error_set(err, CIMIC_EDATA, _("line %zu: NUL byte in text"), r->line);
		} else {
			buf_addc(field, (unsigned char)*r->p++);
		}
		if (field->len > FORMATS_MAX_FIELD)
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: field longer than %u bytes"), opened,
					       FORMATS_MAX_FIELD);
	}
}

/* Reads one field up to a delimiter, line end or end of input. */
static int
csv_field(struct csv_reader *r, struct buf *field, struct cimic_error *err)
{
	if (csv_more(r) && *r->p == '"') {
		r->p++;
		if (csv_quoted(r, field, err) < 0)
			return -1;
		if (csv_more(r) && *r->p != r->delim && *r->p != '\r' && *r->p != '\n')
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: text after the closing quote of a field"),
					       r->line);
		return 0;
	}
	while (csv_more(r) && *r->p != r->delim && *r->p != '\r' && *r->p != '\n') {
		if (*r->p == '\0')
			return cimic_error_set(err, CIMIC_EDATA, _("line %zu: NUL byte in text"), r->line);
		buf_addc(field, (unsigned char)*r->p++);
		if (field->len > FORMATS_MAX_FIELD)
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: field longer than %u bytes"), r->line,
					       FORMATS_MAX_FIELD);
	}
	return 0;
}

static int
csv_read_fields(struct csv_reader *r, struct csv_record *rec, struct cimic_error *err)
{
	struct buf field;
	uint64_t start = csv_reader_offset(r);
	int rc = -1;

	buf_init(&field);
	for (;;) {
		if (csv_field(r, &field, err) < 0 || csv_push(rec, &field, err) < 0)
			goto out;
		if (csv_reader_offset(r) - start > FORMATS_MAX_LINE) {
			cimic_error_set(err, CIMIC_EDATA, _("line %zu: record longer than %u bytes"),
					rec->line, FORMATS_MAX_LINE);
			goto out;
		}
		if (csv_more(r) && *r->p == r->delim) {
			r->p++;
			continue;
		}
		csv_eol(r);
		break;
	}
	rc = 0;
out:
	buf_finish(&field);
	return rc;
}

int
csv_read(struct csv_reader *r, struct csv_record *rec, struct cimic_error *err)
{
	rec->fields = NULL;
	rec->n = 0;
	rec->line = r->line;
	if (!csv_more(r))
		return r->read_error ? cimic_error_set(err, CIMIC_EIO, _("line %zu: read error"), r->line)
				     : 0;
	if (r->records >= FORMATS_MAX_RECORDS)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: more than %d records"), r->line,
				       FORMATS_MAX_RECORDS);
	if (csv_read_fields(r, rec, err) < 0 ||
	    (r->read_error && cimic_error_set(err, CIMIC_EIO, _("line %zu: read error"), r->line))) {
		csv_record_finish(rec);
		return -1;
	}
	r->records++;
	return 1;
}

static bool
csv_formula_char(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\n';
}

/* Does s begin as a spreadsheet would run it (formats.h)? */
static bool
csv_formula_risk(const char *s)
{
	return s != NULL && csv_formula_char(s[0]);
}

/* Does s begin with one or more ' and then a formula character? */
static bool
csv_quoted_formula(const char *s)
{
	size_t q = strspn(s, "'");

	return q > 0 && csv_formula_char(s[q]);
}

char *
csv_neutralise(const char *s)
{
	if (s == NULL)
		return NULL;
	if (csv_formula_risk(s) || csv_quoted_formula(s))
		return util_aprintf("'%s", s);
	return util_strdup(s);
}

const char *
csv_unneutralise(const char *s)
{
	return s != NULL && csv_quoted_formula(s) ? s + 1 : s;
}

static bool
csv_needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

static void
csv_write_field(struct buf *b, const char *s)
{
	if (s == NULL)
		return;
	if (!csv_needs_quotes(s)) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, (unsigned char)*s);
	}
	buf_addc(b, '"');
}

void
csv_write_record(struct buf *b, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		csv_write_field(b, fields[i]);
	}
	buf_add(b, "\r\n", 2);
}
