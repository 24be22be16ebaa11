/*
 * io_export.c - contacts and incidents as CSV, HXL and JSON.
 *
 * CSV and HXL share the column table of io_map.c: CSV writes the
 * field names as its header, HXL writes translated labels and the
 * hashtag row under them.  Locations are split into lat and lon columns
 * (plus MGRS for people with maps); times are ISO 8601 UTC.  Numbers come
 * from canonical text or integers, never from printf("%f"), so the
 * output is the same under every locale.  Archived records are left out
 * unless asked for (and then an archived column is written).  An
 * incident that holds no oblast gets its settlement's from the gazetteer
 * (importing such a file then stores it).  The source reference goes out
 * as it came in: "#meta+source" and "#meta+source+id" (CSV "source",
 * "source_id") beside cimic's own id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/gazetteer.h"
#include "cimic/geo.h"
#include "cimic/i18n.h"
#include "cimic/store.h"
#include "io.h"

struct io_out {
	struct store *st;
	struct buf *out;
	const struct formats_export_opts *o;
	const struct io_column *cols;
	size_t ncols;
	bool first;
};

/* Column labels for the HXL header row (the hashtag row is the contract). */
static const char *
io_label(enum model_kind kind, const struct io_column *col)
{
	const struct model_field *f = model_field_by_name(kind, col->name);

	if (f)
		return _(f->label);
	if (strcmp(col->name, "id") == 0)
		return _("Id");
	if (strcmp(col->name, "lat") == 0)
		return _("Latitude");
	if (strcmp(col->name, "lon") == 0)
		return _("Longitude");
	if (strcmp(col->name, "mgrs") == 0)
		return _("MGRS");
	if (strcmp(col->name, "created") == 0)
		return _("Created");
	if (strcmp(col->name, "updated") == 0)
		return _("Updated");
	return _("Unit");
}

static bool
io_column_used(const struct io_out *x, const struct io_column *col)
{
	return x->o->include_archived || strcmp(col->name, "archived") != 0;
}

static void
io_header(struct io_out *x, enum model_kind kind)
{
	const char *cells[64] = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < x->ncols; i++)
		if (io_column_used(x, &x->cols[i]))
			cells[n++] = x->o->format == FORMAT_HXL ? io_label(kind, &x->cols[i])
							       : x->cols[i].name;
	csv_write_record(x->out, cells, n);
	if (x->o->format != FORMAT_HXL)
		return;
	n = 0;
	for (size_t i = 0; i < x->ncols; i++)
		if (io_column_used(x, &x->cols[i]))
			cells[n++] = x->cols[i].hxl;
	csv_write_record(x->out, cells, n);
}

/* Oblast of the record's settlement from the gazetteer, when it names one place. */
static char *
io_oblast(struct store *st, const struct model_record *rec)
{
	const struct model_value *s = model_record_get(rec, "settlement");
	struct gazetteer_place place;
	struct cimic_error err;

	if (s == NULL || s->type != MV_TEXT || gazetteer_best(st, s->s, &place, &err) != 1)
		return util_strdup("");
	return util_strdup(place.admin1);
}

static char *
io_mgrs(const struct model_record *rec)
{
	struct geo_point p = { rec->lat, rec->lon };
	char buf[40];

	if (!rec->has_location || geo_to_mgrs(p, 5, false, buf, sizeof buf, NULL) != 0)
		return util_strdup("");
	return util_strdup(buf);
}

/* "lat" or "lon" half of the canonical "lat,lon" text. */
static char *
io_half(const struct model_record *rec, bool lon)
{
	const struct model_value *loc = model_record_get(rec, "location");
	const char *comma;

	if (loc == NULL || loc->type != MV_TEXT || (comma = strchr(loc->s, ',')) == NULL)
		return util_strdup("");
	return lon ? util_strdup(comma + 1) : util_strndup(loc->s, (size_t)(comma - loc->s));
}

static char *
io_cell(struct io_out *x, const struct model_record *rec,
	      const struct io_column *col)
{
	size_t n;
	const struct model_field *f = model_fields(rec->kind, &n);
	char buf[48];

	/* an oblast the record does not hold comes from the gazetteer, for readers */
	if (strcmp(col->name, "oblast") == 0 && col->slot >= 0 && rec->v[col->slot].type == MV_NULL)
		return io_oblast(x->st, rec);
	if (col->slot >= 0 && col->slot < (int)n)
		return io_value_text(&f[col->slot], &rec->v[col->slot]);
	if (col->slot == SLOT_ID) {
		util_hex(rec->id, CIMIC_ID_BYTES, buf);
		return util_strdup(buf);
	}
	if (col->slot == SLOT_LAT || col->slot == SLOT_LON)
		return io_half(rec, col->slot == SLOT_LON);
	if (col->slot == SLOT_MGRS)
		return io_mgrs(rec);
	if (strcmp(col->name, "unit") == 0)
		return util_strdup(rec->author_unit);
	io_iso(strcmp(col->name, "created") == 0 ? rec->created_ms : rec->updated_ms, buf,
		     sizeof buf);
	return util_strdup(buf);
}

/* A latitude or longitude written as a plain number (a negative one is no formula). */
static bool
io_plain_number(const struct io_column *col, const char *cell)
{
	if (col->slot != SLOT_LAT && col->slot != SLOT_LON)
		return false;
	if (*cell == '-')
		cell++;
	return *cell != '\0' && strspn(cell, "0123456789.") == strlen(cell);
}

/* Every other cell is neutralised against formula injection (csv_neutralise). */
static char *
io_safe_cell(const struct io_column *col, char *cell)
{
	char *safe;

	if (cell == NULL || io_plain_number(col, cell))
		return cell;
	safe = csv_neutralise(cell);
	free(cell);
	return safe;
}

static int
io_table_row(const struct model_record *rec, void *arg)
{
	struct io_out *x = arg;
	char *cells[64] = { 0 };
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < x->ncols; i++) {
		if (!io_column_used(x, &x->cols[i]))
			continue;
		cells[n] = io_safe_cell(&x->cols[i], io_cell(x, rec, &x->cols[i]));
		if (cells[n++] == NULL)
			rc = -1;
	}
	if (rc == 0)
		csv_write_record(x->out, (const char *const *)cells, n);
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	return rc;
}

int
io_export_table(struct store *st, const struct formats_export_opts *o, struct buf *out,
		      struct cimic_error *err)
{
	enum model_kind kind = o->what ? o->what : MODEL_INCIDENT;
	struct io_out x = { .st = st, .out = out, .o = o };
	struct model_query q = { .kind = kind, .include_archived = o->include_archived,
				 .sort = SORT_OLDEST };

	cimic_error_clear(err);
	x.cols = io_columns(kind, &x.ncols);
	io_header(&x, kind);
	if (model_list(st, &q, io_table_row, &x, err) != 0)
		return err->msg[0] ? -1 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return out->failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory")) : 0;
}
