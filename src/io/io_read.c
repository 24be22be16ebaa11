/*
 * io_read.c - CSV and HXL tables into import rows.
 *
 * A plain CSV names cimic's fields in its first row ("name", "phone",
 * "title", "when", "lat", "lon", "id"...); an HXL table is mapped by its
 * hashtags, so columns may come in any order and under any header text.
 * Columns that map to nothing are reported, never guessed at.  When the
 * caller does not say whether the file holds contacts or incidents, the
 * kind whose own fields the columns name more often wins; a tie is an
 * error asking for --what.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "io.h"

/* Fields both kinds have, which say nothing about the kind of a file. */
static bool
io_shared_field(const char *name)
{
	static const char *const shared[] = { "settlement", "location", "archived", "notes",
					      "description" };

	for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
		if (strcmp(name, shared[i]) == 0)
			return true;
	return false;
}

/* Counts columns naming fields only `kind` has; slot_of(kind, column) gives the slot. */
static int
io_score(enum model_kind kind, const int *slots, size_t ncols)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);
	int score = 0;

	for (size_t i = 0; i < ncols; i++)
		if (slots[i] >= 0 && slots[i] < (int)n && !io_shared_field(f[slots[i]].name))
			score++;
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

/* Is the slot a free-text field, whose blanks are kept? */
static bool
io_text_slot(enum model_kind kind, int slot)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);

	return slot >= 0 && slot < (int)n && (f[slot].type == FT_TEXT || f[slot].type == FT_LONGTEXT);
}

static int
io_take_cell(struct io_rows *rs, struct io_row *row, int slot, const char *cell,
		   struct cimic_error *err)
{
	size_t n = strlen(cell);

	if (!io_text_slot(rs->kind, slot)) {
		while (*cell == ' ' || *cell == '\t')
			cell++, n--;
		while (n > 0 && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
			n--;
	}
	return io_row_set(row, slot, cell, n, err);
}

/* Adds one data row given the column slots. */
static int
io_add_record(struct io_rows *rs, const struct csv_record *rec, const int *slots,
		    size_t ncols, struct cimic_error *err)
{
	struct io_row *row = io_rows_add(rs, rec->line, err);

	if (row == NULL)
		return -1;
	for (size_t i = 0; i < ncols && i < rec->n; i++)
		if (slots[i] >= 0 && io_take_cell(rs, row, slots[i], rec->fields[i], err) != 0)
			return -1;
	return 0;
}

/* ---- plain CSV ---- */

static int *
io_header_slots(const struct csv_record *hdr, enum model_kind kind)
{
	int *slots = calloc(hdr->n ? hdr->n : 1, sizeof *slots);

	for (size_t i = 0; slots && i < hdr->n; i++) {
		char *name = util_strdup(hdr->fields[i]);
		if (name == NULL) {
			free(slots);
			return NULL;
		}
		util_trim(name);
		for (char *p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		slots[i] = io_slot_by_name(kind, name);
		free(name);
	}
	return slots;
}

static int
io_csv_kind(const struct csv_record *hdr, enum model_kind what, enum model_kind *kind,
		  struct cimic_error *err)
{
	int *c = io_header_slots(hdr, MODEL_CONTACT);
	int *i = io_header_slots(hdr, MODEL_INCIDENT);
	int rc;

	if (c == NULL || i == NULL)
		rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	else
		rc = io_pick_kind(io_score(MODEL_CONTACT, c, hdr->n),
					io_score(MODEL_INCIDENT, i, hdr->n), what, kind,
					hdr->line, err);
	free(c);
	free(i);
	return rc;
}

static int
io_csv_body(struct csv_reader *r, struct io_rows *rs, const int *slots, size_t ncols,
		  struct cimic_error *err)
{
	struct csv_record rec;
	int got;

	while ((got = csv_read(r, &rec, err)) > 0) {
		int rc = csv_record_blank(&rec) ? 0 : io_add_record(rs, &rec, slots, ncols, err);
		csv_record_finish(&rec);
		if (rc != 0)
			return -1;
	}
	return got;
}

int
io_read_csv(const char *data, size_t len, enum model_kind what, struct io_rows *rs,
		  struct cimic_error *err)
{
	struct csv_reader r;
	struct csv_record hdr = { 0 };
	int *slots = NULL, rc = -1;

	csv_reader_init(&r, data, len);
	rc = csv_read(&r, &hdr, err);
	if (rc == 0)
		cimic_error_set(err, CIMIC_EDATA, _("line 1: empty file: no header row"));
	rc = -1;
	if (hdr.fields == NULL)
		goto out;
	if (io_csv_kind(&hdr, what, &rs->kind, err) != 0)
		goto out;
	slots = io_header_slots(&hdr, rs->kind);
	if (slots == NULL) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		goto out;
	}
	for (size_t i = 0; i < hdr.n; i++)
		if (slots[i] == SLOT_NONE && hdr.fields[i][0] != '\0')
			io_ignore(rs, hdr.fields[i]);
	rc = io_csv_body(&r, rs, slots, hdr.n, err);
out:
	free(slots);
	csv_record_finish(&hdr);
	return rc;
}

/* ---- HXL ---- */

/* Slots of the tagged columns for a kind; a slot goes to its best-matching column only. */
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

static void
io_report_tags(struct io_rows *rs, const struct hxl_doc *doc, const int *slots)
{
	char tag[HXL_MAX_NAME * (HXL_MAX_ATTRS + 1) + 16];

	for (size_t i = 0; i < doc->ncols; i++) {
		if (!doc->tagged[i] || slots[i] >= 0 || slots[i] == SLOT_DERIVED)
			continue;
		hxl_tagspec_format(&doc->cols[i], tag, sizeof tag);
		io_ignore(rs, tag);
	}
}

int
io_read_hxl(const char *data, size_t len, enum model_kind what, struct io_rows *rs,
		  struct cimic_error *err)
{
	struct hxl_doc doc;
	int *c = NULL, *in = NULL, *slots;
	int rc = -1;

	if (hxl_read(data, len, &doc, err) != 0)
		return -1;
	c = io_tag_slots(&doc, MODEL_CONTACT);
	in = io_tag_slots(&doc, MODEL_INCIDENT);
	if (c == NULL || in == NULL) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		goto out;
	}
	if (io_pick_kind(io_score(MODEL_CONTACT, c, doc.ncols),
			       io_score(MODEL_INCIDENT, in, doc.ncols), what, &rs->kind,
			       doc.tag_line, err) != 0)
		goto out;
	slots = rs->kind == MODEL_CONTACT ? c : in;
	io_report_tags(rs, &doc, slots);
	rc = 0;
	for (size_t i = 0; i < doc.nrows && rc == 0; i++)
		rc = io_add_record(rs, &doc.rows[i], slots, doc.ncols, err);
out:
	free(c);
	free(in);
	hxl_doc_finish(&doc);
	return rc;
}
