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
 * Reads records from a buffer the caller keeps alive.  Accepts CRLF,
 * LF and lone CR, a UTF-8 BOM, quoted fields with "" and embedded line
 * breaks (a CRLF inside quotes becomes LF).  A quote inside an unquoted
 * field is kept as a character; text after a closing quote is an error.
 */
struct csv_reader {
	const char *p, *end;
	size_t line;        /* line of the next byte */
	size_t records;
	char delim;         /* ',' (HXL and our exports) */
};

void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
/* 1: a record in rec (csv_record_finish it), 0: end of input, -1: error. */
int csv_read(struct csv_reader *r, struct csv_record *rec, struct cimic_error *err);
void csv_record_finish(struct csv_record *rec);
/* Is every field empty (or only blanks)? */
bool csv_record_blank(const struct csv_record *rec);

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

/*
 * Reads an HXL CSV document: the hashtag row is the first row of the
 * first 25 in which at least one cell is a hashtag and hashtags are
 * more than half of the non-empty cells.  Text must be UTF-8.
 */
int hxl_read(const char *data, size_t len, struct hxl_doc *doc, struct cimic_error *err);
void hxl_doc_finish(struct hxl_doc *doc);

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

struct formats_import_opts {
	enum formats_kind format;
	enum model_kind what;      /* 0: detect from the columns */
	int64_t now_ms;
};

struct formats_import_report {
	long created, updated, unchanged, skipped;
	enum model_kind what;
	char ignored[512];         /* columns or properties not imported, ", "-separated */
};

/*
 * Imports data (a whole file held by the caller) in one op-log
 * transaction.  A record whose id (or, lacking one, fingerprint) is
 * already in the store is updated in place, so re-importing a file
 * creates nothing new.  Fingerprints: contacts BLAKE2b of the folded
 * name and the last 9 digits of the phone; incidents BLAKE2b of the
 * folded title, the time to the minute and the location.
 */
int formats_import(struct store *st, const struct formats_import_opts *o, const char *data,
		   size_t len, struct formats_import_report *rep, struct cimic_error *err);

#endif
