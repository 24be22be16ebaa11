/*
 * oplog.h - the append-only, signed, hash-chained log of entries that
 * is the truth of a store (DESIGN.md section 3).
 *
 * An entry is one local transaction of one node: author key, seq,
 * previous entry hash, HLC, ops, Ed25519 signature.  Its hash is
 * BLAKE2b-256 of its bytes.  An op sets one field of one row and lists
 * the op ids it replaces (preds).  Op id = first 16 bytes of the entry
 * hash followed by the op index as u16 little-endian.
 *
 * Every entry, local or received, reaches the tables through
 * oplog_apply_entry(): heads, shown values and conflicts are a pure
 * function of the set of known ops, so replicas holding the same entries
 * show the same data whatever the order and however often they arrived.
 *
 * Entry byte format v1 (little-endian):
 *   magic "CE" u8 version(1) | author sign_pk[32] | seq u64 | prev[32]
 *   | hlc u64 | nops u32 | ops... | sig[64]
 * op: kind u8 | tbl u8 | field u8 | row[16] | npreds u8 | preds[npreds][18]
 *   | vtype u8 | value: MV_INT i64, MV_TEXT u32 len + bytes (UTF-8), MV_NULL nothing
 * The signature covers "cimic-entry-v1" || all bytes before sig.
 */
#ifndef CIMIC_OPLOG_H
#define CIMIC_OPLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cimic/error.h"
#include "cimic/value.h"
#include "cimic/util.h"

struct store;

#define OPLOG_HASH_BYTES 32
#define OPLOG_OPID_BYTES 18
#define OPLOG_ENTRY_MAX_OPS 4096
#define OPLOG_ENTRY_MAX_BYTES (1u << 20)   /* 1 MiB */
#define OPLOG_VALUE_MAX_BYTES (64u << 10)  /* 64 KiB per text value */
#define OPLOG_MAX_PREDS 32

enum oplog_kind { OP_SET = 1, OP_RESOLVE = 2 };

/* Replicated tables (op `tbl`).  Part of the format: never renumber. */
enum oplog_table {
	TBL_CONTACT = MODEL_CONTACT,
	TBL_INCIDENT = MODEL_INCIDENT,
	TBL_LINK = MODEL_LINK,
	TBL_NODE = 4,        /* roster: HQ-signed node records (sync/) */
};

struct oplog_op {
	enum oplog_kind kind;
	uint8_t tbl;
	uint8_t field;
	unsigned char row[CIMIC_ID_BYTES];
	uint8_t npreds;
	unsigned char (*preds)[OPLOG_OPID_BYTES];  /* npreds entries */
	struct model_value v;
};

/* A decoded entry. Pointers point into the owned raw bytes or owned arrays. */
struct oplog_entry {
	unsigned char author[32];
	uint64_t seq;
	unsigned char prev[OPLOG_HASH_BYTES];
	uint64_t hlc;
	uint32_t nops;
	struct oplog_op *ops;           /* owned */
	unsigned char hash[OPLOG_HASH_BYTES];
	unsigned char *raw;             /* owned copy of the encoded bytes */
	size_t rawlen;
};

/* Decodes and checks bounds and signature (CIMIC_EDATA on any problem). */
int oplog_entry_decode(const unsigned char *raw, size_t len, struct oplog_entry *e,
		       struct cimic_error *err);
void oplog_entry_finish(struct oplog_entry *e);

/* ---- writing: one local transaction ---- */

struct oplog_txn;

/* Begins a SQLite transaction and a local entry. OUT *txn: commit or abort. */
int oplog_begin(struct store *st, struct oplog_txn **txn, struct cimic_error *err);
/*
 * Adds an op setting (tbl,row,field) to v.  Its preds are the op shown
 * now (a normal edit keeps a concurrent sibling visible as a conflict).
 * When v equals the shown value and no conflict is open, nothing is
 * written.  A second set of the same field in one txn replaces the first.
 */
int oplog_set(struct oplog_txn *txn, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
	      unsigned field, const struct model_value *v, struct cimic_error *err);
/* Like oplog_set, but preds are all heads: closes a conflict. */
int oplog_resolve(struct oplog_txn *txn, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		  unsigned field, const struct model_value *v, struct cimic_error *err);
/* Sets a field of a row created in this txn (no preds, no read). */
int oplog_set_new(struct oplog_txn *txn, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		  unsigned field, const struct model_value *v, struct cimic_error *err);
struct store *oplog_txn_store(struct oplog_txn *txn);
/* Number of ops written so far in this txn. */
size_t oplog_txn_ops(const struct oplog_txn *txn);
/*
 * Turns the ops written so far into an entry and applies it, so that
 * reads inside the transaction see them (the entry still commits or
 * rolls back with the transaction).
 */
int oplog_flush(struct oplog_txn *txn, struct cimic_error *err);
/* Flushes only when a pending op touches `row` (before reading that row). */
int oplog_prepare_read(struct oplog_txn *txn, const unsigned char row[CIMIC_ID_BYTES],
		       struct cimic_error *err);
/* Signs, applies and commits. Frees txn whatever the result. */
int oplog_commit(struct oplog_txn *txn, struct cimic_error *err);
/* Rolls back and frees (NULL is a no-op). */
void oplog_abort(struct oplog_txn *txn);

/* ---- receiving ---- */

enum oplog_apply_result { APPLY_NEW = 0, APPLY_DUPLICATE = 1 };

struct oplog_apply_stats {
	long entries_new, entries_dup, ops_new, conflicts_opened;
};

/*
 * The same for an entry already decoded (and so verified) by
 * oplog_entry_decode(): the sync layer decodes each entry once to check
 * its author against the roster, then applies it without decoding again.
 */
int oplog_apply_decoded(struct store *st, const struct oplog_entry *e,
			struct oplog_apply_stats *stats, struct cimic_error *err);
/*
 * Takes back every applied entry of `author` with seq >= from_seq (a
 * fork, or entries off a revoked node's pinned chain): each is handed to
 * cb first (to be quarantined), then its ops, preds and entry leave the
 * log, heads are recomputed, the fields re-materialised and the
 * author's version vector drops below from_seq.  Inside the caller's
 * transaction.  Returns the number taken back, or -1.
 */
typedef int (*oplog_entry_cb)(const struct oplog_entry *e, void *arg, struct cimic_error *err);
long oplog_unapply_from(struct store *st, const unsigned char author[32], uint64_t from_seq,
			oplog_entry_cb cb, void *arg, struct cimic_error *err);

/* Refreshes derived data (search index) for rows touched since the last flush. */
int oplog_apply_flush(struct store *st, struct cimic_error *err);

/* ---- reading the log ---- */

/* Highest contiguous seq held for an author (0 if none), and its hash. */
int oplog_vv_get(struct store *st, const unsigned char author[32], uint64_t *seq,
		 unsigned char hash[OPLOG_HASH_BYTES], struct cimic_error *err);

/* One item of a version vector: the highest contiguous seq held of an author. */
struct oplog_vv_item {
	unsigned char author[32];
	uint64_t seq;
};

/* A visitor of (author, seq) pairs; non-zero stops the walk and is returned. */
typedef int (*oplog_vv_cb)(const unsigned char author[32], uint64_t seq, void *arg);

/*
 * This node's version vector, in author order: *items (caller frees) of *n.
 * 1 when it has more than max items (nothing returned: the caller says
 * what that limit is), -1 on error.
 */
int oplog_vv_load(struct store *st, size_t max, struct oplog_vv_item **items, size_t *n,
		  struct cimic_error *err);


/* Calls cb with the raw bytes of each entry of author with seq > after, in seq order. */
typedef int (*oplog_raw_cb)(const unsigned char *raw, size_t len, uint64_t seq, void *arg);
int oplog_entries_after(struct store *st, const unsigned char author[32], uint64_t after,
			oplog_raw_cb cb, void *arg, struct cimic_error *err);

/* ---- heads and conflicts ---- */

struct oplog_head {
	unsigned char opid[OPLOG_OPID_BYTES];
	unsigned char author[32];
	uint64_t hlc;
	struct model_value v;     /* owned */
	bool shown;               /* the displayed head */
};

/* Heads of a field, shown head first. OUT *heads: oplog_heads_free. */
int oplog_heads(struct store *st, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES],
		unsigned field, struct oplog_head **heads, size_t *n, struct cimic_error *err);
void oplog_heads_free(struct oplog_head *heads, size_t n);

struct oplog_conflict {
	unsigned tbl;
	unsigned char row[CIMIC_ID_BYTES];
	unsigned field;
	uint64_t opened_hlc;
};
typedef int (*oplog_conflict_cb)(const struct oplog_conflict *c, void *arg);
int oplog_conflicts(struct store *st, oplog_conflict_cb cb, void *arg, struct cimic_error *err);
long oplog_conflict_count(struct store *st);

/*
 * HQ's review list: ops that wait for HQ (archive, merge or resolve of a
 * record another node created, by a field unit) and that no op has
 * replaced yet, oldest first.  The callback's op is borrowed.
 */
struct oplog_waiting {
	unsigned char opid[OPLOG_OPID_BYTES];
	unsigned tbl;
	unsigned char row[CIMIC_ID_BYTES];
	unsigned field;
	unsigned char author[32];
	uint64_t hlc;
	struct model_value v;
};
typedef int (*oplog_waiting_cb)(const struct oplog_waiting *w, void *arg);
int oplog_waiting_each(struct store *st, oplog_waiting_cb cb, void *arg, struct cimic_error *err);
/* Finds one waiting op by a prefix of its hex id (4+ digits): 1, 0 none, -1 error or ambiguous. */
int oplog_waiting_find(struct store *st, const char *hexid, struct oplog_waiting *out,
		       struct cimic_error *err);

/* Counts of entries and ops held. */
int oplog_stats(struct store *st, long *entries, long *ops, struct cimic_error *err);

/*
 * Checks every entry's signature and chain link, and that the
 * materialised tables equal a rebuild from the ops.  Used by store_check.
 */
int oplog_verify(struct store *st, long *entries, long *problems, struct cimic_error *err);

/* Hybrid logical clock: next local timestamp (48-bit ms << 16 | counter). */
uint64_t oplog_hlc_now(struct store *st);
static inline int64_t oplog_hlc_ms(uint64_t hlc) { return (int64_t)(hlc >> 16); }

#endif
