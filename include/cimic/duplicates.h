/*
 * duplicates.h - finding, dismissing and showing duplicate records (HQ).
 *
 * Two units meet the same hromada head and both enter him, in another
 * name order, with another apostrophe and phone format; two units report
 * the same shelling.  dup_find proposes such pairs with a score and the
 * reasons, from blocking keys (phone digits, e-mail, pairs of folded and
 * transliterated name tokens, organisation with settlement; for
 * incidents type and time), so it never compares all pairs.  A pair HQ
 * dismissed ("not the same") is remembered in the distinct_from field of
 * both records, an op that replicates like any edit.
 *
 * Merging is merged_into on the loser (model_merge_record) and nothing
 * else: the winner's view (model_merged_view) shows the losers' values
 * where it has none and their other values as alternatives, so nothing
 * is lost and unmerging brings both back as they were.
 */
#ifndef CIMIC_DUPLICATES_H
#define CIMIC_DUPLICATES_H

#include <stdbool.h>
#include <stddef.h>

#include "cimic/error.h"
#include "cimic/model.h"

struct store;
struct oplog_txn;

/* Why a pair is proposed (bits; dup_reason_code names each). */
enum dup_reason {
	DUP_PHONE = 1 << 0,       /* same phone digits */
	DUP_EMAIL = 1 << 1,       /* same e-mail */
	DUP_NAME = 1 << 2,        /* same name in any order and transliteration */
	DUP_SURNAME = 1 << 3,     /* one name word in common */
	DUP_ORG = 1 << 4,         /* same organisation (abbreviations expanded) */
	DUP_SETTLEMENT = 1 << 5,  /* same settlement */
	DUP_TYPE = 1 << 6,        /* incidents: same type */
	DUP_TIME = 1 << 7,        /* incidents: close in time */
	DUP_PLACE = 1 << 8,       /* incidents: close in place */
	DUP_TITLE = 1 << 9,       /* incidents: title words in common */
};
#define DUP_REASONS 10

/* Stable code of reason bit i ("phone", "email", ...); label: translated text. */
const char *dup_reason_code(unsigned i);
const char *dup_reason_label(unsigned i);

struct dup_pair {
	unsigned char a[CIMIC_ID_BYTES], b[CIMIC_ID_BYTES];
	int score;                /* 0..100 */
	unsigned reasons;         /* enum dup_reason bits */
};

struct dup_list {
	struct dup_pair *pairs;   /* best first */
	size_t n, cap;
	size_t records;           /* live records examined */
};
void dup_list_init(struct dup_list *l);
void dup_list_finish(struct dup_list *l);

/* Candidate pairs among live (not archived, not merged) contacts or incidents. */
int dup_find(struct store *st, enum model_kind kind, struct dup_list *out, struct cimic_error *err);

/* Records that a and b are not the same (dismiss) or takes that back. */
int dup_dismiss(struct oplog_txn *txn, enum model_kind kind, const unsigned char a[CIMIC_ID_BYTES],
		const unsigned char b[CIMIC_ID_BYTES], bool dismissed, struct cimic_error *err);

/* A loser's value the winner shows as an alternative. */
struct model_alternative {
	size_t field;                          /* index in model_fields(kind) */
	char *text;                            /* display text (labels), owned */
	unsigned char from[CIMIC_ID_BYTES];    /* the merged record it came from */
};

/* What a record shows with the records merged into it. */
struct model_merged_view {
	size_t nfrom;
	unsigned char (*from)[CIMIC_ID_BYTES]; /* records merged into it, owned */
	bool filled[MODEL_MAX_FIELDS];         /* value taken from a merged record */
	struct model_alternative *alts;        /* owned */
	size_t nalts;
};
/*
 * Fills rec's empty user fields from the records merged into it and
 * lists their other values in view.  rec is changed in place.
 */
int model_merged_view(struct store *st, struct model_record *rec, struct model_merged_view *view,
		      struct cimic_error *err);
void model_merged_view_finish(struct model_merged_view *view);

#endif
