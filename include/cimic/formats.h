/*
 * formats.h - field exchange formats: CSV (RFC 4180), HXL, vCard,
 * GeoJSON (RFC 7946) and JSON, and the glue that imports them into the
 * model and exports the model to them (DESIGN.md section 8).
 *
 * The parsers and writers in the first half of this header are pure:
 * they take bytes and give records (or take values and give bytes),
 * touch no store, never print, and bound every size they read.  Every
 * parse error is CIMIC_EDATA with a one-line message that starts with
 * "line N: ".
 *
 * The glue in the second half (formats_import / formats_export) walks
 * the model.  An import is one op-log transaction: a malformed file
 * imports nothing.  Numbers are written with '.' under every locale.
 */
#ifndef CIMIC_FORMATS_H
#define CIMIC_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cimic/error.h"
#include "cimic/value.h"
#include "cimic/util.h"

struct store;

/* Hard limits shared by the readers (refused with a one-line reason). */
#define FORMATS_MAX_INPUT (256u << 20)   /* bytes of one input file */
#define FORMATS_MAX_FIELD (64u << 10)    /* bytes of one field or property value */
#define FORMATS_MAX_LINE (1u << 20)      /* bytes of one (unfolded) line or record */
#define FORMATS_MAX_COLUMNS 256          /* fields of one CSV record */
#define FORMATS_MAX_RECORDS 1000000      /* records, cards or rows of one file */

/* ---- CSV (RFC 4180) ---- */

/* One record: NUL-terminated fields (owned), and the line it starts on. */
struct csv_record {
	char **fields;
	size_t n;
	size_t line;
};

/*
 * Reads records from a buffer the caller keeps alive (csv_reader_init),
 * or streams them from a file through one 64 KiB chunk
 * (csv_reader_open), so a file of any length is read in flat memory.
 * Accepts CRLF, LF and lone CR, a UTF-8 BOM, quoted fields with "" and
 * embedded line breaks (a CRLF inside quotes becomes LF).  A quote
 * inside an unquoted field is kept as a character; text after a closing
 * quote is an error.
 */
struct csv_reader {
	const char *p, *end;   /* bytes not read yet: of the buffer, or of the chunk */
	size_t line;           /* line of the next byte */
	size_t records;
	char delim;            /* ',' (HXL and our exports) */
	/* streaming: the file, the chunk, and bytes of the input before it */
	FILE *file;
	char *chunk;           /* owned: csv_reader_finish */
	const char *chunk_start;
	uint64_t consumed;
	bool filled, read_error;
};

void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
/* Streams f (left open; the caller closes it after csv_reader_finish). */
int csv_reader_open(struct csv_reader *r, FILE *f, struct cimic_error *err);
/* Starts again from the first byte (a file must be seekable). */
int csv_reader_rewind(struct csv_reader *r, struct cimic_error *err);
void csv_reader_finish(struct csv_reader *r);
/* Bytes of the input read so far (for progress). */
uint64_t csv_reader_offset(const struct csv_reader *r);
/* 1: a record in rec (csv_record_finish it), 0: end of input, -1: error. */
int csv_read(struct csv_reader *r, struct csv_record *rec, struct cimic_error *err);
void csv_record_finish(struct csv_record *rec);
/* Is every field empty (or only blanks)? */
bool csv_record_blank(const struct csv_record *rec);
/* Is every field valid UTF-8? */
bool csv_record_utf8(const struct csv_record *rec);

/*
 * Spreadsheet formula injection (OWASP "CSV injection").  A spreadsheet
 * runs a cell that begins with = + - @ TAB or CR as a formula
 * (=HYPERLINK(...), @SUM(...), DDE), so text from the store must never
 * begin a cell with one of them.  The writer neutralises such a cell the
 * way OWASP recommends, with a leading apostrophe: "=1+1" is written
 * "'=1+1", which a spreadsheet shows as the text =1+1.  LF counts too:
 * the reader turns a line break inside a quoted field, CR or CRLF, into
 * LF, so a cell that began with CR comes back beginning with LF.
 *
 * The reader undoes exactly that, so a file cimic wrote re-imports to
 * the very text it held: a cell that begins with one or more ' followed
 * by one of = + - @ TAB CR LF loses its first '.  To keep that exact, the
 * writer also adds a ' in front of text that itself begins with ' and
 * such a run ("'=x" is written "''=x", read back "'=x"); any other text
 * that begins with ' ("'quoted'") is written and read unchanged.
 */
/* s made safe to open in a spreadsheet. OUT: caller frees; NULL when out of memory. */
char *csv_neutralise(const char *s);
/* The reader's inverse: s past the ' that csv_neutralise() added (s itself when none). */
const char *csv_unneutralise(const char *s);

/* Appends fields separated by ',' and ended by CRLF (NULL fields are empty). */
void csv_write_record(struct buf *b, const char *const *fields, size_t n);

/* ---- HXL (Humanitarian Exchange Language 1.1) ---- */

#define HXL_MAX_ATTRS 8
#define HXL_MAX_NAME 32

/* "#affected+f+children": tag "affected", attrs {"f","children"}, lower case. */
struct hxl_tagspec {
	char tag[HXL_MAX_NAME];
	char attrs[HXL_MAX_ATTRS][HXL_MAX_NAME];
	size_t nattrs;
};

/* Parses one hashtag cell (blanks around and between parts allowed). */
bool hxl_tagspec_parse(const char *cell, struct hxl_tagspec *out);
/* Does column spec `col` match `pattern` (same tag, pattern attrs a subset)? */
bool hxl_tagspec_match(const struct hxl_tagspec *pattern, const struct hxl_tagspec *col);
/* "#tag+a+b" into buf. */
void hxl_tagspec_format(const struct hxl_tagspec *spec, char *buf, size_t bufsize);

#define HXL_TAG_ROW_SEARCH 25   /* the hashtag row is looked for in the first rows */

/* A table read from HXL CSV. */
struct hxl_doc {
	size_t ncols;                  /* columns of the hashtag row */
	struct hxl_tagspec *cols;      /* owned, ncols */
	bool *tagged;                  /* owned: column has a valid hashtag */
	char **headers;                /* owned: text header above each column, or NULL */
	struct csv_record *rows;       /* owned: data rows (blank rows dropped) */
	size_t nrows;
	size_t tag_line;               /* line of the hashtag row */
};

void hxl_doc_finish(struct hxl_doc *doc);

/*
 * An HXL table streamed row by row: is this the hashtag row (the first
 * of the first 25 rows in which at least one cell is a hashtag and
 * hashtags are more than half of the non-empty cells)?  Read rows until
 * the hashtag row and take its columns, with the text of the row above
 * as their headers (rows are then the caller's to read with csv_read).
 * Text must be UTF-8.
 */
bool hxl_tag_row(const struct csv_record *rec);
int hxl_read_columns(struct csv_reader *r, struct hxl_doc *doc, struct cimic_error *err);

/* ---- vCard 3.0 / 4.0 (and 2.1 as written by phones) ---- */

#define VCARD_MAX_PARAMS 16

struct vcard_param {
	char *name;      /* upper case; NULL name for a bare 2.1 value ("TEL;CELL") */
	char *value;     /* as written, quotes removed */
};

/* One property, unfolded; value decoded from QUOTED-PRINTABLE, still vCard-escaped. */
struct vcard_prop {
	char *group;     /* "item1" or NULL */
	char *name;      /* upper case */
	struct vcard_param params[VCARD_MAX_PARAMS];
	size_t nparams;
	char *value;
	size_t line;
};

struct vcard_card {
	struct vcard_prop *props;
	size_t nprops;
	size_t line;     /* line of BEGIN:VCARD */
	char version[8];
};

struct vcard_doc {
	struct vcard_card *cards;
	size_t ncards;
};

int vcard_read(const char *data, size_t len, struct vcard_doc *doc, struct cimic_error *err);
void vcard_doc_finish(struct vcard_doc *doc);

/* First property of a card named name (upper case), or NULL. */
const struct vcard_prop *vcard_find(const struct vcard_card *card, const char *name);
/* Value of a parameter (case-insensitive name), or NULL. */
const char *vcard_param(const struct vcard_prop *prop, const char *name);
/* Does the property carry TYPE=type (4.0/3.0 list or 2.1 bare parameter)? */
bool vcard_has_type(const struct vcard_prop *prop, const char *type);
/*
 * Component `index` of a structured value (';'-separated), unescaped
 * ("\\n" -> newline, "\\," "\\;" "\\\\").  index -1: the whole value
 * unescaped.  OUT: caller frees; NULL when the component is absent.
 */
char *vcard_component(const char *value, int index);

/* Appends one content line: name, parameters, escaped value, folded at 75 octets, CRLF. */
void vcard_write_line(struct buf *b, const char *name_and_params, const char *value, bool escape);
/* Escapes text for a property value: '\\' ',' ';' and newlines. */
void vcard_escape(struct buf *b, const char *s);

/* ---- JSON: a small bounded reader ---- */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
	enum json_type type;
	bool b;
	char *s;                 /* JSON_STRING (owned), JSON_NUMBER as written (owned) */
	struct json_value *items;/* JSON_ARRAY values, JSON_OBJECT values (owned) */
	char **keys;             /* JSON_OBJECT keys (owned) */
	size_t n;
	size_t line;
};

#define JSON_MAX_DEPTH 32

int json_parse(const char *data, size_t len, struct json_value *out, struct cimic_error *err);
void json_value_finish(struct json_value *v);
/* Member of an object, or NULL. */
const struct json_value *json_get(const struct json_value *obj, const char *key);

/* ---- locale-independent numbers ---- */

/* strtod in the "C" locale; false unless the whole text is a finite number. */
bool formats_parse_double(const char *text, double *out);

/* ---- import and export (store-backed) ---- */

enum formats_kind {
	FORMAT_CSV = 1,
	FORMAT_HXL,
	FORMAT_GEOJSON,
	FORMAT_VCARD,
	FORMAT_JSON,
	FORMAT_GEONAMES,
};

/* "csv" -> FORMAT_CSV ...; 0 when unknown. */
enum formats_kind formats_kind_parse(const char *name);

struct formats_export_opts {
	enum formats_kind format;
	enum model_kind what;      /* 0: the format's default (all for JSON, contacts for vCard) */
	bool include_archived;
};

/* Writes the records as the format into out. */
int formats_export(struct store *st, const struct formats_export_opts *o, struct buf *out,
		   struct cimic_error *err);

/* Where a long import is (the progress callback). */
enum formats_phase {
	FORMATS_CHECKING = 1,      /* first pass: every row read and checked */
	FORMATS_WRITING,           /* second pass: rows matched and written */
	FORMATS_SAVING,            /* the commit: search index, then the transaction (done 0 of 0) */
};

struct formats_import_opts {
	enum formats_kind format;
	enum model_kind what;      /* 0: detect from the columns */
	int64_t now_ms;
	const char *source;        /* name of the source whose ids the file holds; NULL: none */
	bool dry_run;              /* everything but the commit: the same report, nothing written */
	bool skip_bad;             /* import the good rows, list the refused (else all or nothing) */
	bool keep_unmapped;        /* unmapped columns kept as lines of the notes/description */
	/* called now and then with bytes read of total (0 when unknown) */
	void (*progress)(void *arg, enum formats_phase phase, uint64_t done, uint64_t total);
	void *progress_arg;
};

#define FORMATS_MAX_REFUSALS 1000   /* refused rows listed in a report (all are counted) */

struct formats_refusal {
	size_t line;
	char *reason;              /* owned */
};

struct formats_import_report {
	long created, updated, unchanged, skipped;   /* records; skipped: refused rows left out */
	enum model_kind what;
	char ignored[1024];        /* columns or properties not imported, ", "-separated */
	long rows;                 /* data rows read */
	long repeated;             /* rows that repeat the id (or fingerprint) of an earlier row */
	long refused;              /* rows refused (bad date, coordinate, count...) */
	long kept_values;          /* values outside cimic's code lists, kept in the text */
	bool kept_unmapped;        /* the unmapped columns went into the notes/description */
	long contacts_created, links_created;   /* an incident file's contact persons */
	char source[257];          /* source name for the file's own ids */
	bool source_used;          /* some row's id was the source's, named by `source` */
	struct formats_refusal *refusals;       /* owned: the first FORMATS_MAX_REFUSALS */
	size_t nrefusals;
};

void formats_import_report_finish(struct formats_import_report *rep);

/*
 * Imports a file in one op-log transaction.  Each row meets its record by
 *  - a cimic record id (32 hex digits, a file cimic exported), or else
 *  - the source's own id (any other id, or a source_id column): the
 *    record id derives from (kind, source name, that id), so the same
 *    row from the same source is always the same record, or else
 *  - a fingerprint: contacts BLAKE2b of the folded name and the last 9
 *    digits of the phone; incidents BLAKE2b of the folded title, the time
 *    to the minute and the location.
 * Rows of one file that share a key are one record (a later row's
 * non-blank cells correct an earlier one's).  A matched record gets only
 * the fields that differ, so a re-import of an unchanged file writes no
 * op at all.  A refused row refuses the import (CIMIC_EDATA, nothing
 * written, every refused row in rep) unless skip_bad.  rep: finish it.
 *
 * CSV and HXL stream through the file twice in flat memory (a file that
 * cannot seek is read whole); other formats are read whole (at most
 * FORMATS_MAX_INPUT).  Without o->source, the source is the file's base
 * name.  CIMIC_ENOINPUT when there is no such file.
 */
int formats_import_file(struct store *st, const struct formats_import_opts *o, const char *path,
			struct formats_import_report *rep, struct cimic_error *err);

#endif
