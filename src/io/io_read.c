/*
 * io_read.c - CSV and HXL tables into import rows, one row at a
 * time, from a buffer or streamed from a file.
 *
 * An HXL table is mapped by its hashtags, so columns may come in any
 * order and under any header text.  A plain CSV names its columns in its
 * first row: cimic's field names, or the English and Ukrainian words of
 * io_headers.c.  A "CSV" with a hashtag row among its first rows is read
 * as HXL.  Columns that map to nothing are reported by name, never
 * guessed at; with keep_unmapped their cells become "Column: value"
 * lines of the record's notes or description.  When the caller does not
 * say whether the file holds contacts or incidents, a column only an
 * incident list has (an event's name, type or toll) makes it incidents;
 * else the kind whose own fields the columns name more often wins
 * (fields of incidents count double); a tie is an error asking for --what.
 *
 * The table is read twice (the import's two passes): rewinding reads the
 * header rows again and skips them.  Nothing is kept of a row once the
 * next is read, so memory does not grow with the file.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "io.h"

#define NAME_MAX_BYTES 160

struct io_table {
	enum formats_kind format;
	enum model_kind what, kind;
	bool keep_unmapped;
	struct csv_reader r;
	uint64_t size;
	size_t header_records;        /* records before the first data row */
	size_t ncols;
	int *slots;                   /* owned: per column */
	char **names;                 /* owned: per column, for reports: "#tag+attr (Header)" */
	char **texts;                 /* owned: per column, for kept lines: "Header" (or the tag) */
	const char *labels[SLOT_COUNT];
	struct buf ignored;
};

struct io_table *
io_table_create(const struct formats_import_opts *o)
{
	struct io_table *t = calloc(1, sizeof *t);

	if (t == NULL)
		return NULL;
	t->format = o->format;
	t->what = o->what;
	t->keep_unmapped = o->keep_unmapped;
	buf_init(&t->ignored);
	return t;
}

void
io_table_destroy(struct io_table *t)
{
	if (t == NULL)
		return;
	csv_reader_finish(&t->r);
	for (size_t i = 0; i < t->ncols; i++) {
		if (t->names)
			free(t->names[i]);
		if (t->texts)
			free(t->texts[i]);
	}
	free(t->names);
	free(t->texts);
	free(t->slots);
	buf_finish(&t->ignored);
	free(t);
}

const char *
io_table_ignored(const struct io_table *t)
{
	return t->ignored.len ? buf_cstr((struct buf *)&t->ignored) : "";
}

/* ---- which kind ---- */

/* Fields both kinds have (or that say little of what a row is), per kind. */
static bool
io_weak_field(enum model_kind kind, const char *name)
{
	static const char *const contact[] = { "settlement", "location", "notes", "archived",
					       "source", "source_id", "category", NULL };
	static const char *const incident[] = { "settlement", "location", "description", "archived",
						"source", "source_id", "org", "sector", "url", "oblast",
						"oblast_code", "raion", "raion_code", NULL };

	for (const char *const *p = kind == MODEL_CONTACT ? contact : incident; *p; p++)
		if (strcmp(name, *p) == 0)
			return true;
	return false;
}

/*
 * Does a column say what happened, in a way no contact list would: an
 * event's name, type or toll, the Admiralty grading?  (A column both
 * kinds read, like a contact person's phone, or "title" that is a
 * contact's position, proves nothing.)
 */
static bool
io_decisive(const int *incident, const int *contact, size_t ncols)
{
	static const char *const decisive[] = { "title", "type", "severity", "killed", "injured",
						"displaced", "affected", "reliability", "credibility",
						NULL };
	size_t n;
	const struct model_field *f = model_fields(MODEL_INCIDENT, &n);

	for (size_t i = 0; i < ncols; i++) {
		if (incident[i] < 0 || incident[i] >= (int)n || contact[i] != SLOT_NONE)
			continue;
		for (const char *const *d = decisive; *d; d++)
			if (strcmp(f[incident[i]].name, *d) == 0)
				return true;
	}
	return false;
}

static int
io_score(enum model_kind kind, const int *slots, size_t ncols)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);
	int score = 0;

	for (size_t i = 0; i < ncols; i++)
		if (slots[i] >= 0 && slots[i] < (int)n && !io_weak_field(kind, f[slots[i]].name))
			score += kind == MODEL_INCIDENT ? 2 : 1;
	return score;
}

static int
io_pick_kind(int contact_score, int incident_score, enum model_kind what,
		   enum model_kind *out, size_t line, struct cimic_error *err)
{
	if (what) {
		*out = what;
		return 0;
	}
	if (contact_score == incident_score)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("line %zu: cannot tell whether the file holds contacts or "
					 "incidents; say --what contacts or --what incidents"), line);
	*out = contact_score > incident_score ? MODEL_CONTACT : MODEL_INCIDENT;
	return 0;
}

/* ---- column maps ---- */

/* Slots of HXL columns for a kind; a slot goes to its best-matching column only. */
static int *
io_tag_slots(const struct hxl_doc *doc, enum model_kind kind)
{
	int *slots = calloc(doc->ncols ? doc->ncols : 1, sizeof *slots);
	int *weights = calloc(doc->ncols ? doc->ncols : 1, sizeof *weights);

	for (size_t i = 0; slots && weights && i < doc->ncols; i++) {
		slots[i] = doc->tagged[i] ? io_slot_by_tag(kind, &doc->cols[i], &weights[i])
					  : SLOT_NONE;
		for (size_t j = 0; j < i && slots[i] >= 0; j++) {
			if (slots[j] != slots[i])
				continue;
			if (weights[j] >= weights[i])
				slots[i] = SLOT_NONE;   /* an earlier, as specific column has it */
			else
				slots[j] = SLOT_NONE;
		}
	}
	free(weights);
	return slots;
}

/* Slots of plain CSV headers for a kind; the first column naming a slot has it. */
static int *
io_header_slots(const struct csv_record *hdr, enum model_kind kind)
{
	int *slots = calloc(hdr->n ? hdr->n : 1, sizeof *slots);

	for (size_t i = 0; slots && i < hdr->n; i++) {
		slots[i] = io_header_slot(kind, hdr->fields[i]);
		for (size_t j = 0; j < i && slots[i] >= 0; j++)
			if (slots[j] == slots[i])
				slots[i] = SLOT_NONE;
	}
	return slots;
}

/* "#meta+source" names the source only beside a column of the source's ids. */
static void
io_source_rule(enum model_kind kind, int *slots, size_t n)
{
	int source = model_record_index(kind, "source"), sid = model_record_index(kind, "source_id");
	bool has_sid = false;

	for (size_t i = 0; i < n; i++)
		has_sid |= slots[i] == sid;
	for (size_t i = 0; i < n && !has_sid; i++)
		if (slots[i] == source)
			slots[i] = SLOT_NONE;
}

/* Picks the kind, keeps its slots, names every column, lists the unmapped. */
static int
io_table_map(struct io_table *t, int *contact, int *incident, size_t line,
		   struct cimic_error *err)
{
	int *mine;

	if (contact == NULL || incident == NULL) {
		free(contact);
		free(incident);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	io_source_rule(MODEL_CONTACT, contact, t->ncols);
	io_source_rule(MODEL_INCIDENT, incident, t->ncols);
	if (t->what == 0 && io_decisive(incident, contact, t->ncols)) {
		t->kind = MODEL_INCIDENT;
	} else if (io_pick_kind(io_score(MODEL_CONTACT, contact, t->ncols),
				io_score(MODEL_INCIDENT, incident, t->ncols), t->what, &t->kind,
				line, err) != 0) {
		free(contact);
		free(incident);
		return -1;
	}
	mine = t->kind == MODEL_CONTACT ? contact : incident;
	free(t->kind == MODEL_CONTACT ? incident : contact);
	t->slots = mine;
	for (size_t i = 0; i < t->ncols; i++) {
		if (t->slots[i] >= 0 && t->labels[t->slots[i]] == NULL)
			t->labels[t->slots[i]] = t->texts[i];
		else if (t->slots[i] == SLOT_NONE && t->names[i][0] != '\0')
			io_ignore_buf(&t->ignored, t->names[i]);
	}
	return 0;
}

static int
io_alloc_names(struct io_table *t, size_t n, struct cimic_error *err)
{
	t->ncols = n;
	t->names = calloc(n ? n : 1, sizeof *t->names);
	t->texts = calloc(n ? n : 1, sizeof *t->texts);
	return t->names && t->texts ? 0 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
}

/*
 * An HXL column's name: "#tag+attrs (Header text)", or what it has of the
 * two; its text (`text`): the header, or the tag when it has none.
 */
static char *
io_hxl_name(const struct hxl_doc *doc, size_t i, bool text)
{
	char tag[HXL_MAX_NAME * (HXL_MAX_ATTRS + 1) + 16], *copy, *header, *name;

	copy = util_strdup(doc->headers[i] ? doc->headers[i] : "");
	if (copy == NULL)
		return NULL;
	header = util_trim(copy);
	hxl_tagspec_format(&doc->cols[i], tag, sizeof tag);
	if (!doc->tagged[i] || (text && header[0] != '\0'))
		name = util_aprintf("%.*s", io_cut(header, NAME_MAX_BYTES), header);
	else if (header[0] == '\0')
		name = util_strdup(tag);
	else
		name = util_aprintf("%s (%.*s)", tag, io_cut(header, NAME_MAX_BYTES), header);
	free(copy);
	return name;
}

static int
io_table_hxl(struct io_table *t, const struct hxl_doc *doc, struct cimic_error *err)
{
	if (io_alloc_names(t, doc->ncols, err) != 0)
		return -1;
	for (size_t i = 0; i < doc->ncols; i++)
		if ((t->names[i] = io_hxl_name(doc, i, false)) == NULL ||
		    (t->texts[i] = io_hxl_name(doc, i, true)) == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return io_table_map(t, io_tag_slots(doc, MODEL_CONTACT),
				  io_tag_slots(doc, MODEL_INCIDENT), doc->tag_line, err);
}

static int
io_table_plain(struct io_table *t, const struct csv_record *hdr, struct cimic_error *err)
{
	if (io_alloc_names(t, hdr->n, err) != 0)
		return -1;
	for (size_t i = 0; i < hdr->n; i++) {
		char *name = util_strndup(hdr->fields[i], (size_t)io_cut(hdr->fields[i], NAME_MAX_BYTES));
		char *trimmed;
		if (name == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		trimmed = util_trim(name);
		memmove(name, trimmed, strlen(trimmed) + 1);
		t->names[i] = name;
		if ((t->texts[i] = util_strdup(name)) == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	return io_table_map(t, io_header_slots(hdr, MODEL_CONTACT),
				  io_header_slots(hdr, MODEL_INCIDENT), hdr->line, err);
}

/* ---- reading the header ---- */

static int
io_read_record(struct csv_reader *r, struct csv_record *rec, struct cimic_error *err)
{
	int got = csv_read(r, rec, err);

	if (got > 0 && !csv_record_utf8(rec)) {
		cimic_error_set(err, CIMIC_EDATA,
				_("line %zu: text is not UTF-8 (save the file as UTF-8)"), rec->line);
		csv_record_finish(rec);
		return -1;
	}
	return got;
}

/* HXL: the hashtag row anywhere in the first rows. */
static int
io_header_hxl(struct io_table *t, struct cimic_error *err)
{
	struct hxl_doc doc;
	int rc;

	if (hxl_read_columns(&t->r, &doc, err) != 0)
		return -1;
	t->header_records = t->r.records;
	rc = io_table_hxl(t, &doc, err);
	hxl_doc_finish(&doc);
	return rc;
}

/* Is one of the first rows a hashtag row?  Reads them, then starts again. */
static int
io_has_tag_row(struct io_table *t, bool *found, struct cimic_error *err)
{
	struct csv_record rec;
	int got = 1;

	*found = false;
	for (int row = 0; row < HXL_TAG_ROW_SEARCH && !*found && got > 0; row++) {
		if ((got = io_read_record(&t->r, &rec, err)) < 0)
			return -1;
		if (got > 0)
			*found = hxl_tag_row(&rec);
		csv_record_finish(&rec);
	}
	return csv_reader_rewind(&t->r, err);
}

/* CSV: names in the first row; a hashtag row among the first rows makes it HXL. */
static int
io_header_csv(struct io_table *t, struct cimic_error *err)
{
	struct csv_record first = { 0 };
	bool hxl;
	int got, rc;

	if (io_has_tag_row(t, &hxl, err) != 0)
		return -1;
	if (hxl)
		return io_header_hxl(t, err);
	if ((got = io_read_record(&t->r, &first, err)) <= 0) {
		if (got == 0)
			cimic_error_set(err, CIMIC_EDATA, _("line 1: empty file: no header row"));
		return -1;
	}
	t->header_records = 1;
	rc = io_table_plain(t, &first, err);
	csv_record_finish(&first);
	return rc;
}

static int
io_table_header(struct io_table *t, struct cimic_error *err)
{
	return t->format == FORMAT_HXL ? io_header_hxl(t, err) : io_header_csv(t, err);
}

int
io_table_open_data(struct io_table *t, const char *data, size_t len,
			 struct cimic_error *err)
{
	csv_reader_init(&t->r, data, len);
	t->size = len;
	return io_table_header(t, err);
}

int
io_table_open_file(struct io_table *t, FILE *f, uint64_t size, struct cimic_error *err)
{
	if (csv_reader_open(&t->r, f, err) != 0)
		return -1;
	t->size = size;
	return io_table_header(t, err);
}

/* ---- rows ---- */

/* Is the slot a free-text field, whose blanks are kept? */
static bool
io_text_slot(enum model_kind kind, int slot)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);

	return slot >= 0 && slot < (int)n && (f[slot].type == FT_TEXT || f[slot].type == FT_LONGTEXT);
}

static int
io_take_cell(enum model_kind kind, struct io_row *row, int slot, const char *cell,
		   struct cimic_error *err)
{
	size_t n;

	cell = csv_unneutralise(cell);   /* the ' our own export put before a formula character */
	n = strlen(cell);
	if (!io_text_slot(kind, slot)) {
		while (*cell == ' ' || *cell == '\t')
			cell++, n--;
		while (n > 0 && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
			n--;
	}
	return io_row_set(row, slot, cell, n, err);
}

/* "Column: value" for an unmapped cell that is kept. */
static void
io_keep(struct buf *kept, const char *name, const char *cell)
{
	const char *s = cell;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return;
	if (kept->len)
		buf_addc(kept, '\n');
	buf_printf(kept, "%s: %s", name, s);
	while (kept->len > 0 && (kept->data[kept->len - 1] == ' ' || kept->data[kept->len - 1] == '\t'))
		kept->len--;
}

static int
io_table_row(struct io_table *t, const struct csv_record *rec, struct io_row *row,
		   struct cimic_error *err)
{
	struct buf kept;
	int rc = 0;

	memset(row, 0, sizeof *row);
	row->line = rec->line;
	row->labels = t->labels;
	buf_init(&kept);
	for (size_t i = 0; i < t->ncols && i < rec->n && rc == 0; i++) {
		if (t->slots[i] >= 0)
			rc = io_take_cell(t->kind, row, t->slots[i], rec->fields[i], err);
		else if (t->slots[i] == SLOT_NONE && t->keep_unmapped && t->names[i][0])
			io_keep(&kept, t->texts[i], rec->fields[i]);
	}
	if (rc == 0 && kept.failed)
		rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (rc == 0 && kept.len)
		rc = io_row_set(row, SLOT_KEPT, (const char *)kept.data, kept.len, err);
	buf_finish(&kept);
	if (rc != 0)
		io_row_clear(row);
	return rc;
}

static int
io_table_next(void *self, struct io_row *row, struct cimic_error *err)
{
	struct io_table *t = self;
	struct csv_record rec;
	int got, rc;

	for (;;) {
		if ((got = io_read_record(&t->r, &rec, err)) <= 0)
			return got;
		if (!csv_record_blank(&rec))
			break;
		csv_record_finish(&rec);
	}
	rc = io_table_row(t, &rec, row, err);
	csv_record_finish(&rec);
	return rc == 0 ? 1 : -1;
}

static int
io_table_rewind(void *self, struct cimic_error *err)
{
	struct io_table *t = self;
	struct csv_record rec;

	if (csv_reader_rewind(&t->r, err) != 0)
		return -1;
	for (size_t i = 0; i < t->header_records; i++) {
		if (csv_read(&t->r, &rec, err) <= 0)
			return cimic_error_set(err, CIMIC_EIO, _("the file changed while it was read"));
		csv_record_finish(&rec);
	}
	return 0;
}

static uint64_t
io_table_offset(void *self)
{
	return csv_reader_offset(&((struct io_table *)self)->r);
}

void
io_table_source(struct io_table *t, struct io_rowsource *src)
{
	src->next = io_table_next;
	src->rewind = io_table_rewind;
	src->offset = io_table_offset;
	src->self = t;
	src->kind = t->kind;
	src->total = t->size;
}
