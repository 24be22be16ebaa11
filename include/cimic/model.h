/*
 * model.h - contacts, incidents and links: what the user sees.
 *
 * Every write goes through the op log (oplog.h): model functions turn a
 * record edit into SET ops inside an oplog transaction.  Reads come from
 * the tables that the op log materialises.  Records are described by a
 * table of fields so that the CLI, the TUI, JSON and the exchange formats
 * all iterate one list instead of repeating field names.
 *
 * Values: every field value is a struct model_value, either unset
 * (MV_NULL), an integer (MV_INT: counts, severity, times as Unix ms) or
 * text (MV_TEXT: UTF-8, codes, "lat,lon" locations).
 */
#ifndef CIMIC_MODEL_H
#define CIMIC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cimic/codes.h"
#include "cimic/error.h"
#include "cimic/util.h"
#include "cimic/value.h"

struct store;
struct oplog_txn;
struct geo_area;

enum model_ftype {
	FT_TEXT,       /* free UTF-8 text, bounded length */
	FT_LONGTEXT,   /* notes, descriptions */
	FT_CODE,       /* one of a code list */
	FT_INT,        /* non-negative count (min..max) */
	FT_TIME,       /* Unix ms UTC, input ISO 8601 or DTG */
	FT_LOCATION,   /* "lat,lon" canonical text; input MGRS or lat,lon */
	FT_RELIABILITY,/* admiralty A-F */
	FT_CREDIBILITY,/* admiralty 1-6 */
	FT_REF,        /* another row's id (hex) */
	FT_FLAG,       /* 0/1 */
};

/* Field ids are part of the op-log format: never renumber. */
enum contact_field {
	CF_NAME = 1, CF_ORG, CF_POSITION, CF_CATEGORY, CF_PHONE, CF_EMAIL, CF_RADIO,
	CF_ADDRESS, CF_SETTLEMENT, CF_LOCATION, CF_NOTES, CF_TAGS,
	CF_SOURCE = 13, CF_SOURCE_ID = 14,
	CF_DISTINCT_FROM = 15,   /* ids of contacts HQ said are not the same person */
	CF_ARCHIVED = 30, CF_MERGED_INTO = 31,
};
enum incident_field {
	IF_TITLE = 1, IF_TYPE, IF_SEVERITY, IF_STATUS, IF_WHEN, IF_LOCATION, IF_SETTLEMENT,
	IF_DESCRIPTION, IF_KILLED, IF_INJURED, IF_DISPLACED, IF_AFFECTED, IF_RELIABILITY,
	IF_CREDIBILITY, IF_FOLLOWUP,
	/* what files from other organisations carry (DESIGN.md section 8) */
	IF_ORG = 16, IF_SECTOR, IF_URL, IF_OBLAST, IF_OBLAST_CODE, IF_RAION, IF_RAION_CODE,
	IF_REPORTED, IF_SOURCE = 24, IF_SOURCE_ID = 25,
	/* duplicate handling (DESIGN.md section 3): as contacts' merged_into */
	IF_MERGED_INTO = 26, IF_DISTINCT_FROM = 27,
	IF_ARCHIVED = 30,
};
enum link_field {
	LF_INCIDENT = 1, LF_CONTACT = 2, LF_ARCHIVED = 30,
};

struct model_field {
	const char *name;       /* CLI flag without "--", JSON key, CSV column */
	unsigned char id;       /* op-log field id */
	enum model_ftype type;
	const char *column;     /* materialised column */
	const char *label;      /* N_() label for forms and reports */
	const struct code_list *codes;  /* FT_CODE only */
	int64_t min, max;       /* FT_INT bounds; FT_TEXT max bytes */
	bool user;              /* settable by add/edit (not archived/merged_into, not what */
				/* only imports set: source reference, P-codes...) */
};

#define MODEL_MAX_FIELDS 32

/* Field table of a kind; *n receives the count. */
const struct model_field *model_fields(enum model_kind kind, size_t *n);
const struct model_field *model_field_by_name(enum model_kind kind, const char *name);
const struct model_field *model_field_by_id(enum model_kind kind, unsigned id);
/* "contact", "incident", "link" (stable, not translated). */
const char *model_kind_name(enum model_kind kind);

/*
 * One record as materialised.  v[] is indexed by the position of the
 * field in model_fields(kind), not by field id.
 */
struct model_record {
	enum model_kind kind;
	unsigned char id[CIMIC_ID_BYTES];
	struct model_value v[MODEL_MAX_FIELDS];
	size_t nfields;
	bool archived;
	bool merged;                                /* merged into another record */
	unsigned char merged_into[CIMIC_ID_BYTES];
	int64_t created_ms, updated_ms;             /* from the HLCs of its ops */
	char author_unit[64];                       /* unit that created it */
	unsigned char author[32];                   /* key of the node that created it */
	long ops;                                   /* ops held for it (change listings only) */
	bool has_location;
	double lat, lon;
	int conflicts;                              /* fields in open conflict */
};

void model_record_init(struct model_record *rec, enum model_kind kind);
void model_record_finish(struct model_record *rec);
/* Index of field `name` in the record's field table, or -1. */
int model_record_index(enum model_kind kind, const char *name);
/* Value of field name (NULL if unknown name). */
const struct model_value *model_record_get(const struct model_record *rec, const char *name);

/*
 * Parses and validates what a user typed for a field, into canonical
 * form: codes checked against their list (labels accepted too),
 * severity 1-5, admiralty A-F / 1-6, times through timefmt_parse,
 * locations through geo_parse (stored as "lat,lon" with 6 decimals),
 * text checked for UTF-8 and length.  Empty input gives MV_NULL.
 * CIMIC_EDATA with a message naming the field on failure.
 * OUT out->s: caller frees (model_value_finish).
 */
int model_parse_value(const struct model_field *f, const char *input, int64_t now_ms,
		      struct model_value *out, struct cimic_error *err);
/* Value as display text (times as DTG, codes as labels when `labels`). OUT: caller frees. */
char *model_value_text(const struct model_field *f, const struct model_value *v, bool labels);

/*
 * A pending change: values for some fields.  set[i] marks field i
 * (position in model_fields) as given; v[i] MV_NULL clears it.
 */
struct model_change {
	enum model_kind kind;
	bool set[MODEL_MAX_FIELDS];
	struct model_value v[MODEL_MAX_FIELDS];
};
void model_change_init(struct model_change *c, enum model_kind kind);
void model_change_finish(struct model_change *c);
/* Parses input for field `name` into the change. */
int model_change_parse(struct model_change *c, const char *name, const char *input,
		       int64_t now_ms, struct cimic_error *err);
/* Takes ownership of v->s. */
int model_change_put(struct model_change *c, const char *name, struct model_value *v,
		     struct cimic_error *err);

/*
 * Creates a record with the given values (defaults filled in: incident
 * type "other", status "reported", when = now; contact category
 * "other").  Checks required fields (contact name, incident title).
 * OUT id: the new row id.
 */
int model_create(struct oplog_txn *txn, const struct model_change *c,
		 unsigned char id[CIMIC_ID_BYTES], struct cimic_error *err);
/* Applies the given fields to an existing record (only changed values become ops). */
int model_update(struct oplog_txn *txn, const unsigned char id[CIMIC_ID_BYTES],
		 const struct model_change *c, struct cimic_error *err);
/* Archives (or restores) a record. */
int model_archive(struct oplog_txn *txn, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
		  bool archived, struct cimic_error *err);
/* Links (on=true) or unlinks an incident and a contact. */
int model_link(struct oplog_txn *txn, const unsigned char incident[CIMIC_ID_BYTES],
	       const unsigned char contact[CIMIC_ID_BYTES], bool on, struct cimic_error *err);
/* Id of the link row of a pair (derived, so two units linking one pair make one row). */
void model_link_id(const unsigned char incident[CIMIC_ID_BYTES],
		   const unsigned char contact[CIMIC_ID_BYTES], unsigned char out[CIMIC_ID_BYTES]);
/*
 * Links a pair that has never been linked, without reading anything (an
 * import that just created one of them and knows the link row is new).
 */
int model_link_new(struct oplog_txn *txn, const unsigned char incident[CIMIC_ID_BYTES],
		   const unsigned char contact[CIMIC_ID_BYTES], struct cimic_error *err);
/*
 * Duplicate handling (HQ), contacts or incidents: loser.merged_into =
 * winner; unmerge clears it.  Nothing else is written: the winner's view
 * of the loser's values is duplicates.h's model_merged_view.
 */
int model_merge_record(struct oplog_txn *txn, enum model_kind kind,
		       const unsigned char loser[CIMIC_ID_BYTES],
		       const unsigned char winner[CIMIC_ID_BYTES], struct cimic_error *err);
int model_unmerge_record(struct oplog_txn *txn, enum model_kind kind,
			 const unsigned char loser[CIMIC_ID_BYTES], struct cimic_error *err);

/* Reads one record. CIMIC_ENOINPUT when there is none. */
int model_get(struct store *st, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
	      struct model_record *rec, struct cimic_error *err);
/*
 * Resolves what a user typed as a record id: a full 32-hex id or a
 * unique prefix of at least 4 hex digits.  CIMIC_ENOINPUT if none,
 * CIMIC_EUSAGE if ambiguous.
 */
int model_resolve_id(struct store *st, enum model_kind kind, const char *text,
		     unsigned char id[CIMIC_ID_BYTES], struct cimic_error *err);

enum model_sort { SORT_DEFAULT, SORT_NEWEST, SORT_OLDEST, SORT_NAME, SORT_SEVERITY, SORT_UPDATED };

struct model_query {
	enum model_kind kind;
	bool include_archived;
	bool only_archived;
	bool include_merged;     /* contacts and incidents merged into another */
	const unsigned char *merged_into;  /* only the records merged into this one, or NULL */
	const char *type;        /* incident type code / contact category, or NULL */
	const char *status;      /* incident status, or NULL */
	int min_severity;        /* 0 = any */
	int64_t since_ms;        /* 0 = any; on `when` for incidents, created for contacts */
	int64_t updated_since_ms;/* 0 = any */
	const char *settlement;  /* exact (folded) match, or NULL */
	const char *unit;        /* created by this unit (unit or roster name, folded), or NULL */
	const struct geo_area *area;   /* location inside this box, or NULL */
	/*
	 * Change listing (publish/, see pubstate.h): when changed_upto > 0,
	 * only records whose change seq is in (changed_after, changed_upto],
	 * archived and merged ones included, in seq order, with rec->ops
	 * filled; sort, limit and the filters above do not apply.
	 */
	int64_t changed_after, changed_upto;
	enum model_sort sort;
	int limit;               /* 0 = no limit */
	int offset;
};

/* Calls cb for each record; a non-zero return from cb stops the walk and is returned. */
typedef int (*model_record_cb)(const struct model_record *rec, void *arg);
int model_list(struct store *st, const struct model_query *q, model_record_cb cb, void *arg,
	       struct cimic_error *err);
/* Number of records the query matches (ignoring limit/offset). */
int model_count(struct store *st, const struct model_query *q, long *count, struct cimic_error *err);

/*
 * Where record `id` stands among what q matches, in q's order (limit and
 * offset ignored): 1 with *pos (0-based), 0 when q does not match it.
 */
int model_position(struct store *st, const struct model_query *q, const unsigned char id[CIMIC_ID_BYTES],
		   long *pos, struct cimic_error *err);

/* Records linked to a record (contacts of an incident, incidents of a contact). */
int model_linked(struct store *st, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
		 model_record_cb cb, void *arg, struct cimic_error *err);

/* Record to JSON object text (fields by name, ids in hex, times ISO UTC + DTG). */
void model_record_json(const struct model_record *rec, struct buf *out);

#endif
