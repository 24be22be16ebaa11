/*
 * io.h - private glue between the format readers/writers and the
 * model (io_*.c).
 *
 * Every import format is first turned into rows of text "slots": one
 * slot per model field (indexed as in model_fields()) plus the record id,
 * latitude, longitude, MGRS and a few more that files carry.  A row is
 * then prepared (io_prepare: values parsed, the key that matches it
 * to a record computed) and written (io_write_record) inside one
 * op-log transaction, whatever the format was.  io_import.c runs the two
 * passes over the rows that make re-imports write nothing.
 */
#ifndef CIMIC_SRC_IO_H
#define CIMIC_SRC_IO_H

#include "cimic/formats.h"
#include "cimic/model.h"

enum io_extra_slot {
	SLOT_ID = MODEL_MAX_FIELDS,   /* a cimic record id, or the source's own id */
	SLOT_LAT,
	SLOT_LON,
	SLOT_MGRS,
	SLOT_COORD,                   /* "#geo+coord": lat,lon or MGRS in one cell */
	SLOT_CONTACT_NAME,            /* an incident's contact person */
	SLOT_CONTACT_PHONE,
	SLOT_CONTACT_EMAIL,
	SLOT_KEPT,                    /* "Column: value" lines of unmapped columns kept */
	SLOT_COUNT,
};
#define SLOT_NONE (-1)
#define SLOT_DERIVED (-2)   /* a column we write but do not read back */

struct io_row {
	size_t line;
	char *slot[SLOT_COUNT];        /* owned; NULL when absent */
	const char *const *labels;     /* per slot: the column's name in the file, or NULL */
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
/* Slot of a plain CSV header: field names, then English and Ukrainian words (io_headers.c). */
int io_header_slot(enum model_kind kind, const char *header);

void io_rows_init(struct io_rows *rs, enum model_kind kind);
void io_rows_finish(struct io_rows *rs);
/* Appends an empty row. NULL on out-of-memory or over FORMATS_MAX_RECORDS. */
struct io_row *io_rows_add(struct io_rows *rs, size_t line, struct cimic_error *err);
/* Sets a slot (copying text; a second value for a slot keeps the first). */
int io_row_set(struct io_row *row, int slot, const char *text, size_t n,
		     struct cimic_error *err);
/* Frees the slots of one row. */
void io_row_clear(struct io_row *row);
/* Takes src's non-blank slots into dst (a later row of a record corrects an earlier one). */
int io_row_merge(struct io_row *dst, const struct io_row *src,
		       struct cimic_error *err);
/* Notes a column or property name that was not imported (once each). */
void io_ignore(struct io_rows *rs, const char *name);
/* The same on a bare list. */
void io_ignore_buf(struct buf *list, const char *name);

/* ---- readers ---- */

/* vCard and JSON are read whole into rows. */
int io_read_vcard(const char *data, size_t len, struct io_rows *rs,
			struct cimic_error *err);
/* JSON holds contacts, incidents and links: rows for each kind, links as id pairs. */
int io_read_json(const char *data, size_t len, struct io_rows *contacts,
		       struct io_rows *incidents, struct io_rows *links,
		       struct cimic_error *err);

/*
 * Rows one at a time, read twice (the import's two passes).  next gives
 * 1 and a row (the source's to clear with io_row_clear), 0 at the
 * end, -1 on error; offset and total are bytes, for progress.
 */
struct io_rowsource {
	int (*next)(void *self, struct io_row *row, struct cimic_error *err);
	int (*rewind)(void *self, struct cimic_error *err);
	uint64_t (*offset)(void *self);
	void *self;
	enum model_kind kind;
	uint64_t total;
};

/* A CSV or HXL table streamed from a buffer or a file (io_read.c). */
struct io_table;
struct io_table *io_table_create(const struct formats_import_opts *o);
void io_table_destroy(struct io_table *t);
/* Reads the header rows, maps the columns and tells the kind. */
int io_table_open_data(struct io_table *t, const char *data, size_t len,
			     struct cimic_error *err);
int io_table_open_file(struct io_table *t, FILE *f, uint64_t size,
			     struct cimic_error *err);
void io_table_source(struct io_table *t, struct io_rowsource *src);
/* ", "-separated names of the columns not imported (valid until destroy). */
const char *io_table_ignored(const struct io_table *t);

/* Rows held in memory as a source. */
struct io_memsource {
	struct io_rows *rs;
	size_t next;
};
void io_memsource_init(struct io_memsource *m, struct io_rows *rs, struct io_rowsource *src);

/* ---- preparing and writing rows ---- */

/* What an import knows that one row does not. */
struct io_ctx {
	int64_t now_ms;
	const char *source;      /* source name of foreign ids ("" when none) */
};

enum io_key {
	KEY_CIMIC = 1,           /* the row names a cimic record id */
	KEY_FOREIGN,             /* (source, the source's id): the record id derives from it */
	KEY_FINGERPRINT,         /* neither: matched on its fingerprint */
};

#define FINGERPRINT_BYTES 16

struct io_prepared {
	struct model_change c;                 /* the record's values */
	enum io_key key_kind;
	unsigned char key[CIMIC_ID_BYTES];     /* record id, or the fingerprint */
	bool has_contact;
	struct model_change contact;           /* an incident's contact person */
	long kept_values;                      /* values cimic's code lists lack, kept in the text */
	bool default_source;                   /* the source's id is named by the import's source */
	bool incomplete;                       /* no title (name): another row of the record must give one */
};

void io_prepared_init(struct io_prepared *p, enum model_kind kind);
void io_prepared_finish(struct io_prepared *p);
/*
 * Parses a row the way a file is read: values through the model's
 * checks after the lenient file forms (dates, counts, codes, coordinates)
 * are made canonical; the key says how the row meets its record.
 */
int io_prepare(const struct io_ctx *ctx, enum model_kind kind,
		     const struct io_row *row, struct io_prepared *p,
		     struct cimic_error *err);
/* Why a record without a title (contact: name) is refused. */
const char *io_needs(enum model_kind kind);
/* Fingerprint of values indexed like model_fields(kind). */
void io_fingerprint(enum model_kind kind, const struct model_value *v,
			  unsigned char fp[FINGERPRINT_BYTES]);
/* Record id of a row the source identifies (kind, source name, the source's id). */
void io_source_id(enum model_kind kind, const char *source, const char *source_id,
			unsigned char id[CIMIC_ID_BYTES]);

struct oplog_txn;

/* Fingerprint -> record id, of the store's records (built on first need). */
struct io_index {
	struct io_known *items;   /* open addressing, cap a power of two */
	size_t n, cap;
	bool built;
};

struct io_writer {
	struct oplog_txn *txn;
	const struct io_ctx *ctx;
	struct formats_import_report *rep;
	struct io_index fps[2];   /* contacts, incidents */
};

void io_writer_init(struct io_writer *w, struct oplog_txn *txn,
			  const struct io_ctx *ctx, struct formats_import_report *rep);
void io_writer_finish(struct io_writer *w);
/*
 * Creates the record or updates the fields that differ (none: nothing
 * written), links an incident's contact, and counts it in the report.
 */
int io_write_record(struct io_writer *w, const struct io_prepared *p,
			  size_t line, struct cimic_error *err);
int io_apply_links(struct oplog_txn *txn, struct io_rows *links,
			 struct formats_import_report *rep, struct cimic_error *err);

/*
 * Imports data held in memory (formats_import_file's work once a file is
 * read, and the tests'): the same rules, the same report.
 */
int formats_import(struct store *st, const struct formats_import_opts *o, const char *data,
		   size_t len, struct formats_import_report *rep, struct cimic_error *err);

/* The two passes over row sources, in one transaction (io_import.c). */
int io_import(struct store *st, const struct formats_import_opts *o, const char *source,
	      struct io_rowsource *const *srcs, size_t nsrcs, struct io_rows *links,
	      struct formats_import_report *rep, struct cimic_error *err);

/* ---- lenient values of files (io_values.c) ---- */

/* Text as comparable words: folded, '_' '-' '.' '/' as blanks, a note in brackets dropped. OUT: caller frees. */
char *io_words(const char *text);
/* Bytes of text to print with "%.*s" to keep at most max bytes, not cutting a character. */
int io_cut(const char *text, size_t max);
/* Is `words` one of the '|'-separated entries of list? */
bool io_words_in(const char *words, const char *list);

/*
 * A date or time as files write them: ISO 8601, a DTG, 24.11.2026 13:30,
 * 2026/11/24, 24/11/2026 (day first when it can only be), 1 March 2015,
 * March 1, 2015, 1 березня 2015, "... UTC".  Relative times ("now") are
 * refused: a file means the same whenever it is read.
 */
int io_time_parse(const char *text, int64_t *ms, struct cimic_error *err);
/* The code a file's word stands for (the code, its label, common synonyms), or NULL. */
const char *io_code_find(const struct code_list *list, const char *text);
/* "1 200", "1,200", "12.0" -> "1200"/"12"; other text copied. OUT: caller frees. */
char *io_count_text(const char *text);
/* "48.5 37.5", "48.5;37.5", "POINT(37.5 48.5)" -> "48.5,37.5"; other text copied. OUT: caller frees. */
char *io_coord_text(const char *text);
/* "48,5" -> "48.5" (a decimal comma in a latitude or longitude). OUT: caller frees. */
char *io_degree_text(const char *text);

/* ---- exporters (io_export.c, io_json.c, io_geojson.c, io_vcard.c) ---- */

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
