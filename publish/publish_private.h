/*
 * publish_private.h - what the files of publish/ share.
 *
 *   pg_conn.c     connecting (libpq), running statements, errors as one line
 *   pg_copy.c     COPY ... FROM STDIN in text format, buffered
 *   pg_columns.c  the columns of the record tables, from the model's field tables
 *   pg_schema.c   creating, checking and migrating the `cimic` schema
 *   pg_tables.c   temporary tables, COPY and the upserts of one run
 *   pg_rows.c     records, conflicts, units and codes as COPY rows
 *   labels.c      English and Ukrainian labels of the codes
 *   publish_send.c what a run reads from the store and sends
 *   publish.c     one run (publish.h)
 *
 * Everything a run writes goes through temporary tables (ON COMMIT DROP)
 * and one upsert statement per table, inside one transaction.
 */
#ifndef CIMIC_PUBLISH_PRIVATE_H
#define CIMIC_PUBLISH_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "cimic/codes.h"
#include "cimic/model.h"
#include "cimic/publish.h"
#include "cimic/util.h"

/* Version of the `cimic` schema this program writes (pg_schema.c). */
#define PG_SCHEMA_VERSION 1

/* ---- pg_conn.c ---- */

struct pg {
	PGconn *conn;          /* owned */
	char label[256];       /* where, for messages: never the password */
	char geo[80];          /* the schema PostGIS lives in, quoted ("public") */
	char database_id[40];  /* from cimic.schema_version */
};

/* Connects; CIMIC_EUNAVAIL when the server does not answer, CIMIC_EPERM on authentication. */
int pg_connect(struct pg *pg, const char *conninfo, const char *label, struct cimic_error *err);
void pg_close(struct pg *pg);
/*
 * Runs sql with text parameters (NULL entries are SQL NULL).  OUT *res
 * (optional): the result of a statement that returns rows, caller
 * PQclear()s it.  OUT *changed (optional): rows the statement touched.
 */
int pg_run(struct pg *pg, const char *what, const char *sql, int nparams,
	   const char *const *params, PGresult **res, long *changed, struct cimic_error *err);
static inline int
pg_exec(struct pg *pg, const char *what, const char *sql, struct cimic_error *err)
{
	return pg_run(pg, what, sql, 0, NULL, NULL, NULL, err);
}
/* Fills err from a failed result (res may be NULL: the connection's error). */
int pg_error(struct pg *pg, const PGresult *res, const char *what, struct cimic_error *err);
/* Copies libpq or server text as one printable line (controls become spaces); in != out. */
void pg_one_line(const char *in, char *out, size_t n);
/* Appends "name" as a quoted identifier (names here are ASCII, no quotes). */
void pg_ident(struct buf *b, const char *name);

/* ---- pg_copy.c ---- */

struct pg_copy {
	struct pg *pg;
	struct buf data;       /* rows not yet sent */
	bool row_started;
	long rows;
};

/* Starts "COPY ... FROM STDIN" (text format). */
int pg_copy_begin(struct pg_copy *c, struct pg *pg, const char *sql, struct cimic_error *err);
void pg_copy_null(struct pg_copy *c);
void pg_copy_text(struct pg_copy *c, const char *s);     /* NULL: SQL NULL */
void pg_copy_int(struct pg_copy *c, int64_t v);
void pg_copy_bool(struct pg_copy *c, bool v);
void pg_copy_time(struct pg_copy *c, int64_t unix_ms);  /* timestamptz, UTC */
void pg_copy_bytea(struct pg_copy *c, const unsigned char *p, size_t n);
/* Ends a row; sends the buffer when it is large. */
int pg_copy_row(struct pg_copy *c, struct cimic_error *err);
/* Sends the rest and ends the COPY. */
int pg_copy_finish(struct pg_copy *c, struct cimic_error *err);
/* Abandons a COPY (the transaction fails with it). */
void pg_copy_abort(struct pg_copy *c);
/* "2026-11-24 13:30:00.000+00" (buf >= 40). */
void pg_format_time(int64_t unix_ms, char *buf, size_t n);

/* ---- pg_columns.c ---- */

enum pg_source {
	PGC_ID, PGC_FIELD, PGC_LABEL_EN, PGC_LABEL_UK, PGC_LAT, PGC_LON, PGC_CREATED,
	PGC_UPDATED, PGC_UNIT, PGC_UNIT_KEY, PGC_CONFLICTS, PGC_OPS, PGC_DIGEST,
};

struct pg_column {
	char name[48];                 /* as --json names it; type_en / type_uk for labels */
	const char *type;              /* SQL type */
	enum pg_source source;
	size_t field;                  /* PGC_FIELD, PGC_LABEL_*: index in model_fields() */
};

#define PG_MAX_COLUMNS (2 * MODEL_MAX_FIELDS + 16)

/* The columns of a record table that a run sends, in table order. */
size_t pg_columns(enum model_kind kind, struct pg_column *out);
/* "contacts", "incidents", "links". */
const char *pg_table(enum model_kind kind);
/* Does the table carry a point (geom)? */
bool pg_has_geom(enum model_kind kind);

/* ---- pg_schema.c ---- */

/*
 * Takes the publishing lock, checks PostGIS, creates or migrates the
 * schema (refusing one that cimic did not make), adds the columns of
 * fields newer than the tables, and reads the database id.
 */
int pg_schema_ensure(struct pg *pg, struct publish_stats *stats, struct cimic_error *err);

/* ---- pg_rows.c ---- */

struct pg_publisher {
	char key[2 * 8 + 1];           /* this HQ's key id, hex */
	const char *unit;
	char fingerprint[24];
};

/* Appends one record as a COPY row of its table's columns. */
int pg_record_row(struct pg_copy *c, const struct model_record *rec, const struct pg_column *cols,
		  size_t ncols, struct cimic_error *err);
/* One code list as COPY rows of in_codes(list, code, label_en, label_uk). */
int pg_code_rows(struct pg_copy *c, const char *list, const struct code_list *codes,
		 struct cimic_error *err);
/* Key id of a signing key, hex (17 bytes). */
void pg_key_hex(const unsigned char sign_pk[32], char out[17]);

/* ---- pg_tables.c ---- */

/* Creates the run's temporary tables. */
int pg_tables_create(struct pg *pg, struct cimic_error *err);
/* The COPY statement into a record kind's temporary table. OUT: caller frees. */
char *pg_tables_copy_sql(enum model_kind kind);
/*
 * Moves a kind's temporary rows into its table: inserts new records,
 * updates those whose incoming version is newer, and notes every record
 * it wrote (for its conflicts).  OUT *written.
 */
int pg_tables_upsert(struct pg *pg, enum model_kind kind, const struct pg_publisher *who,
		     long *written, struct cimic_error *err);
/* Replaces the open conflicts of the records written by this run. */
int pg_tables_conflicts(struct pg *pg, const struct pg_publisher *who, long *written,
			struct cimic_error *err);
int pg_tables_units(struct pg *pg, const struct pg_publisher *who, long *written,
		    struct cimic_error *err);
int pg_tables_codes(struct pg *pg, struct cimic_error *err);
/*
 * What this HQ's last committed run wrote into this database: the seq
 * (0 if none), and whether this version of cimic wrote it.
 */
int pg_tables_publisher_get(struct pg *pg, const struct pg_publisher *who, int64_t *seq,
			    bool *same_version, struct cimic_error *err);
int pg_tables_publisher(struct pg *pg, const struct pg_publisher *who, int64_t seq,
			struct cimic_error *err);

/* ---- publish_send.c ---- */

struct store;

/* A record sent with open conflicts: their rows go out after the records. */
struct pub_conflicted {
	unsigned char id[CIMIC_ID_BYTES];
	enum model_kind kind;
	char title[160];
};

struct pub_run {
	struct store *st;
	struct pg *pg;
	struct pg_publisher who;
	int64_t from, to;                 /* changes in (from, to] */
	bool refresh;                     /* first run here, or a new cimic: send the constants */
	struct publish_stats *stats;
	struct pub_conflicted *conflicted; /* owned, sorted before use */
	size_t nconflicted, capconflicted;
};

/* Sends the changed records of a kind and upserts them. */
int publish_send_records(struct pub_run *run, enum model_kind kind, struct cimic_error *err);
/* The open conflicts of the records sent. */
int publish_send_conflicts(struct pub_run *run, struct cimic_error *err);
/* This HQ (on a refresh) and the nodes that changed. */
int publish_send_units(struct pub_run *run, struct cimic_error *err);
/* The code lists with their labels. */
int publish_send_codes(struct pub_run *run, struct cimic_error *err);

/* ---- labels.c ---- */

struct publish_label {
	const char *msgid;   /* English label (the catalogue's msgid) */
	const char *uk;      /* its Ukrainian translation */
};
extern const struct publish_label publish_labels_uk[];   /* generated, sorted by msgid */
extern const size_t publish_labels_uk_count;

/* Ukrainian label of an English code label; the English one when there is none. */
const char *publish_label_uk(const char *msgid);
/* Does every label of the list have a Ukrainian translation? */
bool publish_labels_complete(const struct code_list *codes);

#endif
