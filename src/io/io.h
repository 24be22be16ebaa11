/*
 * io.h - private glue between the format readers/writers and the
 * model (io_*.c, formats_map.c).
 *
 * Every import format is first turned into rows of text "slots": one
 * slot per model field (indexed as in model_fields()) plus the record id,
 * latitude, longitude and MGRS.  io_apply() then turns rows into
 * records inside one op-log transaction, whatever the format was.
 */
#ifndef CIMIC_SRC_IO_H
#define CIMIC_SRC_IO_H

#include "cimic/formats.h"
#include "cimic/model.h"

enum io_extra_slot {
	SLOT_ID = MODEL_MAX_FIELDS,
	SLOT_LAT,
	SLOT_LON,
	SLOT_MGRS,
	SLOT_COUNT,
};
#define SLOT_NONE (-1)
#define SLOT_DERIVED (-2)   /* a column we write but do not read back */

struct io_row {
	size_t line;
	char *slot[SLOT_COUNT];   /* owned; NULL when absent */
};

struct io_rows {
	enum model_kind kind;
	struct io_row *rows;   /* owned */
	size_t n, cap;
	struct buf ignored;          /* ", "-separated names of columns not imported */
};

/* One exported column: slot or derived value, header name, HXL hashtag. */
struct io_column {
	const char *name;     /* CSV header: the model field name, or id/lat/lon/mgrs/... */
	const char *hxl;      /* hashtag written and matched on import */
	int slot;             /* slot, or SLOT_DERIVED */
};

/* Columns of a kind in export order. */
const struct io_column *io_columns(enum model_kind kind, size_t *n);
/* Slot named by a CSV header (field name, "id", "lat", "lon", "mgrs"), SLOT_NONE, or SLOT_DERIVED. */
int io_slot_by_name(enum model_kind kind, const char *name);
/* Slot a hashtag maps to (most specific pattern wins); *weight = matched attributes + 1. */
int io_slot_by_tag(enum model_kind kind, const struct hxl_tagspec *spec, int *weight);

void io_rows_init(struct io_rows *rs, enum model_kind kind);
void io_rows_finish(struct io_rows *rs);
/* Appends an empty row. NULL on out-of-memory or over FORMATS_MAX_RECORDS. */
struct io_row *io_rows_add(struct io_rows *rs, size_t line, struct cimic_error *err);
/* Sets a slot (copying text; a second value for a slot keeps the first). */
int io_row_set(struct io_row *row, int slot, const char *text, size_t n,
		     struct cimic_error *err);
/* Notes a column or property name that was not imported (once each). */
void io_ignore(struct io_rows *rs, const char *name);

/* Readers into rows. */
int io_read_csv(const char *data, size_t len, enum model_kind what, struct io_rows *rs,
		      struct cimic_error *err);
int io_read_hxl(const char *data, size_t len, enum model_kind what, struct io_rows *rs,
		      struct cimic_error *err);
int io_read_vcard(const char *data, size_t len, struct io_rows *rs,
			struct cimic_error *err);
/* JSON holds contacts, incidents and links: rows for each kind, links as id pairs. */
int io_read_json(const char *data, size_t len, struct io_rows *contacts,
		       struct io_rows *incidents, struct io_rows *links,
		       struct cimic_error *err);

/* Builds the change for one row; *has_id and id from the row's id slot (io_change.c). */
int io_change(enum model_kind kind, const struct io_row *row, int64_t now_ms,
		    struct model_change *c, bool *has_id, unsigned char id[CIMIC_ID_BYTES],
		    struct cimic_error *err);

/* Writes rows as records: one transaction per call is the caller's business. */
struct oplog_txn;
int io_apply(struct oplog_txn *txn, struct io_rows *rs, int64_t now_ms,
		   struct formats_import_report *rep, struct cimic_error *err);
int io_apply_links(struct oplog_txn *txn, struct io_rows *links,
			 struct formats_import_report *rep, struct cimic_error *err);

/* Exporters (io_export.c, io_json.c, io_geojson.c, io_vcard.c). */
int io_export_table(struct store *st, const struct formats_export_opts *o, struct buf *out,
			  struct cimic_error *err);
int io_export_json(struct store *st, const struct formats_export_opts *o, struct buf *out,
			 struct cimic_error *err);
int io_export_geojson(struct store *st, const struct formats_export_opts *o, struct buf *out,
			    struct cimic_error *err);
int io_export_vcard(struct store *st, const struct formats_export_opts *o, struct buf *out,
			  struct cimic_error *err);

/* Canonical text of a record value for files: times ISO 8601 UTC (ms when not whole seconds). */
char *io_value_text(const struct model_field *f, const struct model_value *v);
/* ISO 8601 UTC with milliseconds when they are not zero. buf >= 40. */
void io_iso(int64_t ms, char *buf, size_t bufsize);

#endif
